/**
 * block_{l}.onnx: one pre-LN MusicGen decoder layer (audiocraft StreamingTransformerLayer):
 *   x += SA(LN1 x); x += CA(LN2 x, cross K/V); x += fc2(gelu(fc1(LN3 x)))
 * Each module output is patched per row as `out * keep + add` before it joins the residual,
 * and is also a graph output (the hook point).
 */
import { BlockIO, type BlockModule } from '../../bundle/graphContract';
import { hfNames, type MusicgenConfig } from '../../checkpoint/musicgenConfig';
import type { TensorReader } from '../../checkpoint/types';
import { GraphBuilder, type Value, type WeightStorage } from '../onnx/builder';
import { checkLayer, headShapes, layerNorm, linearWeight, mergeHeads, splitHeads, type HeadShapes } from './graphParts';

const B = 'batch';
const T = 'new_positions';
const P = 'past_positions';
const TOTAL = 'total_positions'; // p + t
const S = 'text_tokens';

interface Ctx {
  g: GraphBuilder;
  reader: TensorReader;
  config: MusicgenConfig;
  layer: number;
  heads: HeadShapes;
  queryScale: Value; // float32 scalar head_dim^-0.5
}

/** [b, t, d] -> [b, t, d] through the layer's `{module}.{proj}_proj` (no bias in MusicGen). */
async function project(ctx: Ctx, x: Value, module: 'self_attn' | 'encoder_attn', proj: 'q' | 'k' | 'v' | 'out'): Promise<Value> {
  const d = ctx.config.hiddenSize;
  const w = await linearWeight(ctx.g, ctx.reader, hfNames.layer(ctx.layer, `${module}.${proj}_proj.weight`), d, d, `${module}.${proj}_proj.weight_t`); // [d, d]
  return ctx.g.matmul(x, w); // [b, t, d]
}

/** softmax(q · k^T + bias) · v, per head; q is already scaled. */
function attend(g: GraphBuilder, q: Value, key: Value, value: Value, bias: Value): Value {
  // q [b, h, t, hd], key/value [b, h, n, hd], bias broadcastable to [b, h, t, n]
  const scores = g.add(g.matmul(q, g.transpose(key, [0, 1, 3, 2])), bias); // [b, h, t, n]
  return g.matmul(g.softmax(scores, -1), value); // [b, h, t, hd]
}

/** `out * keep + add`, the single patching mechanism (keep 1, add 0 is a no-op). */
function patch(ctx: Ctx, module: BlockModule, raw: Value): Value {
  const d = ctx.config.hiddenSize;
  const keep = ctx.g.input(BlockIO.keep(module), 'FLOAT', [B, T, d]); // [b, t, d]
  const add = ctx.g.input(BlockIO.add(module), 'FLOAT', [B, T, d]); // [b, t, d]
  const patched = ctx.g.add(ctx.g.mul(raw, keep), add); // [b, t, d]
  return ctx.g.output(patched, BlockIO.moduleOut(module), 'FLOAT', [B, T, d]);
}

async function selfAttention(ctx: Ctx, x: Value): Promise<Value> {
  const { g, config } = ctx;
  const { hiddenSize: d, numHeads: h, headDim: hd } = config;
  const pastKey = g.input(BlockIO.pastKey, 'FLOAT', [B, h, P, hd]); // [b, h, p, hd]
  const pastValue = g.input(BlockIO.pastValue, 'FLOAT', [B, h, P, hd]); // [b, h, p, hd]
  const bias = g.input(BlockIO.selfAttnBias, 'FLOAT', [B, 1, T, TOTAL]); // [b, 1, t, p+t]

  const normed = await layerNorm(g, ctx.reader, x, hfNames.layer(ctx.layer, 'self_attn_layer_norm'), d, config.layerNormEps, 'self_attn_layer_norm'); // [b, t, d]
  const q = splitHeads(g, g.mul(await project(ctx, normed, 'self_attn', 'q'), ctx.queryScale), ctx.heads); // [b, h, t, hd]
  const k = splitHeads(g, await project(ctx, normed, 'self_attn', 'k'), ctx.heads); // [b, h, t, hd]
  const v = splitHeads(g, await project(ctx, normed, 'self_attn', 'v'), ctx.heads); // [b, h, t, hd]
  // Concat accepts p = 0 (an empty past on the first step).
  const presentKey = g.output(g.concat([pastKey, k], 2), BlockIO.presentKey, 'FLOAT', [B, h, TOTAL, hd]); // [b, h, p+t, hd]
  const presentValue = g.output(g.concat([pastValue, v], 2), BlockIO.presentValue, 'FLOAT', [B, h, TOTAL, hd]); // [b, h, p+t, hd]

  const context = mergeHeads(g, attend(g, q, presentKey, presentValue, bias), ctx.heads); // [b, t, d]
  return patch(ctx, 'attn', await project(ctx, context, 'self_attn', 'out')); // [b, t, d]
}

