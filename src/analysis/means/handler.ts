/**
 * The streaming means handler: adds every step's activations of every batch row into running
 * sums as the engine produces them, so nothing per prompt is kept. The runner counts a batch's
 * prompts once the batch has finished (a cancelled batch leaves the sums dirty: drop them).
 */
import type { GenerationHandler } from '../../engine/handlers';
import { addStep, type MeanSums } from './kernel';

export function meanHandler(state: MeanSums): GenerationHandler {
  return {
    sites: state.hooks,
    onActivation(hook, data /* [b_l, 1, d] */, batchRows, { step }) {
      addStep(state, hook, data, batchRows / 2, step);
    },
  };
}
