/**
 * The generations the benchmark times, each as a TimedGeneration over a loaded model: one plain
 * generation (one prompt, guidance batch of 2), DecoderLens at every depth (L rows = 2L batch
 * rows), the intervention sweep (one row per patchable site, 3L, plus an unpatched baseline), and
 * the same plain generation through the merged decoder graph.
 */
import { BLOCK_MODULES } from '../bundle/graphContract';
import { deriveSeed } from '../demo/seededRandom';
import { batchGeometry, computePromptKv } from '../engine/crossAttentionInputs';
import { causalSelfAttentionBias } from '../engine/attentionBias';
import { decoderSteps, emptySequence, stepInput, writeStep } from '../engine/delayPattern';
import { generateCodes } from '../engine/generate';
import { applyGuidance } from '../engine/guidance';
import { MODULE_HOOK, type PatchableHookName } from '../engine/hooks';
import { throwIfAborted, type LoadedModel } from '../engine/loadedModel';
import { createRng } from '../engine/prng';
import { sampleStep } from '../engine/sampling';
import { DEFAULT_GUIDANCE_SCALE, DEFAULT_SAMPLING, type RowSpec } from '../engine/types';
import { MergedIO } from '../convert/graphs/mergedDecoder';
import type { HostTensor, Session } from '../runtime/ort';
import type { TextConditioning } from '../text/conditioning';
import { randomUniform } from './randomReader';
import type { TimedGeneration } from './timing';
import { chunkRanges } from '../analysis/interventions/rowMemory';

/** One random prompt's T5 states [1, s, textD] with every token unmasked. */
export function randomConditioning(textTokens: number, textWidth: number, seed: number): TextConditioning {
  return {
    count: 1,
    length: textTokens,
    width: textWidth,
    states: randomUniform(deriveSeed(seed, 'text states'), textTokens * textWidth, 0.3, 0), // [1, s, textD]
    mask: new Uint8Array(textTokens).fill(1), // [1, s]
  };
}

export function plainRows(): RowSpec[] {
  return [{ prompt: 0 }];
}

/** DecoderLens: one row per depth 1..L. */
export function lensRows(numLayers: number): RowSpec[] {
  return Array.from({ length: numLayers }, (_, l) => ({ prompt: 0, depth: l + 1 }));
}

/** The intervention sweep: an unpatched baseline plus one row per site (3 modules × L layers), each adjusted by a vector. */
export function sweepRows(numLayers: number, hiddenSize: number, seed: number): RowSpec[] {
  const rows: RowSpec[] = [{ prompt: 0 }];
  for (let layer = 0; layer < numLayers; layer++) {
    for (const module of BLOCK_MODULES) {
      const hook = `blocks.${layer}.${MODULE_HOOK[module]}` as PatchableHookName;
      rows.push({ prompt: 0, patches: [{ hook, kind: 'adjust', values: randomUniform(deriveSeed(seed, hook), hiddenSize, 0.1, 0) }] }); // values [d]
    }
  }
  return rows;
}

/**
 * The sweep's rows split as the sweep runner splits them under a memory budget (at least two
 * chunks, so that the comparison with one batch means something even at tiny sizes).
 */
export function sweepChunks(rows: readonly RowSpec[], rowsPerChunk: number): RowSpec[][] {
  const perChunk = Math.max(1, Math.min(rowsPerChunk, Math.ceil(rows.length / 2)));
  return chunkRanges(rows.length, perChunk).map(([start, end]) => rows.slice(start, end));
}

/** The engine's generation loop over `rows` (top-k 250 sampling, guidance 3: the study's defaults). */
export function engineGeneration(model: LoadedModel, conditioning: TextConditioning, frames: number, rows: readonly RowSpec[]): TimedGeneration {
  return (onProgress, signal) => generateCodes(model, conditioning, { frames, rows, onProgress, signal });
}

/**
 * The same plain generation through merged_decoder.onnx: the same kernels around one session call
 * per step instead of embed + L blocks + head. Cross K/V come from the bundle's cross_kv graphs.
 */
export function mergedGeneration(model: LoadedModel, merged: Session, conditioning: TextConditioning, frames: number): TimedGeneration {
  return async (onProgress, signal) => {
    const { numLayers: L, numCodebooks: K, codebookSize: V, numHeads: h, headDim: hd } = model.manifest.config;
    const steps = decoderSteps(frames, K);
    const promptKv = await computePromptKv(model, conditioning);
    const geometry = batchGeometry(model, conditioning, promptKv, [0], new Array(L).fill(1));
    const B = geometry.batch; // 2: cond, null
    const s = geometry.textLength;
    const sampling = { ...DEFAULT_SAMPLING };
    const rng = createRng(sampling.seed, 0);
    const sequence = emptySequence(frames, K, V); // [K, frames+K]
    let keys: Float32Array[] = Array.from({ length: L }, () => new Float32Array(0)); // per layer [B, h, p, hd]
    let values: Float32Array[] = Array.from({ length: L }, () => new Float32Array(0));
    const f32 = (data: Float32Array, dims: number[]): HostTensor => ({ type: 'float32', data, dims });
    const inputIds = new BigInt64Array(B * K); // [B, K, 1]
    for (let step = 0; step < steps; step++) {
      throwIfAborted(signal, 'generation');
      const column = stepInput(sequence, step, K, frames); // [K]
      for (let k = 0; k < K; k++) inputIds[k] = inputIds[K + k] = BigInt(column[k]);
      const feeds: Record<string, HostTensor> = {
        [MergedIO.inputIds]: { type: 'int64', data: inputIds, dims: [B, K, 1] },
        [MergedIO.positionOffset]: { type: 'int64', data: BigInt64Array.of(BigInt(step)), dims: [1] },
        [MergedIO.selfAttnBias]: f32(causalSelfAttentionBias(B, 1, step), [B, 1, 1, step + 1]),
        [MergedIO.crossAttnBias]: f32(geometry.crossBias, [B, 1, 1, s]),
      };
      for (let l = 0; l < L; l++) {
        feeds[MergedIO.pastKey(l)] = f32(keys[l], [B, h, step, hd]);
        feeds[MergedIO.pastValue(l)] = f32(values[l], [B, h, step, hd]);
        feeds[MergedIO.crossKey(l)] = f32(geometry.crossKeys[l], [B, h, s, hd]);
        feeds[MergedIO.crossValue(l)] = f32(geometry.crossValues[l], [B, h, s, hd]);
      }
      const out = await merged.run(feeds);
      const take = (name: string) => {
        const tensor = out[name];
        if (tensor?.type !== 'float32') throw new Error(`${merged.name}: missing float32 output ${name}`);
        return tensor.data;
      };
      keys = keys.map((_, l) => take(MergedIO.presentKey(l)));
      values = values.map((_, l) => take(MergedIO.presentValue(l)));
      const logits = take(MergedIO.logits); // [B, K, 1, V]
      const guided = applyGuidance(logits.subarray(0, K * V), logits.subarray(K * V, 2 * K * V), DEFAULT_GUIDANCE_SCALE); // [K, V]
      writeStep(sequence, step + 1, sampleStep(guided, K, V, sampling, rng), frames, K, V);
      onProgress({ step: step + 1 });
    }
    return sequence;
  };
}
