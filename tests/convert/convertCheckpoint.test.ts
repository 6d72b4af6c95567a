import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CrossKvIO } from '../../src/bundle/graphContract';
import { parseManifest, type BundleManifest } from '../../src/bundle/manifest';
import { convertCheckpoint, type ConvertOptions } from '../../src/convert/convertCheckpoint';
import { decodeModel } from '../../src/convert/onnx/proto';
import { buildTinyAudioDecoder } from '../../src/demo/tinyAudioDecoder';
import { buildTinyTextEncoder } from '../../src/demo/tinyTextEncoder';
import { tinyTokenizerBytes } from '../../src/demo/tinyTokenizer';
import { allHookNames } from '../../src/engine/hooks';
import { memoryReader, randomWeights, tinyConfig } from './tinyCheckpoint';

const config = tinyConfig;
const weights = randomWeights(config, 51);

function memoryFolder() {
  const files = new Map<string, Uint8Array>();
  const order: string[] = [];
  return {
    files,
    order,
    async writeFile(path: string, bytes: Uint8Array) {
      if (files.has(path)) throw new Error(`${path} written twice`);
      files.set(path, bytes.slice());
      order.push(path);
    },
  };
}

function options(folder: ReturnType<typeof memoryFolder>, extra: Partial<ConvertOptions> = {}): ConvertOptions {
  return { reader: memoryReader(weights), config, dtype: 'fp32', name: 'tiny', checkpointLabel: 'memory:tiny', writeFile: folder.writeFile, ...extra };
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function manifestFiles(m: BundleManifest) {
  return [m.graphs.embed, ...m.graphs.blocks, ...m.graphs.crossKv.map((g) => g.file), m.graphs.head, ...(m.text ? [m.text.tokenizer, m.text.encoder] : []), ...(m.audio ? [m.audio.decoder] : [])];
}

describe('convertCheckpoint', () => {
  it('writes every graph, then a manifest whose sizes and sha256 match the written bytes', async () => {
    const folder = memoryFolder();
    const progress: { done: number; total: number; label: string }[] = [];
    const tokenizer = tinyTokenizerBytes();
    const textEncoder = buildTinyTextEncoder(1, 40, config.textHiddenSize);
    const audioDecoder = buildTinyAudioDecoder(1, config.codebookSize, config.numCodebooks, 8);
    const manifest = await convertCheckpoint(
      options(folder, { extras: { tokenizer, textEncoder, audioDecoder }, notes: 'random weights', onProgress: (p) => progress.push(p) }),
    );

    expect(folder.order).toEqual([
      'embed.onnx', 'block_0.onnx', 'block_1.onnx', 'block_2.onnx', 'cross_kv_0.onnx', 'head.onnx',
      'tokenizer.json', 'text_encoder.onnx', 'encodec_decode.onnx', 'manifest.json',
    ]);
    expect(progress.map((p) => p.label)).toEqual(folder.order.slice(0, -1));
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(progress.every((p) => p.total === 9)).toBe(true);

    const written = JSON.parse(new TextDecoder().decode(folder.files.get('manifest.json')));
    expect(new TextDecoder().decode(folder.files.get('manifest.json'))).toContain('\n  "format"'); // pretty
    expect(written).toEqual(JSON.parse(JSON.stringify(manifest)));
    const parsed = parseManifest(written);
    expect(parsed.config).toEqual(config);
    expect(parsed.dtype).toBe('fp32');
    expect(parsed.source.checkpoint).toBe('memory:tiny');
    expect(parsed.notes).toBe('random weights');
    expect(parsed.hooks).toEqual(allHookNames(config.numLayers));
    expect(parsed.graphs.crossKv).toEqual([{ file: expect.objectContaining({ path: 'cross_kv_0.onnx' }), firstLayer: 0, lastLayer: 3 }]);
    expect(parsed.text?.tokenizer.path).toBe('tokenizer.json');
    expect(parsed.audio?.decoder.path).toBe('encodec_decode.onnx');
    for (const entry of manifestFiles(parsed)) {
      const bytes = folder.files.get(entry.path)!;
      expect(entry.bytes, entry.path).toBe(bytes.byteLength);
      expect(entry.sha256, entry.path).toBe(sha(bytes));
    }
    expect(folder.files.get('tokenizer.json')).toEqual(tokenizer);
  });

  it('leaves text and audio out of a decoder-only bundle', async () => {
    const folder = memoryFolder();
    const manifest = await convertCheckpoint(options(folder));
    expect(manifest.text).toBeUndefined();
    expect(manifest.audio).toBeUndefined();
    expect(parseManifest(JSON.parse(new TextDecoder().decode(folder.files.get('manifest.json'))))).toBeTruthy();
  });

  it('splits cross_kv into contiguous files under a small maxGraphBytes', async () => {
    const folder = memoryFolder();
    const { hiddenSize: d, textHiddenSize: textD } = config;
    const maxGraphBytes = 4 * (d * textD + d) + 4 * 2 * d * d; // room for one layer per graph
    const manifest = await convertCheckpoint(options(folder, { maxGraphBytes }));
    expect(manifest.graphs.crossKv.map((g) => [g.file.path, g.firstLayer, g.lastLayer])).toEqual([
      ['cross_kv_0.onnx', 0, 1],
      ['cross_kv_1.onnx', 1, 2],
      ['cross_kv_2.onnx', 2, 3],
    ]);
    for (const [i, graph] of manifest.graphs.crossKv.entries()) {
      const model = decodeModel(folder.files.get(graph.file.path)!);
      expect(model.graph.output.map((o) => o.name)).toEqual([CrossKvIO.key(i), CrossKvIO.value(i)]);
      const weightBytes = model.graph.initializer.reduce((n, t) => n + (t.rawData?.byteLength ?? 0), 0);
      expect(weightBytes).toBeLessThanOrEqual(maxGraphBytes + 64); // + the small int64 shape constants
    }
    expect(() => parseManifest(JSON.parse(new TextDecoder().decode(folder.files.get('manifest.json'))))).not.toThrow();
  });

  it('writes an fp16 bundle whose graphs carry float16 initializers', async () => {
    const folder = memoryFolder();
    const manifest = await convertCheckpoint(options(folder, { dtype: 'fp16' }));
    expect(manifest.dtype).toBe('fp16');
    const block = decodeModel(folder.files.get('block_0.onnx')!);
    const floatTypes = new Set(block.graph.initializer.filter((t) => t.dims.length === 2).map((t) => t.dataType));
    expect([...floatTypes]).toEqual([10]); // FLOAT16
  });

  it('stops with an AbortError between graphs and never writes the manifest', async () => {
    const folder = memoryFolder();
    const controller = new AbortController();
    const run = convertCheckpoint(options(folder, { signal: controller.signal, onProgress: (p) => p.done === 2 && controller.abort() }));
    await expect(run).rejects.toMatchObject({ name: 'AbortError', message: expect.stringContaining('block_1.onnx') });
    expect(folder.order).toEqual(['embed.onnx', 'block_0.onnx']);
  });

  it('rejects a text side with only one of tokenizer and encoder, and a bad dtype', async () => {
    await expect(convertCheckpoint(options(memoryFolder(), { extras: { tokenizer: new Uint8Array(1) } }))).rejects.toThrow(/tokenizer and extras.textEncoder must be given together/);
    await expect(convertCheckpoint(options(memoryFolder(), { dtype: 'int8' as never }))).rejects.toThrow('convertCheckpoint: dtype must be one of fp32, fp16, q8, q4, got "int8"');
  });

  it('names the missing tensor when the checkpoint lacks one', async () => {
    const partial = new Map(weights);
    partial.delete('decoder.model.decoder.layers.1.encoder_attn.q_proj.weight');
    await expect(convertCheckpoint(options(memoryFolder(), { reader: memoryReader(partial) }))).rejects.toThrow(/layers\.1\.encoder_attn\.q_proj\.weight/);
  });
});
