import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayBufferSource } from '../../src/checkpoint/byteSources';
import { hubLocation, type CheckpointLocation } from '../../src/checkpoint/location';
import type { MusicgenConfig } from '../../src/checkpoint/musicgenConfig';
import { nodeFolderLocation } from '../../src/checkpoint/nodeFolderLocation';
import { DecoderTensorsError, decoderTensorSpecs, openCheckpoint, validateDecoderTensors } from '../../src/checkpoint/openCheckpoint';
import { CheckpointError, openSafetensors } from '../../src/checkpoint/safetensors';
import { makeSafetensors, type TensorBytes } from './makeSafetensors';
import { memoryFile, startServer } from './staticServer';

const GOLDEN = join(__dirname, '../../../shared/fixtures/golden-tiny');
const goldenFile = readFileSync(join(GOLDEN, 'model.safetensors'));

/** The fixture's tensors decoded here, directly from the file bytes, as a reference. */
function goldenTensor(name: string): { shape: number[]; values: Float32Array } {
  const headerLength = Number(goldenFile.readBigUInt64LE(0));
  const header = JSON.parse(goldenFile.subarray(8, 8 + headerLength).toString('utf8'));
  const { dtype, shape, data_offsets: [begin, end] } = header[name];
  expect(dtype).toBe('F32');
  const values = new Float32Array((end - begin) / 4);
  for (let i = 0; i < values.length; i++) values[i] = goldenFile.readFloatLE(8 + headerLength + begin + 4 * i);
  return { shape, values };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'open-checkpoint-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openCheckpoint on the golden-tiny HF checkpoint', () => {
  it('parses config.json and reads tensors from model.safetensors', async () => {
    const { config, reader, close } = await openCheckpoint(nodeFolderLocation(GOLDEN));
    try {
      expect(config).toMatchObject({ hiddenSize: 64, numLayers: 3, numHeads: 4, headDim: 16, ffnDim: 256, codebookSize: 32, numCodebooks: 4, textHiddenSize: 48 });
      expect(reader.name).toBe(join(GOLDEN, 'model.safetensors'));
      expect(reader.names().length).toBe(60);
      validateDecoderTensors(config, reader);
      for (const name of ['decoder.model.decoder.layers.2.fc2.weight', 'decoder.lm_heads.3.weight', 'enc_to_dec_proj.bias']) {
        const expected = goldenTensor(name);
        expect(await reader.readFloat32(name, expected.shape)).toEqual(expected.values);
      }
    } finally {
      await close();
    }
  });

  it('opens a sharded checkpoint through model.safetensors.index.json', async () => {
    const golden = await openSafetensors(arrayBufferSource(goldenFile, 'golden'));
    const names = golden.names();
    const shards: TensorBytes[][] = [[], []];
    const weightMap: Record<string, string> = {};
    const shardFiles = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
    for (const [i, name] of names.entries()) {
      const info = golden.info(name);
      shards[i % 2].push({ name, dtype: info.dtype, shape: info.shape, data: await golden.readRaw(name) });
      weightMap[name] = shardFiles[i % 2];
    }
    const sharded = join(dir, 'sharded');
    await import('node:fs/promises').then((fs) => fs.mkdir(sharded));
    await copyFile(join(GOLDEN, 'config.json'), join(sharded, 'config.json'));
    await writeFile(join(sharded, shardFiles[0]), makeSafetensors(shards[0]));
    await writeFile(join(sharded, shardFiles[1]), makeSafetensors(shards[1]));
    await writeFile(join(sharded, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }));

    const folder = nodeFolderLocation(sharded);
    // Also through a location without exists(), which must probe by opening.
    const noExists: CheckpointLocation = { name: folder.name, open: (path) => folder.open(path) };
    for (const location of [folder, noExists]) {
      const { config, reader, close } = await openCheckpoint(location);
      try {
        expect(reader.name).toBe(`${sharded}/model.safetensors.index.json`);
        expect(reader.names().sort()).toEqual([...names].sort());
        validateDecoderTensors(config, reader);
        expect(reader.info('decoder.lm_heads.1.weight').shape).toEqual([32, 64]);
        for (const name of ['decoder.model.decoder.embed_tokens.0.weight', 'decoder.model.decoder.embed_tokens.1.weight']) {
          expect(await reader.readFloat32(name, [33, 64])).toEqual(goldenTensor(name).values);
        }
        await expect(reader.readFloat32('decoder.lm_heads.9.weight')).rejects.toThrow(/index\.json has no tensor "decoder\.lm_heads\.9\.weight".*did you mean/);
        await expect(reader.readFloat32('decoder.lm_heads.0.weight', [64, 32])).rejects.toThrow(/model-0000\d-of-00002\.safetensors: tensor "decoder\.lm_heads\.0\.weight" has shape \[32, 64\], expected \[64, 32\]/);
      } finally {
        await close();
      }
    }
  });

  it('refuses an index that maps a tensor to a shard without it', async () => {
    const broken = join(dir, 'broken-index');
    await import('node:fs/promises').then((fs) => fs.mkdir(broken));
    await copyFile(join(GOLDEN, 'config.json'), join(broken, 'config.json'));
    await writeFile(join(broken, 'a.safetensors'), makeSafetensors([{ name: 'x', dtype: 'F32', shape: [1], data: new Float32Array([1]) }]));
    await writeFile(join(broken, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { x: 'a.safetensors', y: 'a.safetensors' } }));
    await expect(openCheckpoint(nodeFolderLocation(broken))).rejects.toThrow(/index does not match its shards: "y" is mapped to a\.safetensors, which does not contain it/);
    await writeFile(join(broken, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { x: '../a.safetensors' } }));
    await expect(openCheckpoint(nodeFolderLocation(broken))).rejects.toThrow(/not a plain relative file path/);
  });

  it('says when a folder has no weights or no config', async () => {
    const configOnly = join(dir, 'config-only');
    await import('node:fs/promises').then((fs) => fs.mkdir(configOnly));
    await copyFile(join(GOLDEN, 'config.json'), join(configOnly, 'config.json'));
    await expect(openCheckpoint(nodeFolderLocation(configOnly))).rejects.toThrow(`${configOnly} has neither model.safetensors nor model.safetensors.index.json`);
    await expect(openCheckpoint(nodeFolderLocation(dir))).rejects.toThrow(`${dir} has no file "config.json"`);
    await writeFile(join(configOnly, 'config.json'), '{"decoder": ');
    await expect(openCheckpoint(nodeFolderLocation(configOnly))).rejects.toThrow(`${configOnly}/config.json is not valid JSON`);
  });

  it('opens the checkpoint from a Hub-like HTTP endpoint with range requests', async () => {
    const server = await startServer({
      'org/tiny/resolve/main/config.json': memoryFile(readFileSync(join(GOLDEN, 'config.json'))),
      'org/tiny/resolve/main/model.safetensors': memoryFile(goldenFile),
    });
    try {
      const { config, reader } = await openCheckpoint(hubLocation('org/tiny', { endpoint: `${server.url}/ranged` }));
      validateDecoderTensors(config, reader);
      const name = 'decoder.model.decoder.layers.1.encoder_attn.v_proj.weight';
      expect(await reader.readFloat32(name, [64, 64])).toEqual(goldenTensor(name).values);
      const gets = server.requests.filter((r) => r.method === 'GET' && r.path.endsWith('model.safetensors'));
      expect(gets.every((r) => r.range !== undefined)).toBe(true);
      const fetched = gets.reduce((sum, r) => {
        const [a, b] = r.range!.slice(6).split('-').map(Number);
        return sum + b - a + 1;
      }, 0);
      expect(fetched).toBeLessThan(goldenFile.length / 10); // header + one 16 KiB tensor, not the file
    } finally {
      await server.close();
    }
  });
});

