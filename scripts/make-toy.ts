/**
 * Generates the toy model (a constructed MusicGen whose mechanism is known; README "The toy model"):
 *   <out>/manifest.json, *.onnx, tokenizer.json   the lab bundle, converted from the toy checkpoint
 *   <out>/classifier/                              the toy classifier (AST contract), fitted on toy-codec renders
 * Deterministic: the same script always writes the same bytes (tests/toy/makeToy.test.ts checks).
 *
 *   npm run make-toy [-- --out models/toy]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BundleManifest } from '../src/bundle/manifest';
import { arrayBufferSource } from '../src/checkpoint/byteSources';
import { parseMusicgenConfig } from '../src/checkpoint/musicgenConfig';
import { openSafetensors } from '../src/checkpoint/safetensors';
import { writeSafetensors } from '../src/checkpoint/safetensorsWriter';
import { bundleFileNames, convertCheckpoint } from '../src/convert/convertCheckpoint';
import { tinyTokenizerBytes } from '../src/demo/tinyTokenizer';
import { TOY_MECHANISM } from '../src/toy/mechanism';
import { buildToyCodec } from '../src/toy/toyCodec';
import { fitToyClassifier, toyClassifierFiles } from '../src/toy/toyClassifier';
import { makeToyCheckpoint } from '../src/toy/toyCheckpoint';
import { buildToyTextEncoder } from '../src/toy/toyTextEncoder';
import { diskWriter, type WriteFile } from './make-tiny';

export const TOY_CLASSIFIER_DIR = 'classifier';
export const TOY_NOTES =
  'Toy MusicGen (6 layers, d=96) whose weights are written by hand (scripts/make-toy.ts): a known mechanism ' +
  'reads the prompt\'s MOOD, GENRE, INSTRUMENTS and TEMPO and a synth codec plays them. The instrument is heard from ' +
  'depth 5; patch blocks.4.hook_mlp_out to turn a guitar into a piano. See manifest.mechanism and the README.';

/** Writes the converted toy bundle through `write`, with the mechanism in its manifest. */
export async function makeToyModel(write: WriteFile, onProgress?: (message: string) => void): Promise<BundleManifest> {
  const { config: configJson, tensors } = makeToyCheckpoint();
  const checkpointBytes = writeSafetensors(tensors, { format: 'pt' });
  const config = parseMusicgenConfig(configJson, 'toy config');
  const reader = await openSafetensors(arrayBufferSource(checkpointBytes, 'toy model.safetensors'));
  const manifest = await convertCheckpoint({
    reader,
    config,
    dtype: 'fp32',
    name: 'toy',
    checkpointLabel: 'musicgen-lab toy (scripts/make-toy.ts, weights written by hand)',
    // The converter's manifest is extended below, so it is held back here.
    writeFile: async (path, bytes) => (path === bundleFileNames.manifest ? undefined : write(path, bytes)),
    extras: { tokenizer: tinyTokenizerBytes(), textEncoder: buildToyTextEncoder(), audioDecoder: buildToyCodec() },
    notes: TOY_NOTES,
  });
  let reported = 0;
  const classifier = fitToyClassifier(undefined, (done, total) => {
    if (done === total || done - reported >= 20) onProgress?.(`classifier: rendered ${(reported = done)}/${total} training clips`);
  });
  for (const [path, bytes] of toyClassifierFiles(classifier)) await write(`${TOY_CLASSIFIER_DIR}/${path}`, bytes);
  const converted: BundleManifest = { ...manifest, mechanism: TOY_MECHANISM, classifier: TOY_CLASSIFIER_DIR };
  await write(bundleFileNames.manifest, new TextEncoder().encode(`${JSON.stringify(converted, null, 2)}\n`));
  return converted;
}

function parseOutDir(argv: readonly string[]): string {
  const flag = argv.indexOf('--out');
  if (flag === -1) return 'models/toy';
  const value = argv[flag + 1];
  if (!value || value.startsWith('--')) throw new Error('make-toy: --out needs a folder, e.g. --out models/toy');
  return value;
}

async function main(): Promise<void> {
  const outDir = resolve(parseOutDir(process.argv.slice(2)));
  const sizes = new Map<string, number>();
  const manifest = await makeToyModel(diskWriter(outDir, sizes), (message) => console.log(`make-toy: ${message}`));
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  console.log(`make-toy: wrote ${sizes.size} files (${(total / 1e6).toFixed(2)} MB) to ${outDir}`);
  console.log(`  ${manifest.config.numLayers} layers, d=${manifest.config.hiddenSize}; mechanism: ${Object.keys(manifest.mechanism ?? {}).join(', ')}; classifier in ${manifest.classifier}/`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
