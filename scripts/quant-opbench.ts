/**
 * npx tsx scripts/quant-opbench.ts [--backend node|wasm|all] [--runs N] [--threads T] [--only A,B] [--block | --sizes]
 * Times one decoder layer's six projections (q, k, v, out: d×d; fc1: d×4d; fc2: 4d×d) chained in
 * one graph, at musicgen-small's shapes (d 1024, batch 2, one new position), for each candidate
 * way of running a quantised projection. Picks the op the q8/q4 bundles use; not in CI.
 * --block times the converter's real block_0.onnx instead (fp32, fp16, q8, q4; 100 past positions,
 * 16 text tokens), with random weights at musicgen-small's shapes.
 * --sizes converts a random musicgen-small checkpoint per dtype and prints each bundle's bytes
 * (graphs only; run it under `flock /tmp/musicgen-fullsize.lock`).
 */
import { parseArgs } from 'node:util';
import { randomCheckpointReader } from '../src/bench/randomReader';
import { musicgenSmallConfig } from '../src/bench/configs';
import { BLOCK_MODULES, BlockIO } from '../src/bundle/graphContract';
import type { WeightDtype } from '../src/bundle/manifest';
import { parseMusicgenConfig } from '../src/checkpoint/musicgenConfig';
import { convertCheckpoint } from '../src/convert/convertCheckpoint';
import { buildBlockGraph } from '../src/convert/graphs/block';
import { GraphBuilder, MS_DOMAIN } from '../src/convert/onnx/builder';
import { quantizeBlockwise, type QuantBits } from '../src/convert/quantize/blockwise';
import { quantizeInt8PerChannel } from '../src/convert/quantize/perChannel';

type Variant = 'fp32 MatMul' | 'DynamicQuantizeMatMul (fused)' | 'DequantizeLinear(int8)+MatMul' | 'DynamicQuantizeLinear+MatMulInteger' | 'MatMulNBits 8-bit acc0' | 'MatMulNBits 8-bit acc4' | 'MatMulNBits 8-bit per-channel acc4' | 'MatMulNBits 4-bit acc0' | 'MatMulNBits 4-bit acc4';
const VARIANTS: Variant[] = ['fp32 MatMul', 'DynamicQuantizeMatMul (fused)', 'DequantizeLinear(int8)+MatMul', 'DynamicQuantizeLinear+MatMulInteger', 'MatMulNBits 8-bit acc0', 'MatMulNBits 8-bit acc4', 'MatMulNBits 8-bit per-channel acc4', 'MatMulNBits 4-bit acc0', 'MatMulNBits 4-bit acc4'];

function randomMatrix(n: number, k: number, seed: number): Float32Array {
  let s = seed;
  const out = new Float32Array(n * k);
  for (let i = 0; i < out.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = ((s / 2 ** 32) - 0.5) * 0.06;
  }
  return out;
}

function transpose(w: Float32Array, n: number, k: number): Float32Array {
  const out = new Float32Array(n * k);
  for (let r = 0; r < n; r++) for (let c = 0; c < k; c++) out[c * n + r] = w[r * k + c];
  return out;
}

