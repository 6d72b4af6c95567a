/**
 * The generation loop, as audiocraft's LMModel.generate does it: per step, feed the previous
 * column of the delayed sequence, run the decoder on the guidance batch, combine the branches with
 * classifier-free guidance, sample one token per codebook, write the next column. Many rows (each
 * its own DecoderLens depth and patches) run in one batch.
 */
import type { TextConditioning } from '../text/conditioning';
import { planBatch, rowDepths } from './batchLayout';
import { batchGeometry, computePromptKv } from './crossAttentionInputs';
import { DecoderForward, type HookFn } from './decoderForward';
import { decoderSteps, emptySequence, stepInput, undelay, writeStep } from './delayPattern';
import { applyGuidanceToPairs } from './guidance';
import { createCaptureHandler } from './captureHandler';
import { HandlerDispatch, type StepContext } from './handlers';
import { parseHookName } from './hooks';
import { throwIfAborted, type LoadedModel } from './loadedModel';
import { compilePatchPlan } from './patchPlan';
import { createRng } from './prng';
import { sampleStep } from './sampling';
import { DEFAULT_GUIDANCE_SCALE, DEFAULT_SAMPLING, type GenerateOptions, type GenerateResult, type RowResult, type SamplingOptions } from './types';

function resolveSampling(options: GenerateOptions): SamplingOptions {
  const sampling: SamplingOptions = {
    greedy: options.greedy ?? DEFAULT_SAMPLING.greedy,
    topK: options.topK ?? DEFAULT_SAMPLING.topK,
    temperature: options.temperature ?? DEFAULT_SAMPLING.temperature,
    seed: options.seed ?? DEFAULT_SAMPLING.seed,
  };
  if (!Number.isInteger(sampling.topK) || sampling.topK < 0) throw new Error(`topK must be a non-negative integer, got ${sampling.topK}`);
  if (!(sampling.temperature > 0) || !Number.isFinite(sampling.temperature)) throw new Error(`temperature must be a positive number, got ${sampling.temperature}`);
  if (!Number.isSafeInteger(sampling.seed)) throw new Error(`seed must be an integer, got ${sampling.seed}`);
  return sampling;
}

export async function generateCodes(model: LoadedModel, conditioning: TextConditioning, options: GenerateOptions): Promise<GenerateResult> {
  const { config } = model.manifest;
  const { numLayers: L, numCodebooks: K, codebookSize: V, hiddenSize: d, maxPositions } = config;
  const special = V;
  const { frames, rows } = options;
  if (!Number.isInteger(frames) || frames < 1) throw new Error(`frames must be a positive integer, got ${frames}`);
  const steps = decoderSteps(frames, K);
  if (steps > maxPositions) throw new Error(`${frames} frames need ${steps} positions; the model supports ${maxPositions}`);
  if (rows.length === 0) throw new Error('no rows to generate');
  rows.forEach((row, i) => {
    if (!Number.isInteger(row.prompt) || row.prompt < 0 || row.prompt >= conditioning.count) {
      throw new Error(`row ${i}: prompt index ${row.prompt} is out of range (there are ${conditioning.count} prompts)`);
    }
  });
  const depths = rowDepths(rows, L);
  const guidanceScale = options.guidanceScale ?? DEFAULT_GUIDANCE_SCALE;
  if (!Number.isFinite(guidanceScale)) throw new Error(`guidanceScale must be a number, got ${guidanceScale}`);
  const sampling = resolveSampling(options);
  const captureHooks = (options.capture ?? []).map((hook) => ({ hook, parsed: parseHookName(hook, L) }));
  const handlers = options.handlers ?? [];
  handlers.forEach((handler) => handler.sites?.forEach((hook) => parseHookName(hook, L)));

  const plan = planBatch(depths, L);
  const slots = plan.order.length;
  const patchPlan = compilePatchPlan(rows, plan.order, L, d, steps);
  const promptKv = await computePromptKv(model, conditioning);
  const geometry = batchGeometry(model, conditioning, promptKv, plan.order.map((row) => rows[row].prompt), plan.activeRowsAtLayer);
  const forward = new DecoderForward(model);
  const cache = forward.createCache(geometry, steps);

  const sequences = plan.order.map(() => emptySequence(frames, K, special)); // per slot [K, frames+K]
  // Every row draws from the same stream of the seed, so a row's audio does not depend on its batch.
  const rngs = plan.order.map(() => createRng(sampling.seed, 0));

  const capture = createCaptureHandler(captureHooks, depths, steps, d);
  const dispatch = new HandlerDispatch([capture, ...handlers]);
  const context: StepContext = { step: 0, steps, slotRows: plan.order };
  const onHook: HookFn | undefined = dispatch.readsActivations ? (hook, data, batchRows) => dispatch.activation(hook, data, batchRows, context) : undefined;
  const sampledTokens = new Int32Array(slots * K); // [slots, K]

  const B = geometry.batch;
  const inputIds = new BigInt64Array(B * K); // [B, K, 1]
  try {
    for (let step = 0; step < steps; step++) {
      throwIfAborted(options.signal, 'generation');
      context.step = step;
      for (let slot = 0; slot < slots; slot++) {
        const column = stepInput(sequences[slot], step, K, frames); // [K]
        for (let k = 0; k < K; k++) {
          inputIds[(2 * slot) * K + k] = BigInt(column[k]);
          inputIds[(2 * slot + 1) * K + k] = BigInt(column[k]);
        }
      }
      const { logits } = await forward.forward(geometry, cache, inputIds, 1, (layer, module, batchRows) => patchPlan.feeds(step, layer, module, batchRows / 2), onHook);
      const guided = applyGuidanceToPairs(logits /* [B, K, 1, V] */, slots, K * V, guidanceScale); // [slots, K, V]
      for (let slot = 0; slot < slots; slot++) {
        const slotLogits = guided.subarray(slot * K * V, (slot + 1) * K * V); // [K, V]
        const tokens = sampleStep(slotLogits, K, V, sampling, rngs[slot]); // [K]
        sampledTokens.set(tokens, slot * K);
        writeStep(sequences[slot], step + 1, tokens, frames, K, special);
      }
      if (dispatch.readsSteps) dispatch.step(guided, sampledTokens, context);
      options.onProgress?.({ step: step + 1, steps });
    }
  } finally {
    forward.releaseCache(cache); // device memory of a cache kept on the GPU
  }

  const results: RowResult[] = new Array(rows.length);
  plan.order.forEach((row, slot) => {
    results[row] = { codes: undelay(sequences[slot], frames, K), sequence: sequences[slot], captures: capture.captures[row] };
  });
  return { frames, steps, rows: results };
}
