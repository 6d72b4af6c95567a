import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/bundle/manifest';

const tiny = JSON.parse(readFileSync(join(__dirname, '../../models/tiny/manifest.json'), 'utf8'));
const edited = (edit: (m: any) => void) => {
  const copy = structuredClone(tiny);
  edit(copy);
  return () => parseManifest(copy, 'm.json');
};

describe('parseManifest', () => {
  it('reads the tiny bundle', () => {
    const manifest = parseManifest(tiny);
    expect(manifest.graphs.blocks).toHaveLength(manifest.config.numLayers);
  });

  it('names what is wrong', () => {
    expect(edited((m) => delete m.config)).toThrow('m.json: config is missing');
    expect(edited((m) => (m.config.layerNormEps = 'small'))).toThrow('config.layerNormEps must be a number in (0, 1)');
    expect(edited((m) => (m.graphs.embed.sha256 = 'abc'))).toThrow('graphs.embed.sha256 must be 64 lowercase hex digits');
    expect(edited((m) => (m.graphs.embed.bytes = -1))).toThrow('graphs.embed.bytes must be a non-negative integer');
    expect(edited((m) => (m.graphs.crossKv[0].firstLayer = 1))).toThrow('graphs.crossKv[0] covers layers [1, 4), expected a range starting at 0');
    expect(edited((m) => (m.text.tokenizer.path = 'a/../../b'))).toThrow('text.tokenizer.path "a/../../b" leaves the bundle folder');
  });

  it('accepts every weight dtype, quantised ones included, and names a wrong one', () => {
    for (const dtype of ['fp32', 'fp16', 'q8', 'q4']) expect(parseManifest({ ...structuredClone(tiny), dtype }).dtype).toBe(dtype);
    expect(edited((m) => (m.dtype = 'int4'))).toThrow('m.json: dtype must be one of fp32, fp16, q8, q4, got int4');
  });

  it('accepts absolute http(s) URLs for files kept elsewhere', () => {
    expect(parseManifest(structuredClone({ ...tiny, audio: { decoder: { ...tiny.audio.decoder, path: 'https://example.org/encodec_decode.onnx' } } })).audio?.decoder.path).toBe('https://example.org/encodec_decode.onnx');
  });
});
