import { beforeAll, describe, expect, it } from 'vitest';
import { AudioClassifier, type ClassifyProgress } from '../../src/classifier/audioClassifier';
import { loadClassifier } from '../../src/classifier/loadClassifier';
import { tinyClassifierFiles } from '../../src/demo/tinyClassifier';
import { isCancellation } from '../../src/lab/workerApi';
import type { Session } from '../../src/runtime/ort';
import { createRuntime } from '../../src/runtime/ort';
import { memoryLocation } from './memoryLocation';

const clips = [220, 440, 880, 1760, 3520].map((hz) => Float32Array.from({ length: 16000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / 32000)));

describe('AudioClassifier', () => {
  let classifier: AudioClassifier;
  beforeAll(async () => {
    classifier = await loadClassifier(memoryLocation('tiny', tinyClassifierFiles()), await createRuntime('node'));
  });

  it('gives the same logits in batches of 2 (with a short last batch) as one clip at a time, reporting each batch', async () => {
    const progress: ClassifyProgress[] = [];
    const batched = await classifier.classify(clips, { batchSize: 2, onProgress: (p) => progress.push(p) }); // [5, 527]
    expect(progress).toEqual([{ done: 2, total: 5 }, { done: 4, total: 5 }, { done: 5, total: 5 }]);
    for (let i = 0; i < clips.length; i++) {
      const alone = await classifier.classify([clips[i]], { batchSize: 1 });
      const row = batched.subarray(i * 527, (i + 1) * 527);
      for (let c = 0; c < 527; c++) expect(row[c]).toBeCloseTo(alone[c], 4); // float32 sums may split differently per batch size
    }
  });

  it('cancels between batches', async () => {
    const controller = new AbortController();
    const error = await classifier.classify(clips, { batchSize: 1, signal: controller.signal, onProgress: () => controller.abort() }).then(() => null, (e: unknown) => e);
    expect(isCancellation(error), String(error)).toBe(true);
  });

  it('refuses bad input with one-line errors', async () => {
    await expect(classifier.classify([])).rejects.toThrow('classify needs at least one clip');
    await expect(classifier.classify(clips, { batchSize: 0 })).rejects.toThrow(/batch size must be a whole number ≥ 1/);
    await expect(classifier.classify([clips[0], new Float32Array(10)])).rejects.toThrow('clip 1 has 10 samples; at least 800 (25 ms at 32 kHz) are needed');
  });

  it('refuses logits of the wrong shape from a graph', async () => {
    const liar: Session = {
      name: 'liar',
      inputNames: ['input_values'],
      outputNames: ['logits'],
      run: async () => ({ logits: { type: 'float32', data: new Float32Array(10), dims: [1, 10] } }),
      release: async () => {},
    };
    const wrapped = new AudioClassifier(classifier.spec, liar, 'liar.onnx');
    await expect(wrapped.classify([clips[0]])).rejects.toThrow('liar.onnx: the classifier returned logits float32[1, 10], expected float32[1, 527]');
  });
});
