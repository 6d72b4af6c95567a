/** head.onnx: the decoder's final layer norm and the K lm heads, stacked into [b, K, t, V]. */
import { HeadIO } from '../../bundle/graphContract';
import { hfNames, type MusicgenConfig } from '../../checkpoint/musicgenConfig';
import type { TensorReader } from '../../checkpoint/types';
import { GraphBuilder, type WeightStorage } from '../onnx/builder';
import { transposeMatrix } from './graphParts';
import { linear } from './linear';

export async function buildHeadGraph(reader: TensorReader, config: MusicgenConfig, storage: WeightStorage): Promise<Uint8Array> {
  const { hiddenSize: d, numCodebooks: K, codebookSize: V } = config;
  const g = new GraphBuilder('head', storage);
  const resid = g.input(HeadIO.resid, 'FLOAT', ['batch', 'new_positions', d]); // [b, t, d]
  const { normalized, logits } = await addHead(g, reader, config, resid);
  g.output(normalized, HeadIO.normalized, 'FLOAT', ['batch', 'new_positions', d]);
  g.output(logits, HeadIO.logits, 'FLOAT', ['batch', K, 'new_positions', V]); // [b, K, t, V]
  return g.toBytes({ producer: 'musicgen-lab convert', doc: 'final layer norm + lm heads' });
}

/** Adds the final layer norm and lm heads to `g` (also used by the merged decoder graph). */
export async function addHead(g: GraphBuilder, reader: TensorReader, config: MusicgenConfig, resid: string): Promise<{ normalized: string; logits: string }> {
  const { hiddenSize: d, numCodebooks: K, codebookSize: V } = config;
  const scale = g.weight('layer_norm.weight', await reader.readFloat32(hfNames.finalNorm('weight'), [d]), [d]); // [d]
  const bias = g.weight('layer_norm.bias', await reader.readFloat32(hfNames.finalNorm('bias'), [d]), [d]); // [d]
  const normalized = g.layerNorm(resid, scale, bias, config.layerNormEps); // [b, t, d]

  if (g.weightStorage !== 'fp32' && g.weightStorage !== 'fp16') {
    // Quantised: one projection per codebook (quantised ops take 2-D weights), stacked on axis 1.
    const perCodebook = g.op('Unsqueeze', [normalized, g.constInt64('axis_codebook', [1])]); // [b, 1, t, d]
    const logits: string[] = [];
    for (let k = 0; k < K; k++) logits.push(await linear(g, reader, perCodebook, hfNames.lmHead(k), V, d, `lm_heads.${k}.weight_t`)); // [b, 1, t, V]
    return { normalized, logits: g.concat(logits, 1) }; // logits [b, K, t, V]
  }
  // All heads as one [K, d, V] weight: a single broadcast MatMul gives [b, K, t, V] directly.
  const stacked = new Float32Array(K * d * V);
  for (let k = 0; k < K; k++) {
    const head = await reader.readFloat32(hfNames.lmHead(k), [V, d]); // [V, d]
    stacked.set(transposeMatrix(head, V, d), k * d * V); // [d, V]
  }
  const heads = g.weight('lm_heads.weight_t', stacked, [K, d, V]); // [K, d, V]
  const perCodebook = g.op('Unsqueeze', [normalized, g.constInt64('axis_codebook', [1])]); // [b, 1, t, d]
  return { normalized, logits: g.matmul(perCodebook, heads) }; // logits [b, K, t, V]
}
