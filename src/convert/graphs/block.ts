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
import { checkLayer, headShapes, layerNorm, mergeHeads, splitHeads, type HeadShapes } from './graphParts';
import { linear } from './linear';

const B = 'batch';
const T = 'new_positions';
const P = 'past_positions';
const TOTAL = 'total_positions'; // p + t
const S = 'text_tokens';

/** Constants a graph declares once, however many layers it holds (see mergedDecoder.ts). */
export interface LayerConstants {
  heads: HeadShapes;
  queryScale: Value; // float32 scalar head_dim^-0.5
  geluInvSqrt2: () => Value; // float32 scalar, declared on first use
  geluHalf: () => Value;
  geluOne: () => Value;
}

/** Declares the shared constants lazily; `prefix` keeps their names apart from other graph parts. */
export function layerConstants(g: GraphBuilder, config: MusicgenConfig, prefix = ''): LayerConstants {
  const lazy = (name: string, value: number) => {
    let declared: Value | undefined;
    return () => (declared ??= g.constFloat(`${prefix}${name}`, [value], []));
  };
  return {
    heads: headShapes(g, config.numHeads, config.headDim),
    queryScale: g.constFloat(`${prefix}query_scale`, [1 / Math.sqrt(config.headDim)], []),
    geluInvSqrt2: lazy('inv_sqrt2', Math.SQRT1_2),
    geluHalf: lazy('half', 0.5),
    geluOne: lazy('one', 1),
  };
}

/**
 * Where a layer's self-attention keys and values are cached: takes this call's key and value
 * [b, h, t, hd], adds them to the graph's cache and returns what attention reads, [b, h, p+t, hd].
 */
export type SelfKvCacheFn = (newKey: Value, newValue: Value) => { key: Value; value: Value };

/** The layer's graph inputs (or, in a merged graph, values from elsewhere in the graph). */
export interface LayerInputs {
  residPre: Value; // [b, t, d]
  selfKv: SelfKvCacheFn;
  selfAttnBias: Value; // [b, 1, t, p+t]
  crossKey: Value; // [b, h, s, hd]
  crossValue: Value; // [b, h, s, hd]
  crossAttnBias: Value; // [b, 1, 1, s]
}

export interface LayerOutputs {
  residPost: Value; // [b, t, d]
}

/** What happens to a module output before it joins the residual (identity in a merged graph). */
export type ModuleOutputFn = (module: BlockModule, raw: Value) => Value;

interface Ctx extends LayerConstants {
  g: GraphBuilder;
  reader: TensorReader;
  config: MusicgenConfig;
  layer: number;
  weightPrefix: string; // '' in block_{l}.onnx, `layers.{l}.` in a merged graph
  moduleOutput: ModuleOutputFn;
}

/** [b, t, d] -> [b, t, d] through the layer's `{module}.{proj}_proj` (no bias in MusicGen). */
async function project(ctx: Ctx, x: Value, module: 'self_attn' | 'encoder_attn', proj: 'q' | 'k' | 'v' | 'out'): Promise<Value> {
  const d = ctx.config.hiddenSize;
  return linear(ctx.g, ctx.reader, x, hfNames.layer(ctx.layer, `${module}.${proj}_proj.weight`), d, d, `${ctx.weightPrefix}${module}.${proj}_proj.weight_t`); // [b, t, d]
}

/** softmax(q · k^T + bias) · v, per head; q is already scaled. */
function attend(g: GraphBuilder, q: Value, key: Value, value: Value, bias: Value): Value {
  // q [b, h, t, hd], key/value [b, h, n, hd], bias broadcastable to [b, h, t, n]
  const scores = g.add(g.matmul(q, g.transpose(key, [0, 1, 3, 2])), bias); // [b, h, t, n]
  return g.matmul(g.softmax(scores, -1), value); // [b, h, t, hd]
}

