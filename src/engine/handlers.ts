/**
 * Handlers: how analysis tools observe a generation without editing the step loop (in the spirit
 * of TransformerLens's run_with_hooks). A handler names the hooks it reads and gets, per step,
 * the activations of the batch rows still running there, and, after guidance and sampling, the
 * guided logits and the sampled tokens. Patches and early exit stay per row (RowSpec.patches and
 * RowSpec.depth), since they shape the batch itself.
 */
import type { HookName } from './hooks';

export interface StepContext {
  step: number; // decoder step, 0-based
  steps: number; // decoder steps of the whole generation
  /** Batch slot -> request row index (deepest rows first); slot s owns batch rows 2s (cond) and 2s+1 (null). */
  slotRows: readonly number[];
}

export interface GenerationHandler {
  /** Hooks whose activations `onActivation` receives; validated against the model before the run. */
  sites?: readonly HookName[];
  /**
   * Activations at one hook for the active batch rows: data [b_l, t, d] with b_l = 2 · active slots
   * (cond, null per slot, in slot order). The array is reused by the engine: copy what you keep.
   */
  onActivation?(hook: HookName, data: Float32Array, batchRows: number, context: StepContext): void;
  /**
   * After sampling one step: `guided` [slots, K, V] logits after classifier-free guidance (before
   * temperature and top-k), `tokens` [slots, K] the tokens sampled from them (the delay pattern
   * keeps the special token where a codebook has not started or has ended).
   * Both are reused by the engine: copy what you keep.
   */
  onStep?(guided: Float32Array, tokens: Int32Array, context: StepContext): void;
}

/** Dispatches hook activations to the handlers that asked for them, in handler order. */
export class HandlerDispatch {
  private readonly byHook = new Map<HookName, GenerationHandler[]>();
  private readonly stepHandlers: GenerationHandler[];

  constructor(handlers: readonly GenerationHandler[]) {
    for (const handler of handlers) {
      if (!handler.onActivation) continue;
      for (const hook of new Set(handler.sites ?? [])) {
        const list = this.byHook.get(hook) ?? [];
        list.push(handler);
        this.byHook.set(hook, list);
      }
    }
    this.stepHandlers = handlers.filter((handler) => handler.onStep);
  }

  get readsActivations(): boolean {
    return this.byHook.size > 0;
  }

  get readsSteps(): boolean {
    return this.stepHandlers.length > 0;
  }

  activation(hook: HookName, data: Float32Array, batchRows: number, context: StepContext): void {
    const handlers = this.byHook.get(hook);
    if (handlers) for (const handler of handlers) handler.onActivation!(hook, data, batchRows, context);
  }

  step(guided: Float32Array, tokens: Int32Array, context: StepContext): void {
    for (const handler of this.stepHandlers) handler.onStep!(guided, tokens, context);
  }
}
