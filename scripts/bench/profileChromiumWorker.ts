/**
 * One Chromium worker of scripts/bench/profileChromium.ts: loads one block graph with one of
 * onnxruntime-web's builds and times its run at musicgen-small's shapes (batch 2, one new position).
 * Talks onnxruntime-web directly: choosing the build is what is measured.
 */
import type * as OrtTypes from 'onnxruntime-common';
import { messageOf } from '../../src/errorMessage';

export interface BlockTimingJob {
  /** 'jsep': `onnxruntime-web` (the WebGPU-capable build, what `import 'onnxruntime-web'` gives a bundler); 'plain': `onnxruntime-web/wasm`. */
  build: 'jsep' | 'plain';
  blockUrl: string;
  threads: number;
  runs: number;
  /** Untimed runs first: V8 compiles WebAssembly with its baseline tier and optimises hot functions later. */
  warmup: number;
  past: number; // positions already in the KV cache
  profile: boolean; // onnxruntime's profiler (its events go to the console)
  /** onnxruntime's thread-pool spinning (its default is on); off, idle threads sleep instead of polling. */
  spinning: boolean;
}

export interface BlockTimingResult {
  build: string;
  ms: number[];
  crossOriginIsolated: boolean;
}

const [d, h, hd, s, b] = [1024, 16, 64, 16, 2];

async function time(job: BlockTimingJob): Promise<BlockTimingResult> {
  const ort = (job.build === 'jsep' ? await import('onnxruntime-web') : await import('onnxruntime-web/wasm')) as unknown as typeof OrtTypes;
  ort.env.wasm.numThreads = job.threads;
  const model = new Uint8Array(await (await fetch(job.blockUrl)).arrayBuffer());
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    enableProfiling: job.profile,
    ...(job.spinning ? {} : { extra: { session: { 'intra_op.allow_spinning': '0', 'inter_op.allow_spinning': '0' } } }),
  });
  const f32 = (dims: number[], value: number) => new ort.Tensor('float32', new Float32Array(dims.reduce((x, y) => x * y, 1)).fill(value), dims);
  const feeds: Record<string, OrtTypes.Tensor> = {
    resid_pre: f32([b, 1, d], 0.1), // [b, t, d]
    past_key: f32([job.past, b, h, hd], 0.01), // [p, b, h, hd]
    past_value: f32([job.past, b, h, hd], 0.01), // [p, b, h, hd]
    self_attn_bias: f32([b, 1, 1, job.past + 1], 0), // [b, 1, t, p+t]
    cross_key: f32([b, h, s, hd], 0.01), // [b, h, s, hd]
    cross_value: f32([b, h, s, hd], 0.01), // [b, h, s, hd]
    cross_attn_bias: f32([b, 1, 1, s], 0), // [b, 1, 1, s]
  };
  for (const module of ['attn', 'cross_attn', 'mlp']) {
    feeds[`${module}_keep`] = f32([b, 1, d], 1); // [b, t, d]
    feeds[`${module}_add`] = f32([b, 1, d], 0); // [b, t, d]
  }
  const fetches = ['resid_post', 'new_key', 'new_value'];
  for (let i = 0; i < job.warmup; i++) await session.run(feeds, fetches);
  const ms: number[] = [];
  for (let i = 0; i < job.runs; i++) {
    const started = performance.now();
    await session.run(feeds, fetches);
    ms.push(performance.now() - started);
  }
  if (job.profile) session.endProfiling();
  await session.release();
  return { build: job.build, ms, crossOriginIsolated: self.crossOriginIsolated };
}

self.onmessage = (event: MessageEvent<BlockTimingJob>) => {
  time(event.data).then(
    (result) => self.postMessage({ ok: true, result }),
    (error: unknown) => self.postMessage({ ok: false, error: messageOf(error) }),
  );
};