function buildGraph(variant: Variant, d: number, f: number): Uint8Array {
  const g = new GraphBuilder('opbench');
  let x = g.input('x', 'FLOAT', [2, 1, d]); // [b, t, d]
  const shapes: [number, number][] = [[d, d], [d, d], [d, d], [d, d], [f, d], [d, f]]; // [out, in]
  shapes.forEach(([n, k], i) => {
    const w = randomMatrix(n, k, i + 1); // [n, k]
    const name = `w${i}`;
    if (variant === 'fp32 MatMul') x = g.matmul(x, g.weight(name, transpose(w, n, k), [k, n]));
    else if (variant === 'DequantizeLinear(int8)+MatMul') {
      const q = quantizeInt8PerChannel(w, n, k);
      const deq = g.op('DequantizeLinear', [g.constBytes(name, 'INT8', q.values, [k, n]), g.constFloat(`${name}_s`, q.scales, [n])], { axis: 1 }); // [k, n]
      x = g.matmul(x, deq);
    } else if (variant === 'DynamicQuantizeLinear+MatMulInteger') {
      const q = quantizeInt8PerChannel(w, n, k);
      const [xq, xs, xz] = g.opMulti('DynamicQuantizeLinear', [x], 3); // uint8 [b, t, k], scalar, scalar
      const acc = g.op('MatMulInteger', [xq, g.constBytes(name, 'INT8', q.values, [k, n]), xz, g.constBytes(`${name}_z`, 'INT8', new Int8Array(n), [n])]); // int32 [b, t, n]
      x = g.mul(g.op('Cast', [acc], { to: 1 }), g.mul(xs, g.constFloat(`${name}_s`, q.scales, [n]))); // [b, t, n]
    } else if (variant === 'DynamicQuantizeMatMul (fused)') {
      const q = quantizeInt8PerChannel(w, n, k);
      x = g.op('DynamicQuantizeMatMul', [x, g.constBytes(name, 'INT8', q.values, [k, n]), g.constFloat(`${name}_s`, q.scales, [n]), g.constBytes(`${name}_z`, 'INT8', new Int8Array(n), [n])], {}, undefined, MS_DOMAIN); // [b, t, n]
    } else {
      const bits: QuantBits = variant.includes('4-bit') ? 4 : 8;
      const blockSize = variant.includes('per-channel') ? k : 32;
      const q = quantizeBlockwise(w, n, k, bits, blockSize);
      x = g.op('MatMulNBits', [
        x,
        g.constBytes(name, 'UINT8', q.packed, [n, q.blocksPerColumn, (blockSize * bits) / 8]),
        g.constFloat(`${name}_s`, q.scales, [n * q.blocksPerColumn]),
        g.constBytes(`${name}_z`, 'UINT8', q.zeroPoints, [q.zeroPoints.length]),
      ], { K: k, N: n, bits, block_size: blockSize, accuracy_level: variant.endsWith('acc4') ? 4 : 0 }, undefined, MS_DOMAIN);
    }
  });
  g.output(x, 'y', 'FLOAT', [2, 1, d]);
  return g.toBytes({ producer: 'quant-opbench' });
}

interface Candidate {
  label: string;
  build(): Promise<Uint8Array>;
}

/** Feeds of one decoder step of block_0.onnx: batch 2 (cond, null), 1 new position after `past`. */
function blockFeeds(ort: any, d: number, h: number, past: number, text: number): Record<string, unknown> {
  const hd = d / h;
  const f32 = (dims: number[], fill = 0) => new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(fill), dims);
  const feeds: Record<string, unknown> = {
    [BlockIO.residPre]: new ort.Tensor('float32', new Float32Array(2 * d).map((_, i) => Math.sin(i)), [2, 1, d]),
    [BlockIO.pastKey]: f32([2, h, past, hd], 0.1),
    [BlockIO.pastValue]: f32([2, h, past, hd], 0.1),
    [BlockIO.selfAttnBias]: f32([2, 1, 1, past + 1]),
    [BlockIO.crossKey]: f32([2, h, text, hd], 0.1),
    [BlockIO.crossValue]: f32([2, h, text, hd], 0.1),
    [BlockIO.crossAttnBias]: f32([2, 1, 1, text]),
  };
  for (const module of BLOCK_MODULES) {
    feeds[BlockIO.keep(module)] = f32([2, 1, d], 1);
    feeds[BlockIO.add(module)] = f32([2, 1, d]);
  }
  return feeds;
}

