/**
 * One forward pass of the decoder over a batch of rows: embed -> blocks -> head. Rows are ordered
 * deepest first, so block l only runs on the prefix of rows still active there (DecoderLens
 * depths in one run); a row that exits keeps its last residual and goes to the head with the rest.
 */
import { BLOCK_MODULES, BlockIO, EmbedIO, HeadIO, type BlockModule } from '../bundle/graphContract';
import type { Fetches, HostTensor, Session } from '../runtime/ort';
import { causalSelfAttentionBias } from './attentionBias';
import { takePrefix } from './batchLayout';
import { DeviceKvCache } from './deviceKvCache';
import { appendKv, createKvCache, pastKv, reserveKvCache, type KvCache } from './kvCache';
import type { HookName } from './hooks';
import { MODULE_HOOK } from './hooks';
import type { LoadedModel } from './loadedModel';
import { f32, floatOutput } from './hostTensors';
import { neutralFeeds } from './patchPlan';

export interface BatchGeometry {
  batch: number; // B = 2 × slots (cond, null per slot)
  activeBatchRows: number[]; // per layer: b_l, a prefix of the batch
  textLength: number; // s
  crossKeys: Float32Array[]; // per layer [B, h, s, hd]
  crossValues: Float32Array[]; // per layer [B, h, s, hd]
  crossBias: Float32Array; // [B, 1, 1, s]
}

export type PatchFeedFn = (layer: number, module: BlockModule, batchRows: number) => { keep: Float32Array; add: Float32Array } | null;
/** Receives hook activations for the active batch rows: data [b_l, t, d]. */
export type HookFn = (hook: HookName, data: Float32Array, batchRows: number) => void;

/** The self-attention cache of a run: in host memory, or on the GPU where the blocks keep it. */
export type DecoderKvCache = KvCache | DeviceKvCache;

/** Whether a block session keeps its present K/V on the device (WebGPU) and can hand them back. */
function keepsKvOnDevice(block: Session): boolean {
  return block.runSplit !== undefined && (block.deviceOutputs ?? []).includes(BlockIO.presentKey) && block.deviceOutputs!.includes(BlockIO.presentValue);
}

export interface ForwardOutput {
  logits: Float32Array; // [B, K, t, V]
  normalized: Float32Array; // [B, t, d]
}

export class DecoderForward {
  constructor(private readonly model: LoadedModel) {}

  /**
   * An empty cache for this batch's rows per layer, for runs of at most `maxPositions` positions:
   * on the device when the blocks keep their K/V there, else in host memory. Release it after the run.
   */
  createCache(geometry: BatchGeometry, maxPositions: number): DecoderKvCache {
    const { numHeads, headDim } = this.model.manifest.config;
    if (this.model.blocks.length > 0 && this.model.blocks.every(keepsKvOnDevice)) return new DeviceKvCache(geometry.activeBatchRows, numHeads, headDim);
    return createKvCache(geometry.activeBatchRows, numHeads * headDim, maxPositions);
  }

  /** `forward` over t positions from an empty cache (teacher forcing), released afterwards. */
  async forwardFresh(geometry: BatchGeometry, inputIds: BigInt64Array, t: number, patchFeeds: PatchFeedFn, onHook?: HookFn): Promise<ForwardOutput> {
    const cache = this.createCache(geometry, t);
    try {
      return await this.forward(geometry, cache, inputIds, t, patchFeeds, onHook);
    } finally {
      this.releaseCache(cache);
    }
  }

  /** Frees a cache's device memory (nothing to do for a host cache). */
  releaseCache(cache: DecoderKvCache): void {
    if (cache instanceof DeviceKvCache) cache.release();
  }

  /** One block call; the new K/V join the cache (host: appended; device: the present replaces the past). */
  private async runBlock(layer: number, cache: DecoderKvCache, feeds: Record<string, HostTensor>, t: number, moduleOutputs: boolean): Promise<Fetches> {
    const block = this.model.blocks[layer];
    const outputs: string[] = [BlockIO.residPost, ...(moduleOutputs ? BLOCK_MODULES.map((module) => BlockIO.moduleOut(module)) : [])];
    if (cache instanceof DeviceKvCache) {
      const past = cache.past(layer); // [p, b_l, h, hd] each
      const { host, device } = await block.runSplit!({ ...feeds, [BlockIO.pastKey]: past.key, [BlockIO.pastValue]: past.value }, [...outputs, BlockIO.presentKey, BlockIO.presentValue]);
      cache.replace(layer, device[BlockIO.presentKey], device[BlockIO.presentValue]); // [p+t, b_l, h, hd] each
      return host;
    }
    const past = pastKv(cache, layer); // views [p, b_l, h, hd]
    const [rows, p] = [cache.layerRows[layer], cache.length];
    const { numHeads: h, headDim: hd } = this.model.manifest.config;
    // Only the new positions come back: the present K/V (also outputs) stay inside onnxruntime.
    const out = await block.run(
      { ...feeds, [BlockIO.pastKey]: f32(past.key, [p, rows, h, hd]), [BlockIO.pastValue]: f32(past.value, [p, rows, h, hd]) },
      [...outputs, BlockIO.newKey, BlockIO.newValue],
    );
    appendKv(cache, layer, floatOutput(out, BlockIO.newKey, block.name), floatOutput(out, BlockIO.newValue, block.name), t); // [t, b_l, h, hd] each
    return out;
  }

