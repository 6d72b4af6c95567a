/**
 * The peer configuration (transformers.js's q8 merged decoder, rebuilt with quantize_dynamic's
 * recipe) is the fp32 merged decoder with quantised MatMuls. Both read the same teacher-forced
 * tokens in one call; the argmax of their logits mostly agrees. The floor sits below the measured
 * agreement (printed by the test).
 */
import { describe, expect, it } from 'vitest';
import { randomCheckpointReader } from '../../../src/bench/randomReader';
import { parseMusicgenConfig } from '../../../src/checkpoint/musicgenConfig';
import { buildMergedDecoderGraph, MergedIO } from '../../../src/convert/graphs/mergedDecoder';
import { decodeModel } from '../../../src/convert/onnx/proto';
import { tinyMusicgenConfig } from '../../../src/demo/tinyConfig';
import { agreement } from '../../../src/golden/drift';
import { createRuntime, type Backend, type HostTensor } from '../../../src/runtime/ort';
import { randomArray, seededRandom } from '../tinyCheckpoint';

const config = parseMusicgenConfig(tinyMusicgenConfig(), 'tiny');
const { numLayers: L, numHeads: h, headDim: hd, numCodebooks: K, codebookSize: V } = config;
const [B, T, S] = [2, 24, 5];
// Measured on this seeded tiny model: 95.3 % on node and WASM (2026-11-25).
const AGREEMENT_FLOOR = 0.85;

/** Every position's teacher-forced inputs: random codes, causal bias, random cross K/V. */
function feeds(): Record<string, HostTensor> {
  const random = seededRandom(11);
  const ids = BigInt64Array.from({ length: B * K * T }, () => BigInt(Math.floor(random() * V))); // [B, K, T]
  const causal = new Float32Array(B * T * T); // [B, 1, T, T]
  for (let b = 0; b < B; b++) for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) causal[(b * T + i) * T + j] = -1e9;
  const out: Record<string, HostTensor> = {
    [MergedIO.inputIds]: { type: 'int64', data: ids, dims: [B, K, T] },
    [MergedIO.positionOffset]: { type: 'int64', data: BigInt64Array.of(0n), dims: [1] },
    [MergedIO.selfAttnBias]: { type: 'float32', data: causal, dims: [B, 1, T, T] },
    [MergedIO.crossAttnBias]: { type: 'float32', data: new Float32Array(B * S), dims: [B, 1, 1, S] },
  };
  for (let l = 0; l < L; l++) {
    out[MergedIO.pastKey(l)] = { type: 'float32', data: new Float32Array(0), dims: [B, h, 0, hd] };
    out[MergedIO.pastValue(l)] = { type: 'float32', data: new Float32Array(0), dims: [B, h, 0, hd] };
    out[MergedIO.crossKey(l)] = { type: 'float32', data: randomArray(random, B * h * S * hd), dims: [B, h, S, hd] };
    out[MergedIO.crossValue(l)] = { type: 'float32', data: randomArray(random, B * h * S * hd), dims: [B, h, S, hd] };
  }
  return out;
}

/** argmax over V of logits [B, K, T, V] -> [B * K * T] */
function argmaxCodes(logits: Float32Array): Int32Array {
  const out = new Int32Array(logits.length / V);
  for (let row = 0; row < out.length; row++) {
    let best = 0;
    for (let v = 1; v < V; v++) if (logits[row * V + v] > logits[row * V + best]) best = v;
    out[row] = best;
  }
  return out;
}

describe('peer-q8 merged decoder', () => {
  it.each<Backend>(['node', 'wasm'])('predicts mostly the fp32 merged decoder\'s greedy tokens on %s', async (backend) => {
    const reader = randomCheckpointReader(config, 3);
    const runtime = await createRuntime(backend);
    const codes: Int32Array[] = [];
    for (const storage of ['fp32', 'peer-q8'] as const) {
      const session = await runtime.createSession(`merged ${storage}`, await buildMergedDecoderGraph(reader, config, storage));
      const logits = (await session.run(feeds(), [MergedIO.logits]))[MergedIO.logits];
      codes.push(argmaxCodes(logits.data as Float32Array));
      await session.release();
    }
    const measured = agreement(codes[1], codes[0]);
    console.log(`peer-q8 vs fp32 merged decoder on ${backend}: ${(100 * measured).toFixed(1)} % of ${codes[0].length} greedy tokens agree`);
    expect(measured).toBeGreaterThanOrEqual(AGREEMENT_FLOOR);
  });

  it('quantises every projection with a constant weight the way quantize_dynamic does, and nothing else', async () => {
    const model = decodeModel(await buildMergedDecoderGraph(randomCheckpointReader(config, 3), config, 'peer-q8'));
    const count = (op: string) => model.graph.node.filter((node) => node.opType === op).length;
    // self q, k, v, out; cross q, out; fc1, fc2 per layer, plus one per lm head.
    expect(count('MatMulInteger')).toBe(L * 8 + K);
    // One per quantised input: self q/k/v share it, then self out, cross q, cross out, fc1, fc2; the heads share one.
    expect(count('DynamicQuantizeLinear')).toBe(L * 6 + 1);
    expect(count('MatMul')).toBe(L * 4); // attention scores and contexts (activation × activation) stay float
    const int8 = model.graph.initializer.filter((t) => t.dataType === 3);
    expect(int8.filter((t) => t.name.endsWith('_q8'))).toHaveLength(L * 8 + K);
    expect(int8.filter((t) => t.name.endsWith('_zero_point'))).toHaveLength(L * 8 + K);
  });
});