/** `out * keep + add`, the single patching mechanism (keep 1, add 0 is a no-op). */
function patchInputs(g: GraphBuilder, d: number): ModuleOutputFn {
  return (module, raw) => {
    const keep = g.input(BlockIO.keep(module), 'FLOAT', [B, T, d]); // [b, t, d]
    const add = g.input(BlockIO.add(module), 'FLOAT', [B, T, d]); // [b, t, d]
    const patched = g.add(g.mul(raw, keep), add); // [b, t, d]
    return g.output(patched, BlockIO.moduleOut(module), 'FLOAT', [B, T, d]);
  };
}

async function selfAttention(ctx: Ctx, x: Value, io: LayerInputs): Promise<Value> {
  const { g, config } = ctx;
  const d = config.hiddenSize;
  const bias = io.selfAttnBias;

  const normed = await layerNorm(g, ctx.reader, x, hfNames.layer(ctx.layer, 'self_attn_layer_norm'), d, config.layerNormEps, `${ctx.weightPrefix}self_attn_layer_norm`); // [b, t, d]
  const q = splitHeads(g, g.mul(await project(ctx, normed, 'self_attn', 'q'), ctx.queryScale), ctx.heads); // [b, h, t, hd]
  const k = splitHeads(g, await project(ctx, normed, 'self_attn', 'k'), ctx.heads); // [b, h, t, hd]
  const v = splitHeads(g, await project(ctx, normed, 'self_attn', 'v'), ctx.heads); // [b, h, t, hd]
  const present = io.selfKv(k, v); // key, value [b, h, p+t, hd]

  const context = mergeHeads(g, attend(g, q, present.key, present.value, bias), ctx.heads); // [b, t, d]
  return ctx.moduleOutput('attn', await project(ctx, context, 'self_attn', 'out')); // [b, t, d]
}

async function crossAttention(ctx: Ctx, x: Value, io: LayerInputs): Promise<Value> {
  const { g, config } = ctx;
  const d = config.hiddenSize;
  const { crossKey, crossValue, crossAttnBias: bias } = io;

  const normed = await layerNorm(g, ctx.reader, x, hfNames.layer(ctx.layer, 'encoder_attn_layer_norm'), d, config.layerNormEps, `${ctx.weightPrefix}encoder_attn_layer_norm`); // [b, t, d]
  const q = splitHeads(g, g.mul(await project(ctx, normed, 'encoder_attn', 'q'), ctx.queryScale), ctx.heads); // [b, h, t, hd]
  const context = mergeHeads(g, attend(g, q, crossKey, crossValue, bias), ctx.heads); // [b, t, d]
  return ctx.moduleOutput('cross_attn', await project(ctx, context, 'encoder_attn', 'out')); // [b, t, d]
}

async function mlp(ctx: Ctx, x: Value): Promise<Value> {
  const { g, reader, config, layer } = ctx;
  const { hiddenSize: d, ffnDim: f } = config;
  const prefix = ctx.weightPrefix;
  const normed = await layerNorm(g, reader, x, hfNames.layer(layer, 'final_layer_norm'), d, config.layerNormEps, `${prefix}final_layer_norm`); // [b, t, d]
  const fc1 = await linear(g, reader, normed, hfNames.layer(layer, 'fc1.weight'), f, d, `${prefix}fc1.weight_t`); // [b, t, f]
  // Exact (erf) GELU: 0.5 x (1 + erf(x / sqrt 2)); opset 17 has no Gelu op, ORT fuses this pattern.
  const erf = g.op('Erf', [g.mul(fc1, ctx.geluInvSqrt2())]); // [b, t, f]
  const gelu = g.mul(g.mul(fc1, ctx.geluHalf()), g.add(erf, ctx.geluOne())); // [b, t, f]
  const fc2 = await linear(g, reader, gelu, hfNames.layer(layer, 'fc2.weight'), d, f, `${prefix}fc2.weight_t`); // [b, t, d]
  return ctx.moduleOutput('mlp', fc2); // [b, t, d]
}

/**
 * Adds one decoder layer's computation to `g`, reading its weights from `reader`. The block graph
 * wires graph inputs and patch points to it; the merged graph (mergedDecoder.ts) chains layers.
 */
