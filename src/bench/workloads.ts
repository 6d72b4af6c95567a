/**
 * The generations the benchmark times, each as a TimedGeneration over a loaded model: one plain
 * generation (one prompt, guidance batch of 2), DecoderLens at every depth (L rows = 2L batch
 * rows), the intervention sweep (one row per patchable site, 3L, plus an unpatched baseline), and
 * the same plain generation through the merged decoder graph or through one fused graph of every
 * block and the head.
 */
import { BLOCK_MODULES, BlockIO, EmbedIO, HeadIO } from '../bundle/graphContract';
import { deriveSeed } from '../demo/seededRandom';
import { batchGeometry, computePromptKv } from '../engine/crossAttentionInputs';
import type { BatchGeometry } from '../engine/decoderForward';
import { causalSelfAttentionBias } from '../engine/attentionBias';
import { decoderSteps, emptySequence, stepInput, writeStep } from '../engine/delayPattern';
import { generateCodes } from '../engine/generate';
import { f32, floatOutput } from '../engine/hostTensors';
import { applyGuidance } from '../engine/guidance';
import { appendKv, createKvCache, pastKv, reserveKvCache } from '../engine/kvCache';
import { MODULE_HOOK, type PatchableHookName } from '../engine/hooks';
import { neutralFeeds } from '../engine/patchPlan';
import { throwIfAborted, type LoadedModel } from '../engine/loadedModel';
import { createRng } from '../engine/prng';
import { sampleStep } from '../engine/sampling';
import { DEFAULT_GUIDANCE_SCALE, DEFAULT_SAMPLING, type RowSpec } from '../engine/types';
import { FusedIO } from '../convert/graphs/fusedBlocks';
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

/** One decoder step of a plain generation: input ids [B, K, 1] at `step` -> logits [B, K, 1, V]. */
type StepLogits = (inputIds: BigInt64Array, step: number) => Promise<Float32Array>;

/**
 * A plain generation (one prompt, guidance batch 2) around a step function: the engine's kernels
 * (guidance, top-k sampling, delay pattern) with the decoder's graphs called by `prepare`'s step.
 */
function plainGeneration(model: LoadedModel, conditioning: TextConditioning, frames: number, prepare: (geometry: BatchGeometry, steps: number) => StepLogits): TimedGeneration {
  return async (onProgress, signal) => {
    const { numLayers: L, numCodebooks: K, codebookSize: V } = model.manifest.config;
    const steps = decoderSteps(frames, K);
    const promptKv = await computePromptKv(model, conditioning);
    const geometry = batchGeometry(model, conditioning, promptKv, [0], new Array(L).fill(1));
    const stepLogits = prepare(geometry, steps);
    const sampling = { ...DEFAULT_SAMPLING };
    const rng = createRng(sampling.seed, 0);
    const sequence = emptySequence(frames, K, V); // [K, frames+K]
    const inputIds = new BigInt64Array(geometry.batch * K); // [B, K, 1]: cond and null rows alike
    for (let step = 0; step < steps; step++) {
      throwIfAborted(signal, 'generation');
      const column = stepInput(sequence, step, K, frames); // [K]
      for (let k = 0; k < K; k++) inputIds[k] = inputIds[K + k] = BigInt(column[k]);
      const logits = await stepLogits(inputIds, step); // [B, K, 1, V]
      const guided = applyGuidance(logits.subarray(0, K * V), logits.subarray(K * V, 2 * K * V), DEFAULT_GUIDANCE_SCALE); // [K, V]
      writeStep(sequence, step + 1, sampleStep(guided, K, V, sampling, rng), frames, K, V);
      onProgress({ step: step + 1 });
    }
    return sequence;
  };
}

/**
 * The same plain generation through merged_decoder.onnx: the same kernels around one session call
 * per step instead of embed + L blocks + head. Cross K/V come from the bundle's cross_kv graphs.
 */
export function mergedGeneration(model: LoadedModel, merged: Session, conditioning: TextConditioning, frames: number): TimedGeneration {
  return plainGeneration(model, conditioning, frames, (geometry) => {
    const { numLayers: L, numCodebooks: K, numHeads: h, headDim: hd } = model.manifest.config;
    const [B, s] = [geometry.batch, geometry.textLength];
    let keys: Float32Array[] = Array.from({ length: L }, () => new Float32Array(0)); // per layer [B, h, p, hd]
    let values: Float32Array[] = Array.from({ length: L }, () => new Float32Array(0));
    return async (inputIds, step) => {
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
      // The conventional cache: the whole present comes back and is fed in again.
      keys = keys.map((_, l) => floatOutput(out, MergedIO.presentKey(l), merged.name));
      values = values.map((_, l) => floatOutput(out, MergedIO.presentValue(l), merged.name));
      return floatOutput(out, MergedIO.logits, merged.name); // [B, K, 1, V]
    };
  });
}

/** Layers `from`..L-1 and the head in one fused graph (src/convert/graphs/fusedBlocks.ts). */
export interface FusedTail {
  session: Session;
  from: number;
}

