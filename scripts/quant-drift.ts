/**
 * npm run quant-drift -- [--backend node|wasm] [--fixture DIR]
 * Token agreement of q8 and q4 bundles (and fp16 for scale) with fp32, on golden-tiny (greedy
 * codes, every DecoderLens depth, every intervention) and on the toy model (study prompts: plain,
 * every depth, each mechanism site ablated). Prints a Markdown table (README "Quantised bundles").
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { WeightDtype } from '../src/bundle/manifest';
import { percent, type TokenDrift } from '../src/golden/drift';
import type { GoldenFixture } from '../src/golden/goldenCheck';
import { goldenTinyDrift, toyDrift } from '../src/golden/quantDrift';
import { createRuntime, type Backend } from '../src/runtime/ort';
import { messageOf } from '../src/errorMessage';

const DTYPES: WeightDtype[] = ['fp16', 'q8', 'q4'];

function loadFixture(dir: string): GoldenFixture {
  const bytes = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
  return { configJson: readFileSync(join(dir, 'config.json'), 'utf8'), model: bytes('model.safetensors'), golden: bytes('golden.safetensors'), goldenJson: readFileSync(join(dir, 'golden.json'), 'utf8') };
}

function row(model: string, dtype: WeightDtype, d: TokenDrift): string {
  return `| ${model} | ${dtype} | ${percent(d.greedy)} | ${percent(d.lensMean)} (min ${percent(d.lensMin)}) | ${percent(d.interventionMean)} (min ${percent(d.interventionMin)}) | ${d.greedyPerCodebook?.map((a) => percent(a)).join(', ') ?? '–'} |`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { backend: { type: 'string', default: 'node' }, fixture: { type: 'string', default: resolve('../shared/fixtures/golden-tiny') }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log('Usage: npm run quant-drift -- [--backend node|wasm] [--fixture DIR]   (token agreement of fp16/q8/q4 with fp32)');
    return;
  }
  if (values.backend !== 'node' && values.backend !== 'wasm') throw new Error(`--backend must be node or wasm, got "${values.backend}"`);
  const runtime = await createRuntime(values.backend as Backend);
  const fixture = loadFixture(values.fixture!);
  console.log(`token agreement with fp32 on ${runtime.description}\n`);
  console.log('| model | dtype | greedy codes | DecoderLens depths, mean (min) | interventions, mean (min) | greedy per codebook |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const dtype of DTYPES) console.log(row('golden-tiny', dtype, await goldenTinyDrift(fixture, runtime, dtype)));
  for (const [dtype, drift] of await toyDrift(runtime, DTYPES)) console.log(row('toy', dtype, drift));
}

main().catch((error: unknown) => {
  console.error(`quant-drift: ${messageOf(error)}`);
  process.exit(1);
});