describe('validateDecoderTensors', () => {
  const config: MusicgenConfig = {
    hiddenSize: 8,
    numLayers: 2,
    numHeads: 2,
    headDim: 4,
    ffnDim: 16,
    codebookSize: 5,
    numCodebooks: 2,
    maxPositions: 2048,
    layerNormEps: 1e-5,
    textHiddenSize: 6,
    sampleRate: 32000,
    samplesPerFrame: 640,
  };

  it('lists the tensors and shapes the converter needs', () => {
    const specs = decoderTensorSpecs(config);
    // 2 embeddings + 2 layers * (8 projections + 6 norm params + fc1 + fc2) + 2 final norm + 2 heads + 2 enc_to_dec
    expect(specs.length).toBe(2 + 2 * 16 + 2 + 2 + 2);
    const shapeOf = (name: string) => specs.find((s) => s.name === name)?.shape;
    expect(shapeOf('decoder.model.decoder.embed_tokens.1.weight')).toEqual([6, 8]);
    expect(shapeOf('decoder.model.decoder.layers.1.fc1.weight')).toEqual([16, 8]);
    expect(shapeOf('decoder.model.decoder.layers.1.fc2.weight')).toEqual([8, 16]);
    expect(shapeOf('decoder.model.decoder.layers.0.encoder_attn.k_proj.weight')).toEqual([8, 8]);
    expect(shapeOf('decoder.lm_heads.0.weight')).toEqual([5, 8]);
    expect(shapeOf('enc_to_dec_proj.weight')).toEqual([8, 6]);
  });

  it('reports every problem in one error', async () => {
    const tensors: TensorBytes[] = decoderTensorSpecs(config)
      .filter((s) => s.name !== 'decoder.model.decoder.layers.1.self_attn.k_proj.weight' && s.name !== 'decoder.lm_heads.1.weight')
      .map((s) => {
        if (s.name === 'decoder.model.decoder.layers.0.fc1.weight') return { ...s, dtype: 'F32', shape: [8, 16], data: new Float32Array(128) };
        if (s.name === 'decoder.model.decoder.layer_norm.bias') return { ...s, dtype: 'I32', data: new Uint8Array(32) };
        return { ...s, dtype: 'F16', data: new Uint8Array(2 * s.shape.reduce((a, b) => a * b, 1)) };
      });
    const reader = await openSafetensors(arrayBufferSource(makeSafetensors(tensors), 'bad.safetensors'));
    const error = (() => {
      try {
        validateDecoderTensors(config, reader);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DecoderTensorsError);
    expect(error).toBeInstanceOf(CheckpointError);
    const { message, problems } = error as DecoderTensorsError;
    expect(problems).toEqual([
      '"decoder.model.decoder.layers.0.fc1.weight" has shape [8, 16], expected [16, 8]',
      'missing "decoder.model.decoder.layers.1.self_attn.k_proj.weight" (expected [8, 8])',
      '"decoder.model.decoder.layer_norm.bias" has dtype I32, expected F32, F16 or BF16',
      'missing "decoder.lm_heads.1.weight" (expected [5, 8])',
    ]);
    expect(message.startsWith('bad.safetensors: 4 problems with the decoder tensors:\n')).toBe(true);
    for (const problem of problems) expect(message).toContain(problem);
  });

  it('catches a config that does not match the checkpoint', async () => {
    const { config: golden, reader, close } = await openCheckpoint(nodeFolderLocation(GOLDEN));
    try {
      expect(() => validateDecoderTensors({ ...golden, numLayers: 4 }, reader)).toThrow(
        /config\.json says num_hidden_layers = 4, but .*model\.safetensors holds 3 decoder layers/,
      );
      expect(() => validateDecoderTensors({ ...golden, numCodebooks: 2 }, reader)).toThrow(/num_codebooks = 2, but .* holds 4 codebook embeddings/);
      const problems = (() => {
        try {
          validateDecoderTensors({ ...golden, textHiddenSize: 768 }, reader);
          return [];
        } catch (e) {
          return [...(e as DecoderTensorsError).problems];
        }
      })();
      expect(problems).toEqual(['"enc_to_dec_proj.weight" has shape [64, 48], expected [64, 768]']);
    } finally {
      await close();
    }
  });
});
