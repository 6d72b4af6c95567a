import { describe, expect, it } from 'vitest';
import { BLOCK_MODULES, BlockIO, MASKED } from '../../../src/bundle/graphContract';
import { buildBlockGraph } from '../../../src/convert/graphs/block';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../../../src/tensor/float16';
import { causalBias, referenceBlock, type BlockInputs } from '../referenceDecoder';
import { floatFeed, maxAbsDiff, memoryReader, randomArray, randomWeights, runGraph, seededRandom, tinyConfig, type Feed, type Weights } from '../tinyCheckpoint';

const config = tinyConfig;
const { hiddenSize: d, numHeads: h, headDim: hd } = config;

/** Random block inputs; `paddedTail` masks the last text tokens of the last batch row. */
function makeInputs(seed: number, b: number, t: number, p: number, s: number, options: { patched?: boolean; paddedTail?: number } = {}): BlockInputs {
  const random = seededRandom(seed);
  const crossAttnBias = new Float32Array(b * s);
  for (let j = s - (options.paddedTail ?? 0); j < s; j++) crossAttnBias[(b - 1) * s + j] = MASKED;
  const modules = (make: () => Float32Array) => ({ attn: make(), cross_attn: make(), mlp: make() });
  return {
    b, t, p, s,
    residPre: randomArray(random, b * t * d),
    pastKey: randomArray(random, b * h * p * hd),
    pastValue: randomArray(random, b * h * p * hd),
    selfAttnBias: causalBias(b, t, p),
    crossKey: randomArray(random, b * h * s * hd),
    crossValue: randomArray(random, b * h * s * hd),
    crossAttnBias,
    keep: modules(() => (options.patched ? randomArray(random, b * t * d, 1) : new Float32Array(b * t * d).fill(1))),
    add: modules(() => (options.patched ? randomArray(random, b * t * d, 0.5) : new Float32Array(b * t * d))),
  };
}

/** Positions [from, to) of a head-major [b, h, n, hd] array, position-major: [to-from, b, h, hd]. */
function positionMajor(x: Float32Array, b: number, n: number, from: number, to: number): Float32Array {
  const out = new Float32Array((to - from) * b * h * hd);
  for (let pos = from; pos < to; pos++) {
    for (let row = 0; row < b; row++) {
      for (let head = 0; head < h; head++) {
        const src = ((row * h + head) * n + pos) * hd;
        out.set(x.subarray(src, src + hd), (((pos - from) * b + row) * h + head) * hd);
      }
    }
  }
  return out;
}

function feeds(x: BlockInputs): Record<string, Feed> {
  const { b, t, p, s } = x;
  const out: Record<string, Feed> = {
    [BlockIO.residPre]: floatFeed(x.residPre, [b, t, d]),
    [BlockIO.pastKey]: floatFeed(positionMajor(x.pastKey, b, p, 0, p), [p, b, h, hd]),
    [BlockIO.pastValue]: floatFeed(positionMajor(x.pastValue, b, p, 0, p), [p, b, h, hd]),
    [BlockIO.selfAttnBias]: floatFeed(x.selfAttnBias, [b, 1, t, p + t]),
    [BlockIO.crossKey]: floatFeed(x.crossKey, [b, h, s, hd]),
    [BlockIO.crossValue]: floatFeed(x.crossValue, [b, h, s, hd]),
    [BlockIO.crossAttnBias]: floatFeed(x.crossAttnBias, [b, 1, 1, s]),
  };
  for (const module of BLOCK_MODULES) {
    out[BlockIO.keep(module)] = floatFeed(x.keep[module], [b, t, d]);
    out[BlockIO.add(module)] = floatFeed(x.add[module], [b, t, d]);
  }
  return out;
}

const OUTPUTS = ['resid_post', 'attn_out', 'cross_attn_out', 'mlp_out'] as const;

async function compareToReference(weights: Weights, layer: number, x: BlockInputs, tolerance: number, storage: 'fp32' | 'fp16' = 'fp32', referenceWeights = weights) {
  const bytes = await buildBlockGraph(memoryReader(weights), config, layer, storage);
  const actual = await runGraph(bytes, feeds(x));
  const expected = referenceBlock(referenceWeights, config, layer, x);
  expect(actual[BlockIO.residPost].dims).toEqual([x.b, x.t, d]);
  for (const name of OUTPUTS) {
    expect(maxAbsDiff(actual[name].data, expected[name]), name).toBeLessThan(tolerance);
  }
  // The cache is position-major: the new positions (for a host cache) and the whole present (for a device cache).
  const total = x.p + x.t;
  expect(actual[BlockIO.newKey].dims).toEqual([x.t, x.b, h, hd]);
  expect(actual[BlockIO.presentKey].dims).toEqual([total, x.b, h, hd]);
  expect(maxAbsDiff(actual[BlockIO.newKey].data, positionMajor(expected.present_key, x.b, total, x.p, total)), 'new_key').toBeLessThan(tolerance);
  expect(maxAbsDiff(actual[BlockIO.newValue].data, positionMajor(expected.present_value, x.b, total, x.p, total)), 'new_value').toBeLessThan(tolerance);
  expect(maxAbsDiff(actual[BlockIO.presentKey].data, positionMajor(expected.present_key, x.b, total, 0, total)), 'present_key').toBeLessThan(tolerance);
  expect(maxAbsDiff(actual[BlockIO.presentValue].data, positionMajor(expected.present_value, x.b, total, 0, total)), 'present_value').toBeLessThan(tolerance);
  return { actual, bytes };
}

