import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSIFIER_MODEL_FILES, loadClassifier, type ClassifierLoadProgress } from '../../src/classifier/loadClassifier';
import { classifierLocation } from '../../src/classifier/classifierSource';
import { isCancellation } from '../../src/lab/workerApi';
import { tinyClassifierFiles } from '../../src/demo/tinyClassifier';
import { createRuntime, type Runtime } from '../../src/runtime/ort';
import { memoryFile, startServer, type TestServer } from '../checkpoint/staticServer';
import { memoryLocation } from './memoryLocation';

const clip = Float32Array.from({ length: 32000 }, (_, i) => Math.sin(i / 7) * 0.3);

describe('loadClassifier', () => {
  let runtime: Runtime;
  let server: TestServer;
  const files = tinyClassifierFiles();

  beforeAll(async () => {
    runtime = await createRuntime('node');
    server = await startServer(Object.fromEntries([...files].map(([path, bytes]) => [`ast/${path}`, memoryFile(bytes)])));
  });
  afterAll(() => server.close());

  it('loads a folder served over HTTP with range requests, reporting bytes per file', async () => {
    const progress: ClassifierLoadProgress[] = [];
    const classifier = await loadClassifier(classifierLocation(`${server.url}/ranged/ast/`, 'http://unused/'), runtime, { onProgress: (p) => progress.push(p) });
    expect(classifier.modelFile).toBe('onnx/model.onnx');
    expect(classifier.classes).toBe(527);
    expect(progress.map((p) => p.file)).toEqual(['config.json', 'preprocessor_config.json', 'onnx/model.onnx']);
    expect(progress.at(-1)).toEqual({ file: 'onnx/model.onnx', loadedBytes: files.get('onnx/model.onnx')!.byteLength, totalBytes: files.get('onnx/model.onnx')!.byteLength });
    expect((await classifier.classify([clip])).length).toBe(527);
    await classifier.release();
  });

  it('picks model_quantized.onnx when asked, or in auto mode when model.onnx is absent', async () => {
    const quantizedOnly = new Map([...files].map(([path, bytes]) => [path === CLASSIFIER_MODEL_FILES.fp32 ? CLASSIFIER_MODEL_FILES.quantized : path, bytes]));
    const auto = await loadClassifier(memoryLocation('q', quantizedOnly), runtime);
    expect(auto.modelFile).toBe('onnx/model_quantized.onnx');
    await auto.release();
    await expect(loadClassifier(memoryLocation('full', files), runtime, { variant: 'quantized' })).rejects.toThrow(
      'full has no onnx/model_quantized.onnx (an AST classifier folder holds config.json, preprocessor_config.json and onnx/model.onnx or onnx/model_quantized.onnx)',
    );
  });

  it('fails on a wrong folder before fetching any model bytes', async () => {
    const requestsBefore = server.requests.length;
    await expect(loadClassifier(classifierLocation(`${server.url}/ranged/elsewhere/`, 'http://unused/'), runtime)).rejects.toThrow(/has no config.json \(an AST classifier folder holds/);
    expect(server.requests.slice(requestsBefore).some((r) => r.path.includes('model'))).toBe(false);
    const noLabels = new Map(files);
    noLabels.set('config.json', new TextEncoder().encode('{"id2label": {}}'));
    await expect(loadClassifier(memoryLocation('bad', noLabels), runtime)).rejects.toThrow(/config.json: the classifier has 0 classes/);
  });

  it('refuses a graph without the AST contract, naming what it has', async () => {
    const wrongGraph = new Map(files);
    const { buildTinyTextEncoder } = await import('../../src/demo/tinyTextEncoder');
    wrongGraph.set('onnx/model.onnx', buildTinyTextEncoder(1, 8, 4));
    await expect(loadClassifier(memoryLocation('wrong', wrongGraph), runtime)).rejects.toThrow('onnx/model.onnx: the classifier graph has no input "input_values" (it has input_ids, attention_mask); expected the AST contract input_values → logits');
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    const loading = loadClassifier(memoryLocation('m', files), runtime, { signal: controller.signal, onProgress: () => controller.abort() });
    const error = await loading.then(() => null, (e: unknown) => e);
    expect(isCancellation(error), String(error)).toBe(true);
  });
});
