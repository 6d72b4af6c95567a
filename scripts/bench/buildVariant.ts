/**
 * Builds one variant of the bench's model in its own process, so that no runner's memory ever
 * counts a build:   node --import tsx scripts/bench/buildVariant.ts <job.json>
 * (started by scripts/bench/bundles.ts). A per-layer variant is a lab bundle converted from the
 * random checkpoint in its dtype; a merged variant is merged_decoder.onnx from the same weights.
 * Writes `complete` last; any failure exits non-zero with the reason on stderr's last line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchMode } from '../../src/bench/configs';
import { quantisedOps } from '../../src/bench/quantisedGraph';
import { randomCheckpointReader } from '../../src/bench/randomReader';
import { MERGED_FILE } from '../../src/bench/runner';
import { VARIANTS } from '../../src/bench/variants';
import { tinyMusicgenConfig } from '../../src/demo/tinyConfig';
import { parseMusicgenConfig } from '../../src/checkpoint/musicgenConfig';
import { convertCheckpoint } from '../../src/convert/convertCheckpoint';
import { buildMergedDecoderGraph } from '../../src/convert/graphs/mergedDecoder';
import type { WeightStorage } from '../../src/convert/onnx/builder';
import { COMPLETE_MARKER, type BuildJob } from './bundles';

const log = (line: string) => process.stderr.write(`  [build ${job.variant}] ${line}\n`);

function assertQuantised(graph: Uint8Array, storage: string): void {
  if (quantisedOps(graph).length === 0) throw new Error(`buildMergedDecoderGraph(…, '${storage}') returned a graph with no quantised MatMul (this branch's builder does not know '${storage}')`);
}

async function build(job: BuildJob): Promise<void> {
  if (job.forceFailure) throw new Error('failed on purpose (--fail-build)');
  const mode = benchMode(job.smoke);
  const config = parseMusicgenConfig(mode.config, `${mode.name} config`);
  const reader = randomCheckpointReader(config, mode.seed);
  const variant = VARIANTS[job.variant];
  if (variant.layout === 'per-layer') {
    const manifest = await convertCheckpoint({
      reader,
      config,
      dtype: variant.dtype,
      name: `${mode.name} ${variant.dtype} (random weights, benchmark)`,
      checkpointLabel: `random seed ${mode.seed}`,
      writeFile: async (path, bytes) => writeFileSync(join(job.dir, path), bytes),
      onProgress: ({ done, total, label }) => {
        if (done === total || done % 8 === 0) log(`converted ${done}/${total} (${label})`);
      },
    });
    if (manifest.dtype !== variant.dtype) throw new Error(`convertCheckpoint wrote a ${manifest.dtype} bundle when asked for ${variant.dtype}`);
  } else {
    // 'peer-q8' is the quantised configuration of branch quant's builder. The output is checked, so
    // a builder that does not know the storage fails instead of timing another graph as q8; a
    // tiny build checks it first, before minutes of building at full size.
    const storage = variant.storage as WeightStorage;
    const quantised = variant.storage !== 'fp32';
    if (quantised) {
      const tiny = parseMusicgenConfig(tinyMusicgenConfig(), 'tiny config');
      assertQuantised(await buildMergedDecoderGraph(randomCheckpointReader(tiny, mode.seed), tiny, storage), variant.storage);
    }
    const bytes = await buildMergedDecoderGraph(reader, config, storage);
    if (quantised) assertQuantised(bytes, variant.storage);
    writeFileSync(join(job.dir, MERGED_FILE), bytes);
  }
  writeFileSync(join(job.dir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
}

const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as BuildJob;
build(job).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.stderr.write(`reason: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    process.exit(1);
  },
);