export async function addDecoderLayer(
  g: GraphBuilder,
  reader: TensorReader,
  config: MusicgenConfig,
  layer: number,
  constants: LayerConstants,
  io: LayerInputs,
  options: { weightPrefix?: string; moduleOutput?: ModuleOutputFn } = {},
): Promise<LayerOutputs> {
  checkLayer('addDecoderLayer', layer, config.numLayers);
  const ctx: Ctx = { ...constants, g, reader, config, layer, weightPrefix: options.weightPrefix ?? '', moduleOutput: options.moduleOutput ?? ((_, raw) => raw) };
  const afterAttn = g.add(io.residPre, await selfAttention(ctx, io.residPre, io)); // [b, t, d]
  const afterCross = g.add(afterAttn, await crossAttention(ctx, afterAttn, io)); // [b, t, d]
  const residPost = g.add(afterCross, await mlp(ctx, afterCross)); // [b, t, d]
  return { residPost };
}

/**
 * The block graph's cache, position-major so that the caller's cached prefix is one contiguous
 * view: past [p, b, h, hd] + this call's [b, h, t, hd] -> present [p+t, b, h, hd]. Both the new
 * positions (`newName`, for a cache kept in host memory) and the whole present (`presentName`, for
 * one kept on the device) are outputs; a caller fetches one of them. Returns attention's [b, h, p+t, hd].
 * Also used by fusedBlocks.ts, with per-layer output names.
 */
export function positionMajorCache(g: GraphBuilder, past: Value, fresh: Value, newName: string, presentName: string, h: number, hd: number): Value {
  // Ops write the outputs under their own names: no Identity copy between them.
  const freshPositions = g.output(g.op('Transpose', [fresh], { perm: [2, 0, 1, 3] }, newName), newName, 'FLOAT', [T, B, h, hd]); // [t, b, h, hd]
  // Concat accepts p = 0 (an empty past on the first step).
  const present = g.output(g.op('Concat', [past, freshPositions], { axis: 0 }, presentName), presentName, 'FLOAT', [TOTAL, B, h, hd]); // [p+t, b, h, hd]
  return g.transpose(present, [1, 2, 0, 3]); // [b, h, p+t, hd]
}

export async function buildBlockGraph(reader: TensorReader, config: MusicgenConfig, layer: number, storage: WeightStorage): Promise<Uint8Array> {
  checkLayer('buildBlockGraph', layer, config.numLayers);
  const { hiddenSize: d, numHeads: h, headDim: hd } = config;
  const g = new GraphBuilder(`block_${layer}`, storage);
  const constants = layerConstants(g, config);
  const pastKey = g.input(BlockIO.pastKey, 'FLOAT', [P, B, h, hd]); // [p, b, h, hd]
  const pastValue = g.input(BlockIO.pastValue, 'FLOAT', [P, B, h, hd]); // [p, b, h, hd]
  const io: LayerInputs = {
    residPre: g.input(BlockIO.residPre, 'FLOAT', [B, T, d]), // [b, t, d]
    selfKv: (k, v) => ({
      key: positionMajorCache(g, pastKey, k, BlockIO.newKey, BlockIO.presentKey, h, hd),
      value: positionMajorCache(g, pastValue, v, BlockIO.newValue, BlockIO.presentValue, h, hd),
    }),
    selfAttnBias: g.input(BlockIO.selfAttnBias, 'FLOAT', [B, 1, T, TOTAL]), // [b, 1, t, p+t]
    crossKey: g.input(BlockIO.crossKey, 'FLOAT', [B, h, S, hd]), // [b, h, s, hd]
    crossValue: g.input(BlockIO.crossValue, 'FLOAT', [B, h, S, hd]), // [b, h, s, hd]
    crossAttnBias: g.input(BlockIO.crossAttnBias, 'FLOAT', [B, 1, 1, S]), // [b, 1, 1, s]
  };
  const out = await addDecoderLayer(g, reader, config, layer, constants, io, { moduleOutput: patchInputs(g, d) });
  g.output(out.residPost, BlockIO.residPost, 'FLOAT', [B, T, d]);
  return g.toBytes({ producer: 'musicgen-lab convert', doc: `MusicGen decoder layer ${layer}`, metadata: { layer: String(layer) } });
}
