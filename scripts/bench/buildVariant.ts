/**
 * Builds the bench's missing variants in a process of their own, so that no runner's memory ever
 * counts a build:   node --import tsx scripts/bench/buildVariant.ts <job.json>
 * (started by scripts/bench/bundles.ts). A per-layer variant is a lab bundle converted from the
 * random checkpoint in its dtype; a merged variant is merged_decoder.onnx from the same weights, the
 * fused variants every block (or only the last) + the head in one graph (fused_blocks_head.onnx).
 * Each variant writes `complete` last; one that fails gets its reason in the job's result file and
 * the others still build.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchMode } from '../../src/bench/configs';
import { quantisedOps } from '../../src/bench/quantisedGraph';
import { randomCheckpointReader } from '../../src/bench/randomReader';
import { FUSED_FILE, MERGED_FILE } from '../../src/bench/runner';
import { VARIANTS } from '../../src/bench/variants';
import { tinyMusicgenConfig } from '../../src/demo/tinyConfig';
import { parseMusicgenConfig } from '../../src/checkpoint/musicgenConfig';
import { convertCheckpoint } from '../../src/convert/convertCheckpoint';
import { buildFusedBlocksGraph } from '../../src/convert/graphs/fusedBlocks';
import { buildMergedDecoderGraph } from '../../src/convert/graphs/mergedDecoder';
import { COMPLETE_MARKER, type BuildItem, type BuildJob, type BuildOutcome } from './bundles';

function assertQuantised(graph: Uint8Array, storage: string): void {
  if (quantisedOps(graph).length === 0) throw new Error(`buildMergedDecoderGraph(…, '${storage}') returned a graph with no quantised MatMul (does this branch's builder know '${storage}'?)`);
}

async function build(smoke: boolean, item: BuildItem, log: (line: string) => void): Promise<void> {
  if (item.forceFailure) throw new Error('failed on purpose (--fail-build)');
  const mode = benchMode(smoke);
  const config = parseMusicgenConfig(mode.config, `${mode.name} config`);
  const reader = randomCheckpointReader(config, mode.seed);
  const variant = VARIANTS[item.variant];
  if (variant.layout === 'per-layer') {
    const manifest = await convertCheckpoint({
      reader,
      config,
      dtype: variant.dtype,
      name: `${mode.name} ${variant.dtype} (random weights, benchmark)`,
      checkpointLabel: `random seed ${mode.seed}`,
      writeFile: async (path, bytes) => writeFileSync(join(item.dir, path), bytes),
      onProgress: ({ done, total, label }) => {
        if (done === total || done % 8 === 0) log(`converted ${done}/${total} (${label})`);
      },
    });
    if (manifest.dtype !== variant.dtype) throw new Error(`convertCheckpoint wrote a ${manifest.dtype} bundle when asked for ${variant.dtype}`);
  } else if (variant.layout === 'fused') {
    // A measurement variant: its weights are stored again here, beside the fp32 bundle's.
    const last = config.numLayers - 1;
    const bytes = await buildFusedBlocksGraph(reader, config, { first: variant.fused === 'all' ? 0 : last, last, head: true }, 'fp32');
    writeFileSync(join(item.dir, FUSED_FILE), bytes);
  } else {
    // A quantised configuration must give quantised ops, so that a builder that ignored the request
    // fails here instead of timing another graph as q8; a tiny build checks it first, before
    // minutes of building at full size.
    const storage = variant.storage;
    const quantised = variant.storage !== 'fp32';
    if (quantised) {
      const tiny = parseMusicgenConfig(tinyMusicgenConfig(), 'tiny config');
      assertQuantised(await buildMergedDecoderGraph(randomCheckpointReader(tiny, mode.seed), tiny, storage), variant.storage);
    }
    const bytes = await buildMergedDecoderGraph(reader, config, storage);
    if (quantised) assertQuantised(bytes, variant.storage);
    writeFileSync(join(item.dir, MERGED_FILE), bytes);
  }
  writeFileSync(join(item.dir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
}

async function main(job: BuildJob): Promise<void> {
  const outcomes: BuildOutcome[] = [];
  for (const item of job.items) {
    const log = (line: string) => process.stderr.write(`  [build ${item.variant}] ${line}\n`);
    const started = performance.now();
    try {
      await build(job.smoke, item, log);
      const seconds = (performance.now() - started) / 1000;
      log(`built in ${seconds.toFixed(0)} s`);
      outcomes.push({ variant: item.variant, ok: true, seconds });
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      log(`failed: ${reason}`);
      outcomes.push({ variant: item.variant, ok: false, reason });
    }
    writeFileSync(job.out, JSON.stringify(outcomes)); // after each, so a crash keeps the finished ones
  }
}

const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as BuildJob;
main(job).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
