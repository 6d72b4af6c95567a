import { describe, expect, it } from 'vitest';
import { arrayBufferSource } from '../../src/checkpoint/byteSources';
import type { CheckpointLocation } from '../../src/checkpoint/location';
import { CheckpointError } from '../../src/checkpoint/safetensors';
import { hubSideFiles, openModelCheckpoint } from '../../src/hub/hubCheckpoint';
import { TEXT_ENCODER_TENSOR, tinyHubCheckpoint } from '../browser/hubServer';

function location(config: Record<string, unknown>): CheckpointLocation {
  const { weights } = tinyHubCheckpoint();
  const files = new Map([
    ['config.json', new TextEncoder().encode(JSON.stringify(config))],
    ['model.safetensors', weights],
  ]);
  return {
    name: 'test-repo',
    async open(path) {
      const bytes = files.get(path);
      if (!bytes) throw new CheckpointError(`no ${path}`, { source: path, code: 'not-found' });
      return arrayBufferSource(bytes, path);
    },
    exists: async (path) => files.has(path),
  };
}

const tinyConfig = () => JSON.parse(new TextDecoder().decode(tinyHubCheckpoint().config)) as Record<string, Record<string, unknown>>;

describe('openModelCheckpoint', () => {
  it('opens the decoder tensors of a checkpoint with other tensors in front', async () => {
    const opened = await openModelCheckpoint(location(tinyConfig()));
    expect(opened.config.numLayers).toBe(4);
    expect(opened.tensors.map((t) => t.name)).not.toContain(TEXT_ENCODER_TENSOR);
  });

  it('names melody and stereo configs in one clear line', async () => {
    await expect(openModelCheckpoint(location({ ...tinyConfig(), model_type: 'musicgen_melody' }))).rejects.toThrow('test-repo is a melody-conditioned MusicGen; the lab runs text-only checkpoints');
    const stereo = tinyConfig();
    stereo.decoder.audio_channels = 2;
    await expect(openModelCheckpoint(location(stereo))).rejects.toThrow('test-repo is a stereo MusicGen; the lab runs mono checkpoints');
  });

  it('takes the side files from Xenova/musicgen-small on the given endpoint', () => {
    const names = hubSideFiles('http://mirror.test', { fetch: globalThis.fetch }).map((side) => side.source.name);
    expect(names).toEqual([
      'http://mirror.test/Xenova/musicgen-small/resolve/main/tokenizer.json',
      'http://mirror.test/Xenova/musicgen-small/resolve/main/onnx/text_encoder.onnx',
      'http://mirror.test/Xenova/musicgen-small/resolve/main/onnx/encodec_decode.onnx',
    ]);
  });
});
