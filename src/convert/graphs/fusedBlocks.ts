/**
 * A run of consecutive decoder layers [first, last] in ONE graph, optionally followed by the head:
 * what a run of blocks with no capture, patch or exit needs, in one session call instead of one per
 * block. The I/O is the bundle-2 blocks' own, suffixed by layer: position-major past K/V views in,
 * new (and present) K/V out per layer, the cross-attention K/V per layer, the residual in and the
 * residual or the logits out. No patch inputs or module outputs. The layers share one
 * self-attention bias and one cross-attention bias (a fused run has the same rows in every layer).
 */
import { BlockIO, HeadIO } from '../../bundle/graphContract';
import type { MusicgenConfig } from '../../checkpoint/musicgenConfig';
import type { TensorReader } from '../../checkpoint/types';
import { GraphBuilder, type WeightStorage } from '../onnx/builder';
import { addDecoderLayer, layerConstants, positionMajorCache } from './block';
import { checkLayer } from './graphParts';
import { addHead } from './head';

export const FusedIO = {
  residPre: BlockIO.residPre, // float32 [b, t, d], into layer `first`
  selfAttnBias: BlockIO.selfAttnBias, // float32 [b, 1, t, p+t]
  crossAttnBias: BlockIO.crossAttnBias, // float32 [b, 1, 1, s]
  pastKey: (layer: number) => `${BlockIO.pastKey}_${layer}`, // float32 [p, b, h, hd], position-major
  pastValue: (layer: number) => `${BlockIO.pastValue}_${layer}`, // float32 [p, b, h, hd]
  crossKey: (layer: number) => `${BlockIO.crossKey}_${layer}`, // float32 [b, h, s, hd]
  crossValue: (layer: number) => `${BlockIO.crossValue}_${layer}`, // float32 [b, h, s, hd]
  newKey: (layer: number) => `${BlockIO.newKey}_${layer}`, // float32 [t, b, h, hd]
  newValue: (layer: number) => `${BlockIO.newValue}_${layer}`, // float32 [t, b, h, hd]
  presentKey: (layer: number) => `${BlockIO.presentKey}_${layer}`, // float32 [p+t, b, h, hd]
  presentValue: (layer: number) => `${BlockIO.presentValue}_${layer}`, // float32 [p+t, b, h, hd]
  residPost: BlockIO.residPost, // float32 [b, t, d], out of layer `last` (without the head)
  normalized: HeadIO.normalized, // float32 [b, t, d] (with the head)
  logits: HeadIO.logits, // float32 [b, K, t, V] (with the head)
} as const;

export interface FusedRun {
  first: number; // first layer, inclusive
  last: number; // last layer, inclusive
  head: boolean; // append the final layer norm and lm heads (only after the model's last layer)
}

export async function buildFusedBlocksGraph(reader: TensorReader, config: MusicgenConfig, run: FusedRun, storage: WeightStorage): Promise<Uint8Array> {
  const { hiddenSize: d, numHeads: h, headDim: hd, numCodebooks: K, codebookSize: V, numLayers: L } = config;
  checkLayer('buildFusedBlocksGraph', run.first, L);
  checkLayer('buildFusedBlocksGraph', run.last, L);
  if (run.last < run.first) throw new Error(`buildFusedBlocksGraph: layers [${run.first}, ${run.last}] are not a run`);
  if (run.head && run.last !== L - 1) throw new Error(`buildFusedBlocksGraph: the head follows layer ${L - 1}, not ${run.last}`);

  const g = new GraphBuilder(`blocks_${run.first}_${run.last}${run.head ? '_head' : ''}`, storage);
  const constants = layerConstants(g, config, 'layer_');
  const selfAttnBias = g.input(FusedIO.selfAttnBias, 'FLOAT', ['batch', 1, 'new_positions', 'total_positions']); // [b, 1, t, p+t]
  const crossAttnBias = g.input(FusedIO.crossAttnBias, 'FLOAT', ['batch', 1, 1, 'text_tokens']); // [b, 1, 1, s]
  let resid = g.input(FusedIO.residPre, 'FLOAT', ['batch', 'new_positions', d]); // [b, t, d]
  for (let layer = run.first; layer <= run.last; layer++) {
    const pastKey = g.input(FusedIO.pastKey(layer), 'FLOAT', ['past_positions', 'batch', h, hd]); // [p, b, h, hd]
    const pastValue = g.input(FusedIO.pastValue(layer), 'FLOAT', ['past_positions', 'batch', h, hd]); // [p, b, h, hd]
    const out = await addDecoderLayer(g, reader, config, layer, constants, {
      residPre: resid,
      selfKv: (k, v) => ({
        key: positionMajorCache(g, pastKey, k, FusedIO.newKey(layer), FusedIO.presentKey(layer), h, hd), // [b, h, p+t, hd]
        value: positionMajorCache(g, pastValue, v, FusedIO.newValue(layer), FusedIO.presentValue(layer), h, hd), // [b, h, p+t, hd]
      }),
      selfAttnBias,
      crossKey: g.input(FusedIO.crossKey(layer), 'FLOAT', ['batch', h, 'text_tokens', hd]), // [b, h, s, hd]
      crossValue: g.input(FusedIO.crossValue(layer), 'FLOAT', ['batch', h, 'text_tokens', hd]), // [b, h, s, hd]
      crossAttnBias,
    }, { weightPrefix: `layers.${layer}.` });
    resid = out.residPost; // [b, t, d]
  }
  if (run.head) {
    const { normalized, logits } = await addHead(g, reader, config, resid);
    g.output(normalized, FusedIO.normalized, 'FLOAT', ['batch', 'new_positions', d]); // [b, t, d]
    g.output(logits, FusedIO.logits, 'FLOAT', ['batch', K, 'new_positions', V]); // [b, K, t, V]
  } else {
    g.output(resid, FusedIO.residPost, 'FLOAT', ['batch', 'new_positions', d]); // [b, t, d]
  }
  const what = `decoder layers ${run.first}..${run.last}${run.head ? ' + head' : ''}`;
  return g.toBytes({ producer: 'musicgen-lab convert', doc: `${what} fused (no hooks)`, metadata: { first_layer: String(run.first), last_layer: String(run.last), head: String(run.head) } });
}
