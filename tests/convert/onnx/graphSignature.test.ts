import { describe, expect, it } from 'vitest';
import { buildTinyAudioDecoder } from '../../../src/demo/tinyAudioDecoder';
import { checkGraphSignature, readGraphSignature } from '../../../src/convert/onnx/graphSignature';

describe('readGraphSignature', () => {
  it('reads input and output names without decoding the weights', () => {
    const signature = readGraphSignature(buildTinyAudioDecoder(1, 8, 4, 16));
    expect(signature.inputs).toContain('audio_codes');
    expect(signature.outputs).toEqual(['audio_values']);
  });

  it('refuses bytes that are not a protobuf model', () => {
    expect(() => readGraphSignature(new TextEncoder().encode('hello'))).toThrow();
    expect(() => readGraphSignature(new Uint8Array(0))).toThrow('no graph in the file');
    expect(() => checkGraphSignature(Uint8Array.of(0x3a, 0xff, 0xff, 0xff, 0x0f), 'x.onnx', [], [])).toThrow(/^x\.onnx is not an ONNX model \(field 7 runs past the end/);
  });
});
