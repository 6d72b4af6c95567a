/**
 * Checks a GPU backend against a reference backend on the bundle's own graphs before trusting it
 * (transformers.js#1308: MusicGen on WebGPU has produced a loud hum instead of music). Only the
 * embedding, the first block and the head are loaded on the reference, so the check costs one
 * layer's memory, not a second copy of the model.
 */
import type { BundleFiles } from '../bundle/bundleFiles';
import { BLOCK_MODULES, BlockIO, EmbedIO, HeadIO, MASKED } from '../bundle/graphContract';
import type { BundleManifest } from '../bundle/manifest';
import type { HostTensor, Runtime, Session } from '../runtime/ort';
import { causalSelfAttentionBias } from './attentionBias';
import { createRng } from './prng';
import { f32 } from './hostTensors';

export interface BackendAgreement {
  ok: boolean;
  maxAbsDiff: number;
  tolerance: number;
  detail: string;
}

async function probe(runtime: Runtime, files: BundleFiles, manifest: BundleManifest): Promise<Float32Array> {
  const { numCodebooks: K, hiddenSize: d, numHeads: h, headDim: hd, codebookSize: V } = manifest.config;
  const sessions: Session[] = [];
  const open = async (path: string) => {
    const session = await runtime.createSession(path, await files.read(path));
    sessions.push(session);
    return session;
  };
  try {
    const [embed, block, head] = [await open(manifest.graphs.embed.path), await open(manifest.graphs.blocks[0].path), await open(manifest.graphs.head.path)];
    const rng = createRng(1234);
    const t = 4;
    const s = 3;
    const ids = BigInt64Array.from({ length: K * t }, () => BigInt(Math.floor(rng.nextFloat() * V))); // [1, K, t]
    const hidden = (await embed.run({ [EmbedIO.inputIds]: { type: 'int64', data: ids, dims: [1, K, t] }, [EmbedIO.positionOffset]: { type: 'int64', data: BigInt64Array.of(0n), dims: [1] } }))[EmbedIO.hidden].data as Float32Array; // [1, t, d]
    const crossKv = () => Float32Array.from({ length: h * s * hd }, () => rng.nextFloat() - 0.5); // [1, h, s, hd]
    const feeds: Record<string, HostTensor> = {
      [BlockIO.residPre]: f32(hidden, [1, t, d]),
      [BlockIO.pastKey]: f32(new Float32Array(0), [0, 1, h, hd]),
      [BlockIO.pastValue]: f32(new Float32Array(0), [0, 1, h, hd]),
      [BlockIO.selfAttnBias]: f32(causalSelfAttentionBias(1, t, 0), [1, 1, t, t]),
      [BlockIO.crossKey]: f32(crossKv(), [1, h, s, hd]),
      [BlockIO.crossValue]: f32(crossKv(), [1, h, s, hd]),
      [BlockIO.crossAttnBias]: f32(Float32Array.of(0, 0, MASKED), [1, 1, 1, s]),
    };
    for (const module of BLOCK_MODULES) {
      feeds[BlockIO.keep(module)] = f32(new Float32Array(t * d).fill(1), [1, t, d]);
      feeds[BlockIO.add(module)] = f32(new Float32Array(t * d), [1, t, d]);
    }
    const resid = (await block.run(feeds))[BlockIO.residPost].data as Float32Array; // [1, t, d]
    return (await head.run({ [HeadIO.resid]: f32(resid, [1, t, d]) }))[HeadIO.logits].data as Float32Array; // [1, K, t, V]
  } finally {
    await Promise.allSettled(sessions.map((x) => x.release()));
  }
}

export async function checkBackendAgreement(files: BundleFiles, manifest: BundleManifest, candidate: Runtime, reference: Runtime, tolerance = 1e-2): Promise<BackendAgreement> {
  const [a, b] = [await probe(candidate, files, manifest), await probe(reference, files, manifest)];
  let maxAbsDiff = 0;
  for (let i = 0; i < a.length; i++) {
    const diff = Math.abs(a[i] - b[i]);
    maxAbsDiff = Number.isNaN(diff) ? Infinity : Math.max(maxAbsDiff, diff);
  }
  const ok = maxAbsDiff <= tolerance;
  return {
    ok,
    maxAbsDiff,
    tolerance,
    detail: `${candidate.description} vs ${reference.description}: max |logit diff| ${maxAbsDiff.toExponential(2)} on the first block (tolerance ${tolerance})`,
  };
}
