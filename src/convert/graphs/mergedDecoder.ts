/**
 * merged_decoder.onnx: embed + every decoder layer + head in ONE graph, from the same weights and
 * the same per-layer construction as the bundle's graphs, but without patch inputs or module
 * outputs (like public "decoder_model_merged" exports). Only the benchmarks use it: it measures
 * what splitting the decoder per layer costs. Layers share one self-attention bias and one
 * cross-attention bias input.
 *
 * `storage` 'peer-q8' builds the peer's configuration: transformers.js ships MusicGen's merged
 * decoder quantised by onnxruntime's quantize_dynamic (its scripts/convert.py, April 2024 onward:
 * per_channel=True, reduce_range=True, weight type QInt8 because the graph has no Conv,
 * activations uint8, every MatMul whose B is a constant -> DynamicQuantizeLinear + MatMulInteger +
 * Cast + Mul). linear.ts writes exactly that pattern; embeddings stay float here (quantize_dynamic
 * also stores Gather tables as int8, which changes the size, not the step's compute).
 */
import { EmbedIO, HeadIO } from '../../bundle/graphContract';
import type { MusicgenConfig } from '../../checkpoint/musicgenConfig';
import type { TensorReader } from '../../checkpoint/types';
import { GraphBuilder, type Value, type WeightStorage } from '../onnx/builder';
import { addDecoderLayer, layerConstants } from './block';
import { addEmbedding } from './embed';
import { addHead } from './head';

export const MergedIO = {
  inputIds: EmbedIO.inputIds, // int64 [b, K, t]
  positionOffset: EmbedIO.positionOffset, // int64 [1]
  selfAttnBias: 'self_attn_bias', // float32 [b, 1, t, p+t]
  crossAttnBias: 'cross_attn_bias', // float32 [b, 1, 1, s]
  pastKey: (layer: number) => `past_key_${layer}`, // float32 [b, h, p, hd]
  pastValue: (layer: number) => `past_value_${layer}`, // float32 [b, h, p, hd]
  crossKey: (layer: number) => `cross_key_${layer}`, // float32 [b, h, s, hd]
  crossValue: (layer: number) => `cross_value_${layer}`, // float32 [b, h, s, hd]
  presentKey: (layer: number) => `present_key_${layer}`, // float32 [b, h, p+t, hd]
  presentValue: (layer: number) => `present_value_${layer}`, // float32 [b, h, p+t, hd]
  logits: HeadIO.logits, // float32 [b, K, t, V]
} as const;

export async function buildMergedDecoderGraph(reader: TensorReader, config: MusicgenConfig, storage: WeightStorage): Promise<Uint8Array> {
  const { numLayers: L, numHeads: h, headDim: hd, numCodebooks: K, codebookSize: V } = config;
  const g = new GraphBuilder('merged_decoder', storage);
  const inputIds = g.input(MergedIO.inputIds, 'INT64', ['batch', K, 'new_positions']); // [b, K, t]
  const positionOffset = g.input(MergedIO.positionOffset, 'INT64', [1]); // [1]
  const selfAttnBias = g.input(MergedIO.selfAttnBias, 'FLOAT', ['batch', 1, 'new_positions', 'total_positions']); // [b, 1, t, p+t]
  const crossAttnBias = g.input(MergedIO.crossAttnBias, 'FLOAT', ['batch', 1, 1, 'text_tokens']); // [b, 1, 1, s]

  let resid = await addEmbedding(g, reader, config, inputIds, positionOffset); // [b, t, d]
  const constants = layerConstants(g, config, 'layer_');
  for (let layer = 0; layer < L; layer++) {
    const pastKey = g.input(MergedIO.pastKey(layer), 'FLOAT', ['batch', h, 'past_positions', hd]); // [b, h, p, hd]
    const pastValue = g.input(MergedIO.pastValue(layer), 'FLOAT', ['batch', h, 'past_positions', hd]); // [b, h, p, hd]
    let present: { key: Value; value: Value } | undefined; // [b, h, p+t, hd] each
    const out = await addDecoderLayer(g, reader, config, layer, constants, {
      residPre: resid,
      // The conventional cache: head-major past in, Concat, the whole present out.
      selfKv: (k, v) => (present = { key: g.concat([pastKey, k], 2), value: g.concat([pastValue, v], 2) }),
      selfAttnBias,
      crossKey: g.input(MergedIO.crossKey(layer), 'FLOAT', ['batch', h, 'text_tokens', hd]),
      crossValue: g.input(MergedIO.crossValue(layer), 'FLOAT', ['batch', h, 'text_tokens', hd]),
      crossAttnBias,
    }, { weightPrefix: `layers.${layer}.` });
    if (!present) throw new Error(`merged decoder layer ${layer}: self-attention built no cache`);
    g.output(present.key, MergedIO.presentKey(layer), 'FLOAT', ['batch', h, 'total_positions', hd]);
    g.output(present.value, MergedIO.presentValue(layer), 'FLOAT', ['batch', h, 'total_positions', hd]);
    resid = out.residPost; // [b, t, d]
  }
  const { logits } = await addHead(g, reader, config, resid);
  g.output(logits, MergedIO.logits, 'FLOAT', ['batch', K, 'new_positions', V]); // [b, K, t, V]
  return g.toBytes({ producer: 'musicgen-lab bench', doc: 'merged decoder (embed + all layers + head), for benchmarks only' });
}
