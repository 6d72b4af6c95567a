/**
 * DecoderLens runners: the batched early-exit generation with its measurements streamed from the
 * engine's step handler, and the teacher-forced lens over the full model's own tokens.
 */
import { decoderSteps } from '../../engine/delayPattern';
import type { MusicgenEngine } from '../../engine/engine';
import { applyGuidanceToPairs } from '../../engine/guidance';
import type { GenerationHandler } from '../../engine/handlers';
import { throwIfAborted } from '../../engine/loadedModel';
import { DEFAULT_GUIDANCE_SCALE, type GenerateOptions, type GenerateResult } from '../../engine/types';
import type { TextConditioning } from '../../text/conditioning';
import { emptyLensMeasurements, emptyTeacherForcedLens, recordGenerationStep, recordTeacherForcedDepth, teacherForcingInputs, type LensMeasurements, type TeacherForcedLens } from './kernel';

/** The depths a lens run generates: the chosen ones, ascending and unique, always with the full model (agreement needs it). */
export function lensDepths(chosen: readonly number[], numLayers: number): number[] {
  for (const depth of chosen) {
    if (!Number.isInteger(depth) || depth < 1 || depth > numLayers) throw new Error(`depth ${depth} is out of range 1..${numLayers}`);
  }
  return [...new Set([...chosen, numLayers])].sort((a, b) => a - b);
}

export interface LensHandler extends GenerationHandler {
  /** Filled during the run; null until the first step. */
  readonly measurements: LensMeasurements | null;
}

/**
 * A step handler for a generation whose request row i has depth `depths[i]` and whose row
 * `fullRow` is the full model. Per step it keeps numbers only, never the logits.
 */
export function createLensHandler(depths: readonly number[], fullRow: number, numCodebooks: number, frames: number): LensHandler {
  let measurements: LensMeasurements | null = null;
  return {
    get measurements() {
      return measurements;
    },
    onStep(guided /* [slots, K, V] */, tokens /* [slots, K] */, { step, steps, slotRows }) {
      const K = numCodebooks;
      measurements ??= emptyLensMeasurements({ depths: [...depths], numCodebooks: K, steps, frames });
      const rowSize = guided.length / slotRows.length; // K · V
      const fullSlot = slotRows.indexOf(fullRow);
      if (fullSlot < 0) throw new Error(`the full-model row ${fullRow} is not in the batch`);
      const fullTokens = tokens.subarray(fullSlot * K, (fullSlot + 1) * K); // [K]
      slotRows.forEach((row, slot) => {
        recordGenerationStep(measurements!, row, step, guided.subarray(slot * rowSize, (slot + 1) * rowSize), tokens.subarray(slot * K, (slot + 1) * K), fullTokens);
      });
    },
  };
}

export interface DecoderLensRequest extends Omit<GenerateOptions, 'rows' | 'handlers' | 'capture'> {
  conditioning: TextConditioning; // prompt 0 is used
  depths: readonly number[];
}

export interface DecoderLensRun {
  /** One row per depth of `measurements.depths` (ascending, the full model last). */
  result: GenerateResult;
  measurements: LensMeasurements;
}

/** One batched generation over every depth of `lensDepths(request.depths)`, prompt 0, with its measurements. */
export async function runDecoderLens(engine: MusicgenEngine, request: DecoderLensRequest): Promise<DecoderLensRun> {
  const { numLayers, numCodebooks } = engine.manifest.config;
  const depths = lensDepths(request.depths, numLayers);
  const handler = createLensHandler(depths, depths.length - 1, numCodebooks, request.frames);
  const result = await engine.generate({ ...request, rows: depths.map((depth) => ({ prompt: 0, depth })), handlers: [handler] });
  if (!handler.measurements) throw new Error('the generation ran no steps');
  return { result, measurements: handler.measurements };
}

export interface TeacherForcedLensRequest {
  conditioning: TextConditioning; // prompt 0 is used
  codes: Int32Array; // [K, frames], the full model's own codes
  frames: number;
  guidanceScale?: number; // default 3, as in generation; 1 compares the conditional branch alone
  signal?: AbortSignal;
  onProgress?: (progress: { step: number; steps: number }) => void; // step = depths done
}

/**
 * Feeds the full model's own delayed sequence once through every layer (teacher forcing), sends
 * each layer's residual stream through the final norm and heads, and compares each depth's guided
 * next-token distribution with the final layer's: KL(final ‖ depth) and top-1 agreement.
 */
export async function runTeacherForcedLens(engine: MusicgenEngine, request: TeacherForcedLensRequest): Promise<TeacherForcedLens> {
  const { numLayers: L, numCodebooks: K, codebookSize: V } = engine.manifest.config;
  const { frames, signal } = request;
  const steps = decoderSteps(frames, K);
  const inputs = teacherForcingInputs(request.codes, frames, K, V); // [K, steps]; special token = V
  throwIfAborted(signal, 'the teacher-forced lens');
  const residuals = await engine.teacherForcedResiduals(request.conditioning, inputs, steps); // per layer [2, steps, d]
  const guidanceScale = request.guidanceScale ?? DEFAULT_GUIDANCE_SCALE;
  const guidedAt = async (layer: number) => applyGuidanceToPairs(await engine.headLogits(residuals[layer], 2, steps) /* [2, K, steps, V] */, 1, K * steps * V, guidanceScale); // [K, steps, V]
  const final = await guidedAt(L - 1);
  const lens = emptyTeacherForcedLens({ depths: Array.from({ length: L }, (_, i) => i + 1), numCodebooks: K, steps, frames });
  for (let layer = 0; layer < L; layer++) {
    throwIfAborted(signal, 'the teacher-forced lens');
    recordTeacherForcedDepth(lens, layer, layer === L - 1 ? final : await guidedAt(layer), final);
    request.onProgress?.({ step: layer + 1, steps: L });
  }
  return lens;
}
