import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AST_FEATURES, audioFeatures } from '../../src/classifier/astFeatures';
import { loadClassifier } from '../../src/classifier/loadClassifier';
import { nodeFolderLocation } from '../../src/checkpoint/nodeFolderLocation';
import { TINY_CLASSIFIER_DIR, TINY_CLASSIFIER_NOTES, tinyClassifierFiles, tinyClassifierWeights } from '../../src/demo/tinyClassifier';
import { createRuntime, type Backend } from '../../src/runtime/ort';

const REGENERATE_HINT = `${TINY_CLASSIFIER_DIR} drifted from src/demo/tinyClassifier.ts: run \`npm run make-tiny-classifier\` and commit the result`;

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? listFiles(root, join(dir, name)) : [relative(root, join(dir, name))])).sort();
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const clip = (hz: number, seconds = 1) => Float32Array.from({ length: 32000 * seconds }, (_, i) => 0.4 * Math.sin((2 * Math.PI * hz * i) / 32000));

/** The graph's computation in plain TS: mean of the features over time, then the linear layer. */
function referenceLogits(features: Float32Array): Float64Array {
  const { maxLength, numMelBins } = AST_FEATURES;
  const { weight, bias } = tinyClassifierWeights();
  const pooled = new Float64Array(numMelBins); // [F]
  for (let t = 0; t < maxLength; t++) for (let f = 0; f < numMelBins; f++) pooled[f] += features[t * numMelBins + f] / maxLength;
  const logits = Float64Array.from(bias); // [C]
  for (let f = 0; f < numMelBins; f++) for (let c = 0; c < 527; c++) logits[c] += pooled[f] * weight[f * 527 + c];
  return logits;
}

describe('tiny classifier', () => {
  it('regenerates exactly the committed folder, byte for byte', () => {
    const fresh = tinyClassifierFiles();
    expect(listFiles(TINY_CLASSIFIER_DIR), REGENERATE_HINT).toEqual([...fresh.keys()].sort());
    for (const [path, bytes] of fresh) expect(sha256(readFileSync(join(TINY_CLASSIFIER_DIR, path))), `${path}: ${REGENERATE_HINT}`).toBe(sha256(bytes));
  });

  it('is tiny and says it is random', () => {
    const total = [...tinyClassifierFiles().values()].reduce((n, b) => n + b.byteLength, 0);
    expect(total).toBeLessThan(400_000);
    expect(JSON.parse(readFileSync(join(TINY_CLASSIFIER_DIR, 'config.json'), 'utf8')).musicgen_lab_notes).toBe(TINY_CLASSIFIER_NOTES);
  });

  for (const backend of ['node', 'wasm'] as Backend[]) {
    it(`runs on ${backend === 'node' ? 'onnxruntime-node' : 'onnxruntime-web (WASM)'} with the AST contract: [b, 1024, 128] → [b, 527], different audio → different logits`, async () => {
      const classifier = await loadClassifier(nodeFolderLocation(TINY_CLASSIFIER_DIR), await createRuntime(backend));
      try {
        expect(classifier.modelFile).toBe('onnx/model.onnx');
        expect(classifier.spec.notes).toBe(TINY_CLASSIFIER_NOTES);
        const logits = await classifier.classify([clip(440), clip(3000), clip(440)]); // [3, 527]
        expect(logits.length).toBe(3 * 527);
        const row = (i: number) => Array.from(logits.subarray(i * 527, (i + 1) * 527));
        expect(row(0)).toEqual(row(2));
        const spread = Math.max(...row(0).map((v, c) => Math.abs(v - row(1)[c])));
        expect(spread).toBeGreaterThan(0.1);
        expect(new Set(row(0)).size).toBeGreaterThan(500); // not constant over classes
      } finally {
        await classifier.release();
      }
    });
  }

  it('computes mean-over-time then the seeded linear layer (checked against the same math in TS)', async () => {
    const classifier = await loadClassifier(nodeFolderLocation(TINY_CLASSIFIER_DIR), await createRuntime('node'));
    const audio = clip(1000, 2);
    const logits = await classifier.classify([audio]);
    await classifier.release();
    const expected = referenceLogits(audioFeatures(audio));
    for (let c = 0; c < 527; c++) expect(logits[c]).toBeCloseTo(expected[c], 3); // onnxruntime sums 1024 frames in float32
  });
});
