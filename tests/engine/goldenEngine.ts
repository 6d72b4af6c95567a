/** An engine over golden-tiny's checkpoint, converted in memory by the project's converter. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryBundleFiles } from '../../src/bundle/bundleFiles';
import type { BundleManifest } from '../../src/bundle/manifest';
import { arrayBufferSource } from '../../src/checkpoint/byteSources';
import { parseMusicgenConfig } from '../../src/checkpoint/musicgenConfig';
import { openSafetensors } from '../../src/checkpoint/safetensors';
import { convertCheckpoint } from '../../src/convert/convertCheckpoint';
import { MusicgenEngine } from '../../src/engine/engine';
import { createRuntime, type Backend } from '../../src/runtime/ort';
import { conditioningFromStates, type TextConditioning } from '../../src/text/conditioning';
import { GOLDEN_TINY_DIR } from '../golden/fixture';

/** golden-tiny converted in memory: the bundle's files and manifest. */
export async function goldenBundle(): Promise<{ files: Map<string, Uint8Array>; manifest: BundleManifest }> {
  const config = parseMusicgenConfig(JSON.parse(readFileSync(join(GOLDEN_TINY_DIR, 'config.json'), 'utf8')));
  const reader = await openSafetensors(arrayBufferSource(new Uint8Array(readFileSync(join(GOLDEN_TINY_DIR, 'model.safetensors'))), 'model.safetensors'));
  const files = new Map<string, Uint8Array>();
  const manifest = await convertCheckpoint({ reader, config, dtype: 'fp32', name: 'golden-tiny', checkpointLabel: 'golden-tiny', writeFile: async (p, b) => void files.set(p, b) });
  return { files, manifest };
}

export async function goldenEngine(backend: Backend = 'node'): Promise<{ engine: MusicgenEngine; conditioning: TextConditioning }> {
  const { files } = await goldenBundle();
  const engine = await MusicgenEngine.load(memoryBundleFiles('golden-tiny', files), await createRuntime(backend));
  const golden = await openSafetensors(arrayBufferSource(new Uint8Array(readFileSync(join(GOLDEN_TINY_DIR, 'golden.safetensors'))), 'golden.safetensors'));
  const [, s, width] = golden.info('inputs.encoder_hidden_states').shape;
  const states = await golden.readFloat32('inputs.encoder_hidden_states'); // [1, s, width]
  // A second prompt: the same states reversed in time, padded by 2 tokens to test masking.
  const two = new Float32Array(2 * (s + 2) * width); // [2, s+2, width]
  const mask = new Uint8Array(2 * (s + 2));
  for (let i = 0; i < s; i++) {
    two.set(states.subarray(i * width, (i + 1) * width), i * width);
    two.set(states.subarray((s - 1 - i) * width, (s - i) * width), ((s + 2) + i) * width);
    mask[i] = 1;
    mask[s + 2 + i] = 1;
  }
  return { engine, conditioning: conditioningFromStates(two, 2, s + 2, width, mask) };
}

/** Prompt 0 alone, unpadded. */
export function firstPromptOnly(conditioning: TextConditioning): TextConditioning {
  const s = conditioning.mask.subarray(0, conditioning.length).reduce((a, b) => a + b, 0);
  return conditioningFromStates(conditioning.states.slice(0, s * conditioning.width), 1, s, conditioning.width);
}
