import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { hfNames, parseMusicgenConfig } from '../../src/checkpoint/musicgenConfig';
import { makeTinyCheckpoint } from '../../src/demo/tinyCheckpoint';

const GOLDEN_CHECKPOINT = '../shared/fixtures/golden-tiny/model.safetensors';

/** Tensor names and shapes from a safetensors header. */
function headerShapes(path: string): Map<string, number[]> {
  const file = readFileSync(path);
  const length = Number(file.readBigUInt64LE(0));
  const header = JSON.parse(file.subarray(8, 8 + length).toString('utf8')) as Record<string, { shape: number[] }>;
  return new Map(Object.entries(header).filter(([name]) => name !== '__metadata__').map(([name, info]) => [name, info.shape]));
}

/** The golden checkpoint's names with its layer count and sizes swapped for the tiny model's. */
function expectedShapes(numLayers: number, d: number, ffn: number, vocab: number, textD: number): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  for (let k = 0; k < 4; k++) shapes.set(hfNames.embed(k), [vocab + 1, d]);
  for (let l = 0; l < numLayers; l++) {
    for (const attention of ['self_attn', 'encoder_attn']) {
      for (const p of ['q_proj', 'k_proj', 'v_proj', 'out_proj']) shapes.set(hfNames.layer(l, `${attention}.${p}.weight`), [d, d]);
    }
    for (const norm of ['self_attn_layer_norm', 'encoder_attn_layer_norm', 'final_layer_norm']) {
      shapes.set(hfNames.layer(l, `${norm}.weight`), [d]);
      shapes.set(hfNames.layer(l, `${norm}.bias`), [d]);
    }
    shapes.set(hfNames.layer(l, 'fc1.weight'), [ffn, d]);
    shapes.set(hfNames.layer(l, 'fc2.weight'), [d, ffn]);
  }
  shapes.set(hfNames.finalNorm('weight'), [d]);
  shapes.set(hfNames.finalNorm('bias'), [d]);
  for (let k = 0; k < 4; k++) shapes.set(hfNames.lmHead(k), [vocab, d]);
  shapes.set(hfNames.encToDec('weight'), [d, textD]);
  shapes.set(hfNames.encToDec('bias'), [d]);
  return shapes;
}

function std(values: Float32Array, mean = 0): number {
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
}

describe('makeTinyCheckpoint', () => {
  const { config, tensors } = makeTinyCheckpoint(42);
  const parsed = parseMusicgenConfig(config);
  const byName = new Map(tensors.map((t) => [t.name, t]));

  it('has exactly the decoder tensors of a HF MusicGen checkpoint, with their shapes', () => {
    const expected = expectedShapes(parsed.numLayers, parsed.hiddenSize, parsed.ffnDim, parsed.codebookSize, parsed.textHiddenSize);
    expect(new Map(tensors.map((t) => [t.name, t.shape]))).toEqual(expected);
    expect(tensors.every((t) => t.dtype === 'F32' && t.data instanceof Float32Array && t.data.length === t.shape.reduce((a, b) => a * b, 1))).toBe(true);
  });

  it('uses the same tensor names per layer as the real-layout golden-tiny checkpoint', () => {
    const golden = headerShapes(GOLDEN_CHECKPOINT);
    const layerPattern = /^decoder\.model\.decoder\.layers\.\d+\./;
    const suffixes = (names: Iterable<string>) => new Set([...names].map((n) => n.replace(layerPattern, 'decoder.model.decoder.layers.L.')));
    expect(suffixes(byName.keys())).toEqual(suffixes(golden.keys()));
  });

  it('scales weights so activations stay sane: projections ~1/sqrt(fan_in), layer norms near 1', () => {
    const q = byName.get(hfNames.layer(0, 'self_attn.q_proj.weight'))!.data as Float32Array;
    expect(std(q)).toBeGreaterThan(0.1);
    expect(std(q)).toBeLessThan(0.15);
    const fc2 = byName.get(hfNames.layer(2, 'fc2.weight'))!.data as Float32Array;
    expect(std(fc2)).toBeCloseTo(1 / 16, 2);
    const norm = byName.get(hfNames.layer(1, 'final_layer_norm.weight'))!.data as Float32Array;
    expect(norm.reduce((a, b) => a + b, 0) / norm.length).toBeCloseTo(1, 1);
    expect(Math.min(...norm)).toBeGreaterThan(0.5);
    expect(tensors.every((t) => (t.data as Float32Array).every(Number.isFinite))).toBe(true);
  });

  it('gives lm heads wide enough that logits of a normalised state spread over units (sampling is not uniform)', () => {
    const head = byName.get(hfNames.lmHead(0))!.data as Float32Array; // [V, d]
    const d = parsed.hiddenSize;
    const unitState = Float32Array.from({ length: d }, (_, i) => (i % 2 === 0 ? 1 : -1)); // a layer-normed vector: mean 0, var 1
    const logits = Array.from({ length: parsed.codebookSize }, (_, v) => unitState.reduce((a, x, i) => a + x * head[v * d + i], 0));
    const logitStd = std(Float32Array.from(logits), logits.reduce((a, b) => a + b, 0) / logits.length);
    expect(logitStd).toBeGreaterThan(1);
    expect(logitStd).toBeLessThan(5);
  });

  it('is deterministic per seed, and seeds differ', () => {
    const bytes = (t: { data: Float32Array | Uint16Array | BigInt64Array }) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    const again = makeTinyCheckpoint(42).tensors;
    expect(again.map((t) => t.name)).toEqual(tensors.map((t) => t.name));
    expect(again.every((t, i) => bytes(t).equals(bytes(tensors[i])))).toBe(true);
    const other = makeTinyCheckpoint(43).tensors;
    expect(other[0].data).not.toEqual(tensors[0].data);
  });

  it('gives every tensor its own random stream', () => {
    const k0 = byName.get(hfNames.layer(0, 'self_attn.k_proj.weight'))!.data;
    const k1 = byName.get(hfNames.layer(1, 'self_attn.k_proj.weight'))!.data;
    expect(k0).not.toEqual(k1);
  });
});