  /**
   * Runs t new positions for every batch row. `inputIds` [B, K, t]; updates `cache` in place.
   * `onHook` is optional so that generations without captures skip the hook calls.
   */
  async forward(
    geometry: BatchGeometry,
    cache: DecoderKvCache,
    inputIds: BigInt64Array,
    t: number,
    patchFeeds: PatchFeedFn,
    onHook?: HookFn,
  ): Promise<ForwardOutput> {
    const { config } = this.model.manifest;
    const { hiddenSize: d, numHeads: h, headDim: hd, numCodebooks: K } = config;
    const B = geometry.batch;
    const p = cache.length;
    if (!(cache instanceof DeviceKvCache)) reserveKvCache(cache, p + t);

    const embedOut = await this.model.embed.run({
      [EmbedIO.inputIds]: { type: 'int64', data: inputIds, dims: [B, K, t] },
      [EmbedIO.positionOffset]: { type: 'int64', data: BigInt64Array.of(BigInt(p)), dims: [1] },
    });
    const resid = floatOutput(embedOut, EmbedIO.hidden, this.model.embed.name); // [B, t, d], updated in place per layer

    for (let layer = 0; layer < this.model.blocks.length; layer++) {
      const rows = geometry.activeBatchRows[layer]; // b_l
      if (rows === 0) break; // rows are deepest first: nobody deeper is left
      if (cache.layerRows[layer] !== rows) throw new Error(`blocks.${layer}: the KV cache holds ${cache.layerRows[layer]} rows, the batch has ${rows}`);
      const block = this.model.blocks[layer];
      const rowSize = t * d;
      const residPre = takePrefix(resid, rowSize, rows); // [b_l, t, d]
      onHook?.(`blocks.${layer}.hook_resid_pre`, residPre, rows);
      const s = geometry.textLength;
      const feeds: Record<string, HostTensor> = {
        [BlockIO.residPre]: f32(residPre, [rows, t, d]),
        [BlockIO.selfAttnBias]: f32(causalSelfAttentionBias(rows, t, p), [rows, 1, t, p + t]),
        [BlockIO.crossKey]: f32(takePrefix(geometry.crossKeys[layer], h * s * hd, rows), [rows, h, s, hd]),
        [BlockIO.crossValue]: f32(takePrefix(geometry.crossValues[layer], h * s * hd, rows), [rows, h, s, hd]),
        [BlockIO.crossAttnBias]: f32(takePrefix(geometry.crossBias, s, rows), [rows, 1, 1, s]),
      };
      for (const module of BLOCK_MODULES) {
        const patch = patchFeeds(layer, module, rows);
        const { keep, add } = patch ?? neutralFeeds(rows, d, t);
        if (keep.length !== rows * rowSize || add.length !== rows * rowSize) {
          throw new Error(`patch feeds for blocks.${layer} ${module} have ${keep.length} values, expected [${rows}, ${t}, ${d}]`);
        }
        feeds[BlockIO.keep(module)] = f32(keep, [rows, t, d]);
        feeds[BlockIO.add(module)] = f32(add, [rows, t, d]);
      }
      const out = await this.runBlock(layer, cache, feeds, t, onHook !== undefined);
      if (onHook) {
        for (const module of BLOCK_MODULES) onHook(`blocks.${layer}.${MODULE_HOOK[module]}`, floatOutput(out, BlockIO.moduleOut(module), block.name), rows);
      }
      const residPost = floatOutput(out, BlockIO.residPost, block.name); // [b_l, t, d]
      onHook?.(`blocks.${layer}.hook_resid_post`, residPost, rows);
      resid.set(residPost, 0);
    }
    cache.length = p + t;

    const headOut = await this.model.head.run({ [HeadIO.resid]: f32(resid, [B, t, d]) });
    const normalized = floatOutput(headOut, HeadIO.normalized, this.model.head.name); // [B, t, d]
    onHook?.('ln_final.hook_normalized', normalized, B);
    return { logits: floatOutput(headOut, HeadIO.logits, this.model.head.name), normalized };
  }
}
