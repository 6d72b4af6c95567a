import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../src/bundle/manifest';
import { arrayBufferSource } from '../../src/checkpoint/byteSources';
import { parseMusicgenConfig } from '../../src/checkpoint/musicgenConfig';
import { openSafetensors } from '../../src/checkpoint/safetensors';
import { bundleBytesEstimate, chooseWeightDtype, decoderTensors, sumBytes } from '../../src/hub/downloadPlan';
import { TEXT_ENCODER_TENSOR, tinyHubCheckpoint } from '../browser/hubServer';
import { TINY_BUNDLE_DIR } from '../lab/engineWorkerBridge';

describe('download plan', () => {
  it('lists only decoder tensors and estimates the bundle within 2% of the real one (graph structure weighs most at tiny sizes)', async () => {
    const { config: configBytes, weights } = tinyHubCheckpoint();
    const config = parseMusicgenConfig(JSON.parse(new TextDecoder().decode(configBytes)));
    const reader = await openSafetensors(arrayBufferSource(weights, 'model.safetensors'));
    const tensors = decoderTensors(reader, config);
    expect(tensors.map((t) => t.name)).not.toContain(TEXT_ENCODER_TENSOR);
    expect(sumBytes(tensors)).toBe(tensors.reduce((n, t) => n + t.elements * 4, 0)); // F32 checkpoint
    expect(sumBytes(tensors)).toBeLessThan(weights.length - reader.info(TEXT_ENCODER_TENSOR).byteLength);

    const manifest = JSON.parse(readFileSync(`${TINY_BUNDLE_DIR}manifest.json`, 'utf8')) as BundleManifest;
    const files = [manifest.graphs.embed, ...manifest.graphs.blocks, ...manifest.graphs.crossKv.map((g) => g.file), manifest.graphs.head];
    const sides = [manifest.text!.tokenizer, manifest.text!.encoder, manifest.audio!.decoder];
    const real = [...files, ...sides].reduce((n, f) => n + f.bytes, 0);
    const estimate = bundleBytesEstimate(tensors, config, 'fp32', sides.reduce((n, f) => n + f.bytes, 0));
    expect(Math.abs(estimate - real) / real).toBeLessThan(0.02);
    expect(bundleBytesEstimate(tensors, config, 'fp16', 0)).toBeLessThan(bundleBytesEstimate(tensors, config, 'fp32', 0));
  });

  it('chooses fp16 only on shader-f16, and says why', () => {
    expect(chooseWeightDtype('auto', true)).toEqual({ dtype: 'fp16', reason: expect.stringMatching(/shader-f16/) });
    expect(chooseWeightDtype('auto', false).dtype).toBe('fp32');
    expect(chooseWeightDtype('fp16', false)).toEqual({ dtype: 'fp16', reason: 'fp16 weights, as asked' });
  });
});