/** Bytes of each dtype's bundle at musicgen-small's size (converted in memory, nothing written). */
async function printSizes(): Promise<void> {
  const config = parseMusicgenConfig(musicgenSmallConfig(), 'musicgen-small');
  for (const dtype of ['fp32', 'fp16', 'q8', 'q4'] as WeightDtype[]) {
    let bytes = 0;
    const started = performance.now();
    await convertCheckpoint({ reader: randomCheckpointReader(config, 7), config, dtype, name: dtype, checkpointLabel: 'random', writeFile: async (_, data) => void (bytes += data.byteLength) });
    console.log(`musicgen-small ${dtype}: ${(bytes / 1e9).toFixed(3)} GB of graphs, converted in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { backend: { type: 'string', default: 'all' }, runs: { type: 'string', default: '200' }, threads: { type: 'string', default: '2' }, d: { type: 'string', default: '1024' }, only: { type: 'string' }, block: { type: 'boolean', default: false }, sizes: { type: 'boolean', default: false } } });
  if (values.sizes) return printSizes();
  const runs = Number(values.runs);
  const d = Number(values.d);
  const backends = values.backend === 'all' ? ['node', 'wasm'] : [values.backend!];
  const config = parseMusicgenConfig(musicgenSmallConfig(), 'musicgen-small');
  const candidates: Candidate[] = values.block
    ? (['fp32', 'fp16', 'q8', 'q4'] as WeightDtype[]).map((dtype) => ({ label: `block_0.onnx ${dtype}`, build: () => buildBlockGraph(randomCheckpointReader(config, 7), config, 0, dtype) }))
    : VARIANTS.map((variant) => ({ label: variant, build: async () => buildGraph(variant, d, 4 * d) }));
  const selected = candidates.filter((c) => !values.only || values.only.split(',').some((o) => c.label.includes(o)));
  for (const backend of backends) {
    const ort: any = backend === 'node' ? await import('onnxruntime-node') : await import('onnxruntime-web');
    if (backend === 'wasm') ort.env.wasm.numThreads = Number(values.threads);
    const sessionOptions = backend === 'node' ? { intraOpNumThreads: Number(values.threads), interOpNumThreads: 1 } : {};
    const feeds = values.block
      ? blockFeeds(ort, config.hiddenSize, config.numHeads, 100, 16)
      : { x: new ort.Tensor('float32', new Float32Array(2 * d).map((_, i) => Math.sin(i)), [2, 1, d]) };
    console.log(`\n${backend} (${values.threads} threads), batch 2, 1 new position, d ${values.block ? config.hiddenSize : d}: ${values.block ? 'one decoder layer (block graph)' : "one layer's six projections"}`);
    // Sessions first, then rounds that alternate between them: the machine is shared, so each
    // figure is the median over rounds, taken side by side with the others.
    const sessions: { label: string; session: any; times: number[] }[] = [];
    for (const candidate of selected) {
      try {
        sessions.push({ label: candidate.label, session: await ort.InferenceSession.create(await candidate.build(), sessionOptions), times: [] });
      } catch (error) {
        console.log(`  ${candidate.label.padEnd(38)} not supported: ${(error as Error).message.split('\n')[0].slice(0, 160)}`);
      }
    }
    for (const s of sessions) for (let i = 0; i < 5; i++) await s.session.run(feeds);
    const perRound = Math.max(1, Math.round(runs / 10));
    for (let round = 0; round < 10; round++) {
      for (const s of sessions) {
        const started = performance.now();
        for (let i = 0; i < perRound; i++) await s.session.run(feeds);
        s.times.push((performance.now() - started) / perRound);
      }
    }
    const median = (t: number[]) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)];
    const baseline = median(sessions[0]?.times ?? [NaN]);
    for (const s of sessions) {
      const ms = median(s.times);
      console.log(`  ${s.label.padEnd(38)} ${ms.toFixed(3)} ms (min ${Math.min(...s.times).toFixed(3)}, max ${Math.max(...s.times).toFixed(3)})  ${(baseline / ms).toFixed(2)}x ${sessions[0].label}`);
      await s.session.release();
    }
  }
}

await main();
