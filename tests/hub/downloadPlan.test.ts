import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../src/bundle/manifest';
import { arrayBufferSource } from '../../src/checkpoint/byteSources';
import { hfNames, parseMusicgenConfig } from '../../src/checkpoint/musicgenConfig';
import { openSafetensors } from '../../src/checkpoint/safetensors';
import { WEIGHT_DTYPES } from '../../src/bundle/weightDtypes';
import { bundleBytesByDtype, bundleBytesEstimate, chooseWeightDtype, decoderTensors, parseDtypeChoice, sumBytes } from '../../src/hub/downloadPlan';
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

  it('estimates every dtype from element counts: q8/q4 quantise the linear layers only, the rest stays float32', async () => {
    const { config: configBytes, weights } = tinyHubCheckpoint();
    const config = parseMusicgenConfig(JSON.parse(new TextDecoder().decode(configBytes)));
    const tensors = decoderTensors(await openSafetensors(arrayBufferSource(weights, 'model.safetensors')), config);
    const linear = tensors.filter((t) => t.linear);
    expect(linear.map((t) => t.name)).toContain(hfNames.layer(3, 'encoder_attn.v_proj.weight'));
    expect(linear.map((t) => t.name)).toContain(hfNames.lmHead(0));
    expect(linear.map((t) => t.name)).not.toContain(hfNames.embed(0));
    expect(linear).toHaveLength(4 * 10 + 4); // 10 per layer, one lm head per codebook
    const linearElements = linear.reduce((n, t) => n + t.elements, 0);
    const floatElements = tensors.filter((t) => !t.linear).reduce((n, t) => n + t.elements, 0); // embeddings, enc_to_dec_proj, norms
    const table = config.maxPositions * config.hiddenSize * 4;
    const sizes = bundleBytesByDtype(tensors, config, 1000);
    expect(sizes).toEqual({
      fp32: (linearElements + floatElements) * 4 + table + 1000,
      fp16: (linearElements + floatElements) * 2 + table + 1000,
      q8: linearElements * 1 + floatElements * 4 + table + 1000,
      q4: Math.round(linearElements * WEIGHT_DTYPES.q4.bytesPerWeight + floatElements * 4) + table + 1000,
    });
    expect(sizes.fp32).toBeGreaterThan(sizes.fp16);
    expect(sizes.fp16).toBeGreaterThan(sizes.q8);
    expect(sizes.q8).toBeGreaterThan(sizes.q4);
  });

  it('chooses fp16 only on shader-f16, and says why; a quantised choice says its figures are quantised', () => {
    expect(chooseWeightDtype('auto', true)).toEqual({ dtype: 'fp16', reason: expect.stringMatching(/shader-f16/) });
    expect(chooseWeightDtype('auto', false).dtype).toBe('fp32');
    expect(chooseWeightDtype('fp16', false)).toEqual({ dtype: 'fp16', reason: 'fp16 weights, as asked' });
    expect(chooseWeightDtype('q4', true)).toEqual({ dtype: 'q4', reason: 'q4 (4-bit) weights, as asked: every figure is computed on quantised weights' });
  });

  it('parses ?dtype=: auto when absent, any known dtype in any case, auto with a sentence otherwise', () => {
    expect(parseDtypeChoice(null)).toEqual({ choice: 'auto' });
    expect(parseDtypeChoice('')).toEqual({ choice: 'auto' });
    expect(parseDtypeChoice('Q8')).toEqual({ choice: 'q8' });
    expect(parseDtypeChoice(' fp16 ')).toEqual({ choice: 'fp16' });
    expect(parseDtypeChoice('int8')).toEqual({ choice: 'auto', problem: 'Weights "int8" in the link is not one of auto, fp32, fp16, q8, q4: using auto.' });
  });
});
