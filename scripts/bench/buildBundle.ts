/**
 * Builds the benchmark's bundle once and caches it (outside git): the project's own converter over
 * a random checkpoint with the mode's exact shapes, plus merged_decoder.onnx from the same weights.
 * The cache key covers the config, the seed and the converter version, so a change rebuilds.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMusicgenConfig } from '../../src/checkpoint/musicgenConfig';
import { CONVERTER_VERSION, convertCheckpoint } from '../../src/convert/convertCheckpoint';
import { buildMergedDecoderGraph } from '../../src/convert/graphs/mergedDecoder';
import type { BenchMode } from '../../src/bench/configs';
import { randomCheckpointReader } from '../../src/bench/randomReader';

export const MERGED_FILE = 'merged_decoder.onnx';
const COMPLETE_MARKER = 'complete';
const BENCH_BUNDLE_VERSION = 'bench-bundle 1';

export interface BenchBundle {
  dir: string;
  built: boolean; // false when it came from the cache
  seconds: number;
}

export async function ensureBenchBundle(mode: BenchMode, cacheDir: string, log: (line: string) => void): Promise<BenchBundle> {
  const key = createHash('sha256').update(JSON.stringify({ config: mode.config, seed: mode.seed, converter: CONVERTER_VERSION, bench: BENCH_BUNDLE_VERSION })).digest('hex').slice(0, 12);
  const dir = join(cacheDir, `${mode.name}-${key}`);
  if (existsSync(join(dir, COMPLETE_MARKER))) return { dir, built: false, seconds: 0 };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const config = parseMusicgenConfig(mode.config, `${mode.name} config`);
  const reader = randomCheckpointReader(config, mode.seed);
  log(`building the ${mode.name} bundle in ${dir} (random weights, seed ${mode.seed}; once, then cached)`);
  await convertCheckpoint({
    reader,
    config,
    dtype: 'fp32',
    name: `${mode.name} (random weights, benchmark)`,
    checkpointLabel: `random seed ${mode.seed}`,
    writeFile: async (path, bytes) => writeFileSync(join(dir, path), bytes),
    onProgress: ({ done, total, label }) => {
      if (done === total || done % 8 === 0) log(`  converted ${done}/${total} (${label})`);
    },
  });
  writeFileSync(join(dir, MERGED_FILE), await buildMergedDecoderGraph(reader, config, 'fp32'));
  writeFileSync(join(dir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
  const seconds = (performance.now() - started) / 1000;
  log(`  built in ${seconds.toFixed(0)} s`);
  return { dir, built: true, seconds };
}

/** Bytes of the files a loaded decoder holds (everything but the merged graph and the manifest). */
export function bundleWeightBytes(dir: string): number {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.onnx') && name !== MERGED_FILE)
    .reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}
