/**
 * Writes the tiny demo classifier (src/demo/tinyClassifier.ts) into models/classifiers/ast-tiny/:
 * config.json, preprocessor_config.json, onnx/model.onnx. Deterministic; a test checks the
 * committed copy never drifts.
 *
 *   npm run make-tiny-classifier [-- --out models/classifiers/ast-tiny]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TINY_CLASSIFIER_DIR, tinyClassifierFiles } from '../src/demo/tinyClassifier';
import { messageOf } from '../src/errorMessage';

async function main(): Promise<void> {
  const flag = process.argv.indexOf('--out');
  const value = flag === -1 ? TINY_CLASSIFIER_DIR : process.argv[flag + 1];
  if (!value || value.startsWith('--')) throw new Error(`--out needs a folder, e.g. --out ${TINY_CLASSIFIER_DIR}`);
  const outDir = resolve(value);
  let total = 0;
  for (const [path, bytes] of tinyClassifierFiles()) {
    await mkdir(dirname(join(outDir, path)), { recursive: true });
    await writeFile(join(outDir, path), bytes);
    total += bytes.byteLength;
  }
  console.log(`make-tiny-classifier: wrote ${(total / 1e6).toFixed(2)} MB to ${outDir}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(`make-tiny-classifier: ${messageOf(error)}`);
    process.exitCode = 1;
  });
}
