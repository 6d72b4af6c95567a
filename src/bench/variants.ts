/**
 * The decoder configurations the bench times side by side. Per-layer variants are lab bundles
 * (src/convert/convertCheckpoint.ts) in each weight dtype; merged variants are one graph for the
 * whole decoder step (src/convert/graphs/mergedDecoder.ts), run with the fp32 bundle's cross_kv
 * graphs for the prompt's keys and values; the fused variant is every block and the head in one
 * graph (src/convert/graphs/fusedBlocks.ts), run with the fp32 bundle's embed and cross_kv graphs,
 * and the last block fused with the head, run after the fp32 bundle's other block graphs.
 */
import type { WeightDtype } from '../bundle/manifest';

export type VariantKey = 'fp32' | 'fp16' | 'q8' | 'q4' | 'fp32-merged' | 'peer-q8-merged' | 'fp32-fused' | 'fp32-fused-head';

export type Variant =
  | { key: VariantKey; label: string; layout: 'per-layer'; dtype: WeightDtype }
  /** `storage`: buildMergedDecoderGraph's third argument. */
  | { key: VariantKey; label: string; layout: 'merged'; storage: 'fp32' | 'peer-q8' }
  /**
   * Blocks `fused` ('all', or only the 'last') + the head in one graph with the per-layer bundle's
   * KV cache I/O (fp32); the blocks before run through the bundle's block graphs.
   */
  | { key: VariantKey; label: string; layout: 'fused'; fused: 'all' | 'last' };

export const VARIANTS: Readonly<Record<VariantKey, Variant>> = {
  fp32: { key: 'fp32', label: 'fp32 per-layer', layout: 'per-layer', dtype: 'fp32' },
  fp16: { key: 'fp16', label: 'fp16 per-layer', layout: 'per-layer', dtype: 'fp16' },
  q8: { key: 'q8', label: 'q8 per-layer', layout: 'per-layer', dtype: 'q8' },
  q4: { key: 'q4', label: 'q4 per-layer', layout: 'per-layer', dtype: 'q4' },
  'fp32-merged': { key: 'fp32-merged', label: 'fp32 merged', layout: 'merged', storage: 'fp32' },
  // transformers.js's MusicGen page: decoder_model_merged quantised to int8 ("q8"), on WASM.
  'peer-q8-merged': { key: 'peer-q8-merged', label: "peer's q8 merged (transformers.js)", layout: 'merged', storage: 'peer-q8' },
  'fp32-fused': { key: 'fp32-fused', label: 'fp32 fused (all blocks + head)', layout: 'fused', fused: 'all' },
  'fp32-fused-head': { key: 'fp32-fused-head', label: 'fp32 last block + head fused', layout: 'fused', fused: 'last' },
};

/**
 * What the CPU backends (native, WASM in Node, WASM in Chromium) time. The fused variants are
 * loaded only where a measured comparison needs them: fp32-fused on native and WASM in Node (one
 * more 1.34 GiB graph per backend), fp32-fused-head only when `--only` asks for its ratio (a second
 * fp32 bundle's worth of sessions).
 */
export const CPU_VARIANTS: readonly VariantKey[] = ['fp32', 'fp32-merged', 'q8', 'q4', 'peer-q8-merged'];

/** What a real WebGPU adapter times (issue 10, part 5). */
export const GPU_VARIANTS: readonly VariantKey[] = ['fp32', 'fp16', 'q4'];

export function isVariantKey(value: string): value is VariantKey {
  return value in VARIANTS;
}
