/**
 * How far a quantised bundle's tokens drift from the fp32 bundle's, on the two models with a known
 * answer: golden-tiny (the reference fixture: greedy codes, every DecoderLens depth, every
 * intervention) and the toy model (its study prompts; plain rows, every depth, and an ablation of
 * each mechanism site). Figures computed on a q8/q4 bundle are figures of that quantised model.
 */
import { memoryBundleFiles } from '../bundle/bundleFiles';
import type { WeightDtype } from '../bundle/manifest';
import { arrayBufferSource } from '../checkpoint/byteSources';
import { parseMusicgenConfig } from '../checkpoint/musicgenConfig';
import { openSafetensors } from '../checkpoint/safetensors';
import { writeSafetensors } from '../checkpoint/safetensorsWriter';
import { convertCheckpoint } from '../convert/convertCheckpoint';
import { tinyTokenizerBytes } from '../demo/tinyTokenizer';
import { MusicgenEngine } from '../engine/engine';
import type { PatchableHookName } from '../engine/hooks';
import type { RowResult, RowSpec } from '../engine/types';
import type { Runtime } from '../runtime/ort';
import { TOY_MECHANISM } from '../toy/mechanism';
import { makeToyCheckpoint } from '../toy/toyCheckpoint';
import { buildToyTextEncoder } from '../toy/toyTextEncoder';
import { agreement, tokenDrift, type TokenDrift } from './drift';
import { runGoldenCheck, type GoldenFixture } from './goldenCheck';

/** golden-tiny: the reference is the original implementation's fp32 output (which fp32 matches exactly). */
export async function goldenTinyDrift(fixture: GoldenFixture, runtime: Runtime, dtype: WeightDtype): Promise<TokenDrift> {
  return tokenDrift((await runGoldenCheck(fixture, runtime, { dtype })).checks);
}

export const TOY_DRIFT_PROMPTS = [
  'Compose a passionate rock piece, with a guitar melody. Use a slow tempo.',
  'Compose a happy jazz piece, with a piano melody. Use a fast tempo.',
  'Compose a groovy electronic piece, with a trumpet melody. Use a medium tempo.',
] as const;
/** 2 s per clip: long enough for several notes at every tempo. */
export const TOY_DRIFT_FRAMES = 100;

/** Every mechanism site once (some slots share sites). */
function toySites(): PatchableHookName[] {
  return [...new Set(Object.values(TOY_MECHANISM).flatMap((slot) => slot.sites))] as PatchableHookName[];
}

/** Per prompt: the plain row, every depth, and each mechanism site ablated (replaced by 0). */
function toyRows(numLayers: number, hiddenSize: number): { rows: RowSpec[]; kind: ('plain' | 'lens' | 'intervention')[] } {
  const rows: RowSpec[] = [];
  const kind: ('plain' | 'lens' | 'intervention')[] = [];
  for (let prompt = 0; prompt < TOY_DRIFT_PROMPTS.length; prompt++) {
    rows.push({ prompt });
    kind.push('plain');
    for (let depth = 1; depth <= numLayers; depth++) {
      rows.push({ prompt, depth });
      kind.push('lens');
    }
    for (const hook of toySites()) {
      rows.push({ prompt, patches: [{ hook, kind: 'replace', values: new Float32Array(hiddenSize) }] }); // [d]: every step and branch
      kind.push('intervention');
    }
  }
  return { rows, kind };
}

async function toyGeneration(runtime: Runtime, dtype: WeightDtype): Promise<{ rows: RowResult[]; kind: ('plain' | 'lens' | 'intervention')[] }> {
  const { config: configJson, tensors } = makeToyCheckpoint();
  const config = parseMusicgenConfig(configJson, 'toy config');
  const reader = await openSafetensors(arrayBufferSource(writeSafetensors(tensors, { format: 'pt' }), 'toy model.safetensors'));
  const files = new Map<string, Uint8Array>();
  await convertCheckpoint({
    reader,
    config,
    dtype,
    name: `toy ${dtype}`,
    checkpointLabel: 'toy',
    extras: { tokenizer: tinyTokenizerBytes(), textEncoder: buildToyTextEncoder() },
    writeFile: async (path, bytes) => void files.set(path, bytes),
  });
  const engine = await MusicgenEngine.load(memoryBundleFiles(`toy ${dtype}`, files), runtime);
  try {
    const { rows, kind } = toyRows(config.numLayers, config.hiddenSize);
    const result = await engine.generate({ prompts: TOY_DRIFT_PROMPTS, frames: TOY_DRIFT_FRAMES, rows, greedy: true });
    return { rows: result.rows, kind };
  } finally {
    await engine.release();
  }
}

function summarise(values: number[]): [number, number] {
  return [values.reduce((a, b) => a + b, 0) / values.length, Math.min(...values)];
}

/** The toy model's token agreement of each dtype with fp32 (same prompts, rows and greedy decoding). */
export async function toyDrift(runtime: Runtime, dtypes: readonly WeightDtype[]): Promise<Map<WeightDtype, TokenDrift>> {
  const reference = await toyGeneration(runtime, 'fp32');
  const out = new Map<WeightDtype, TokenDrift>();
  for (const dtype of dtypes) {
    const run = dtype === 'fp32' ? reference : await toyGeneration(runtime, dtype);
    const of = (which: 'plain' | 'lens' | 'intervention') =>
      run.rows.flatMap((row, i) => (reference.kind[i] === which ? [agreement(row.codes, reference.rows[i].codes)] : []));
    const [greedy] = summarise(of('plain'));
    const frames = TOY_DRIFT_FRAMES;
    const plain = run.rows.flatMap((row, i) => (reference.kind[i] === 'plain' ? [[row.codes, reference.rows[i].codes]] : []));
    const codebooks = plain[0][0].length / frames; // codes are [K, frames]
    const greedyPerCodebook = Array.from({ length: codebooks }, (_, k) =>
      summarise(plain.map(([codes, expected]) => agreement(codes.subarray(k * frames, (k + 1) * frames), expected.subarray(k * frames, (k + 1) * frames))))[0]);
    const [lensMean, lensMin] = summarise(of('lens'));
    const [interventionMean, interventionMin] = summarise(of('intervention'));
    out.set(dtype, { greedy, lensMean, lensMin, interventionMean, interventionMin, greedyPerCodebook });
  }
  return out;
}