/**
 * The same plain generation as a loop of session calls of its own (not the engine's): the bundle's
 * embed graph, then its block graphs with neutral patch feeds up to `fused.from`, then the fused
 * graph of the remaining layers and the head; with `fused` null, every block graph and head.onnx.
 * fused.from 0 gives two session calls per step instead of L + 2; fused.from L-1 one fewer. The
 * KV cache is the engine's own (src/engine/kvCache.ts), fed and filled as the per-layer engine
 * does: cached prefixes in as views, only the new positions out.
 */
export function fusedGeneration(model: LoadedModel, conditioning: TextConditioning, frames: number, fused: FusedTail | null): TimedGeneration {
  return plainGeneration(model, conditioning, frames, (geometry, steps) => {
    const { numLayers: L, numCodebooks: K, numHeads: h, headDim: hd, hiddenSize: d } = model.manifest.config;
    const blocksUpTo = fused ? fused.from : L; // layers before this run through block graphs
    if (model.blocks.length < blocksUpTo) throw new Error(`blocks 0..${blocksUpTo - 1} run per layer, but the model has ${model.blocks.length} block sessions loaded`);
    const [B, s] = [geometry.batch, geometry.textLength];
    const cache = createKvCache(geometry.activeBatchRows, h * hd, steps);
    const fusedLayers = Array.from({ length: L - blocksUpTo }, (_, i) => blocksUpTo + i);
    const fetches = [FusedIO.logits, ...fusedLayers.flatMap((l) => [FusedIO.newKey(l), FusedIO.newValue(l)])];
    const blockFetches = [BlockIO.residPost, BlockIO.newKey, BlockIO.newValue];
    return async (inputIds, step) => {
      const p = cache.length;
      reserveKvCache(cache, p + 1);
      const embedded = await model.embed.run({
        [EmbedIO.inputIds]: { type: 'int64', data: inputIds, dims: [B, K, 1] },
        [EmbedIO.positionOffset]: { type: 'int64', data: BigInt64Array.of(BigInt(step)), dims: [1] },
      });
      let resid = floatOutput(embedded, EmbedIO.hidden, model.embed.name); // [B, 1, d]
      const selfAttnBias = f32(causalSelfAttentionBias(B, 1, p), [B, 1, 1, p + 1]);
      const crossAttnBias = f32(geometry.crossBias, [B, 1, 1, s]);
      for (let l = 0; l < blocksUpTo; l++) {
        const block = model.blocks[l];
        const past = pastKv(cache, l); // views [p, B, h, hd]
        const feeds: Record<string, HostTensor> = {
          [BlockIO.residPre]: f32(resid, [B, 1, d]),
          [BlockIO.pastKey]: f32(past.key, [p, B, h, hd]),
          [BlockIO.pastValue]: f32(past.value, [p, B, h, hd]),
          [BlockIO.selfAttnBias]: selfAttnBias,
          [BlockIO.crossKey]: f32(geometry.crossKeys[l], [B, h, s, hd]),
          [BlockIO.crossValue]: f32(geometry.crossValues[l], [B, h, s, hd]),
          [BlockIO.crossAttnBias]: crossAttnBias,
        };
        const { keep, add } = neutralFeeds(B, d); // [B, 1, d] each
        for (const module of BLOCK_MODULES) {
          feeds[BlockIO.keep(module)] = f32(keep, [B, 1, d]);
          feeds[BlockIO.add(module)] = f32(add, [B, 1, d]);
        }
        const out = await block.run(feeds, blockFetches);
        appendKv(cache, l, floatOutput(out, BlockIO.newKey, block.name), floatOutput(out, BlockIO.newValue, block.name), 1); // [1, B, h, hd] each
        resid = floatOutput(out, BlockIO.residPost, block.name); // [B, 1, d]
      }
      if (!fused) {
        cache.length = p + 1;
        return floatOutput(await model.head.run({ [HeadIO.resid]: f32(resid, [B, 1, d]) }, [HeadIO.logits]), HeadIO.logits, model.head.name); // [B, K, 1, V]
      }
      const feeds: Record<string, HostTensor> = { [FusedIO.residPre]: f32(resid, [B, 1, d]), [FusedIO.selfAttnBias]: selfAttnBias, [FusedIO.crossAttnBias]: crossAttnBias };
      for (const l of fusedLayers) {
        const past = pastKv(cache, l); // views [p, B, h, hd]
        feeds[FusedIO.pastKey(l)] = f32(past.key, [p, B, h, hd]);
        feeds[FusedIO.pastValue(l)] = f32(past.value, [p, B, h, hd]);
        feeds[FusedIO.crossKey(l)] = f32(geometry.crossKeys[l], [B, h, s, hd]);
        feeds[FusedIO.crossValue(l)] = f32(geometry.crossValues[l], [B, h, s, hd]);
      }
      const out = await fused.session.run(feeds, fetches);
      for (const l of fusedLayers) appendKv(cache, l, floatOutput(out, FusedIO.newKey(l), fused.session.name), floatOutput(out, FusedIO.newValue(l), fused.session.name), 1); // [1, B, h, hd] each
      cache.length = p + 1;
      return floatOutput(out, FusedIO.logits, fused.session.name); // [B, K, 1, V]
    };
  });
}
