/**
 * npm run quant-opbench -- [--backend node|wasm|all] [--runs N] [--threads T]
 * Times one decoder layer's six projections (q, k, v, out: d×d; fc1: d×4d; fc2: 4d×d) chained in
 * one graph, at musicgen-small's shapes (d 1024, batch 2, one new position), for each candidate
 * way of running a quantised projection. Picks the op the q8/q4 bundles use; not in CI.
 */
import { parseArgs } from 'node:util';
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

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { backend: { type: 'string', default: 'all' }, runs: { type: 'string', default: '200' }, threads: { type: 'string', default: '2' }, d: { type: 'string', default: '1024' }, only: { type: 'string' } } });
  const runs = Number(values.runs);
  const d = Number(values.d);
  const backends = values.backend === 'all' ? ['node', 'wasm'] : [values.backend!];
  const x = new Float32Array(2 * d).map((_, i) => Math.sin(i));
  for (const backend of backends) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const ort: any = backend === 'node' ? await import('onnxruntime-node') : await import('onnxruntime-web');
    if (backend === 'wasm') ort.env.wasm.numThreads = Number(values.threads);
    const sessionOptions = backend === 'node' ? { intraOpNumThreads: Number(values.threads), interOpNumThreads: 1 } : {};
    console.log(`\n${backend} (${values.threads} threads), one layer's projections, batch 2, 1 position, d ${d}:`);
    // Sessions first, then rounds that alternate between them: the machine is shared, so each
    // figure is the median over rounds, taken side by side with the others.
    const sessions: { variant: Variant; session: any; times: number[] }[] = [];
    for (const variant of VARIANTS.filter((v) => !values.only || values.only.split(',').some((o) => v.startsWith(o)))) {
      try {
        sessions.push({ variant, session: await ort.InferenceSession.create(buildGraph(variant, d, 4 * d), sessionOptions), times: [] });
      } catch (error) {
        console.log(`  ${variant.padEnd(38)} not supported: ${(error as Error).message.split('\n')[0].slice(0, 160)}`);
      }
    }
    const feeds = { x: new ort.Tensor('float32', x, [2, 1, d]) };
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
    const baseline = median(sessions.find((s) => s.variant === 'fp32 MatMul')?.times ?? [NaN]);
    for (const s of sessions) {
      const ms = median(s.times);
      console.log(`  ${s.variant.padEnd(38)} ${ms.toFixed(3)} ms/layer (min ${Math.min(...s.times).toFixed(3)}, max ${Math.max(...s.times).toFixed(3)})  ${(baseline / ms).toFixed(2)}x fp32`);
      await s.session.release();
    }
  }
}

await main();