async function crossAttention(ctx: Ctx, x: Value): Promise<Value> {
  const { g, config } = ctx;
  const { hiddenSize: d, numHeads: h, headDim: hd } = config;
  const crossKey = g.input(BlockIO.crossKey, 'FLOAT', [B, h, S, hd]); // [b, h, s, hd]
  const crossValue = g.input(BlockIO.crossValue, 'FLOAT', [B, h, S, hd]); // [b, h, s, hd]
  const bias = g.input(BlockIO.crossAttnBias, 'FLOAT', [B, 1, 1, S]); // [b, 1, 1, s]

  const normed = await layerNorm(g, ctx.reader, x, hfNames.layer(ctx.layer, 'encoder_attn_layer_norm'), d, config.layerNormEps, 'encoder_attn_layer_norm'); // [b, t, d]
  const q = splitHeads(g, g.mul(await project(ctx, normed, 'encoder_attn', 'q'), ctx.queryScale), ctx.heads); // [b, h, t, hd]
  const context = mergeHeads(g, attend(g, q, crossKey, crossValue, bias), ctx.heads); // [b, t, d]
  return patch(ctx, 'cross_attn', await project(ctx, context, 'encoder_attn', 'out')); // [b, t, d]
}

async function mlp(ctx: Ctx, x: Value): Promise<Value> {
  const { g, reader, config, layer } = ctx;
  const { hiddenSize: d, ffnDim: f } = config;
  const normed = await layerNorm(g, reader, x, hfNames.layer(layer, 'final_layer_norm'), d, config.layerNormEps, 'final_layer_norm'); // [b, t, d]
  const fc1 = g.matmul(normed, await linearWeight(g, reader, hfNames.layer(layer, 'fc1.weight'), f, d, 'fc1.weight_t')); // [b, t, f]
  // Exact (erf) GELU: 0.5 x (1 + erf(x / sqrt 2)); opset 17 has no Gelu op, ORT fuses this pattern.
  const erf = g.op('Erf', [g.mul(fc1, g.constFloat('inv_sqrt2', [Math.SQRT1_2], []))]); // [b, t, f]
  const gelu = g.mul(g.mul(fc1, g.constFloat('half', [0.5], [])), g.add(erf, g.constFloat('one', [1], []))); // [b, t, f]
  const fc2 = g.matmul(gelu, await linearWeight(g, reader, hfNames.layer(layer, 'fc2.weight'), d, f, 'fc2.weight_t')); // [b, t, d]
  return patch(ctx, 'mlp', fc2); // [b, t, d]
}

export async function buildBlockGraph(reader: TensorReader, config: MusicgenConfig, layer: number, storage: WeightStorage): Promise<Uint8Array> {
  checkLayer('buildBlockGraph', layer, config.numLayers);
  const d = config.hiddenSize;
  const g = new GraphBuilder(`block_${layer}`, storage);
  const ctx: Ctx = {
    g,
    reader,
    config,
    layer,
    heads: headShapes(g, config.numHeads, config.headDim),
    queryScale: g.constFloat('query_scale', [1 / Math.sqrt(config.headDim)], []),
  };

  const residPre = g.input(BlockIO.residPre, 'FLOAT', [B, T, d]); // [b, t, d]
  const afterAttn = g.add(residPre, await selfAttention(ctx, residPre)); // [b, t, d]
  const afterCross = g.add(afterAttn, await crossAttention(ctx, afterAttn)); // [b, t, d]
  const residPost = g.add(afterCross, await mlp(ctx, afterCross)); // [b, t, d]
  g.output(residPost, BlockIO.residPost, 'FLOAT', [B, T, d]);
  return g.toBytes({ producer: 'musicgen-lab convert', doc: `MusicGen decoder layer ${layer}`, metadata: { layer: String(layer) } });
}