describe('buildBlockGraph', () => {
  const weights = randomWeights(config, 11);

  it('matches the reference on the first step (p = 0) with t > 1 and a causal bias', async () => {
    await compareToReference(weights, 0, makeInputs(1, 2, 5, 0, 4), 1e-4);
  });

  it('matches the reference with a cached past (p > 0), one and several new positions', async () => {
    await compareToReference(weights, 1, makeInputs(2, 2, 1, 6, 3), 1e-4);
    await compareToReference(weights, 2, makeInputs(3, 3, 3, 4, 3), 1e-4);
  });

  it('patches each module output per row as out * keep + add before it joins the residual', async () => {
    await compareToReference(weights, 1, makeInputs(4, 2, 3, 2, 4, { patched: true }), 1e-4);
  });

  it('replaces a module output exactly when keep is 0', async () => {
    const x = makeInputs(5, 2, 2, 1, 3);
    x.keep.mlp.fill(0);
    x.add.mlp = randomArray(seededRandom(9), x.b * x.t * d);
    const { actual } = await compareToReference(weights, 0, x, 1e-4);
    expect(maxAbsDiff(actual[BlockIO.moduleOut('mlp')].data, x.add.mlp)).toBeLessThan(1e-6);
  });

  it('ignores padded text tokens masked by cross_attn_bias', async () => {
    const x = makeInputs(6, 2, 2, 0, 5, { paddedTail: 2 });
    const { actual } = await compareToReference(weights, 2, x, 1e-4);
    // Scribble over the masked keys/values of the padded row: nothing may change.
    const scribbled = { ...x, crossKey: x.crossKey.slice(), crossValue: x.crossValue.slice() };
    for (let head = 0; head < h; head++) {
      for (let j = 3; j < 5; j++) {
        for (let c = 0; c < hd; c++) {
          const at = (((x.b - 1) * h + head) * x.s + j) * hd + c;
          scribbled.crossKey[at] = 50;
          scribbled.crossValue[at] = -70;
        }
      }
    }
    const again = await runGraph(await buildBlockGraph(memoryReader(weights), config, 2, 'fp32'), feeds(scribbled));
    expect(maxAbsDiff(again[BlockIO.moduleOut('cross_attn')].data, actual[BlockIO.moduleOut('cross_attn')].data)).toBeLessThan(1e-6);
  });

  it('computes with the fp16-rounded weights when stored as fp16', async () => {
    const x = makeInputs(7, 2, 3, 2, 4, { patched: true });
    const rounded: Weights = new Map([...weights].map(([name, w]) => [name, { shape: w.shape, data: w.data.map((v) => float16BitsToFloat32(float32ToFloat16Bits(v))) }]));
    // Against the reference on fp16-rounded weights: compute stays float32, so tight.
    await compareToReference(weights, 1, x, 1e-4, 'fp16', rounded);
    // Against the exact weights: only the weights' rounding error (~1e-3 relative).
    await compareToReference(weights, 1, x, 2e-2, 'fp16');
  });

  it('writes an fp16 block at about half the size of the fp32 one', async () => {
    // Wide enough that weights, not graph structure, dominate the file.
    const wide = { ...config, hiddenSize: 128, headDim: 32, ffnDim: 512, numLayers: 1 };
    const wideWeights = randomWeights(wide, 12);
    const fp32 = await buildBlockGraph(memoryReader(wideWeights), wide, 0, 'fp32');
    const fp16 = await buildBlockGraph(memoryReader(wideWeights), wide, 0, 'fp16');
    const blockWeightBytes = 4 * (6 * 128 * 128 + 2 * 128 * 512 + 6 * 128); // 6 attention projections, fc1, fc2, 3 norms
    expect(fp32.byteLength).toBeGreaterThan(blockWeightBytes);
    expect(fp32.byteLength).toBeLessThan(blockWeightBytes * 1.02);
    expect(fp16.byteLength / fp32.byteLength).toBeGreaterThan(0.49);
    expect(fp16.byteLength / fp32.byteLength).toBeLessThan(0.52);
  });

  it('rejects a layer the model does not have', async () => {
    await expect(buildBlockGraph(memoryReader(weights), config, 3, 'fp32')).rejects.toThrow(/layer 3 does not exist \(model has 3 layers\)/);
  });

  it('names the tensor whose shape is wrong', async () => {
    const broken: Weights = new Map(weights);
    broken.set('decoder.model.decoder.layers.0.fc1.weight', { shape: [d, config.ffnDim], data: new Float32Array(d * config.ffnDim) });
    await expect(buildBlockGraph(memoryReader(broken), config, 0, 'fp32')).rejects.toThrow(/layers\.0\.fc1\.weight/);
  });
});
