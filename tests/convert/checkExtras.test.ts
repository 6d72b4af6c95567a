import { describe, expect, it } from 'vitest';
import { checkExtraFiles } from '../../src/convert/checkExtras';
import { buildTinyAudioDecoder } from '../../src/demo/tinyAudioDecoder';
import { buildTinyTextEncoder } from '../../src/demo/tinyTextEncoder';
import { tinyTokenizerBytes } from '../../src/demo/tinyTokenizer';

describe('checkExtraFiles', () => {
  const tokenizer = tinyTokenizerBytes();
  const textEncoder = buildTinyTextEncoder(1, 40, 8);
  const audioDecoder = buildTinyAudioDecoder(1, 8, 4, 16);

  it('accepts the real kinds of file', () => {
    expect(() => checkExtraFiles({ tokenizer, textEncoder, audioDecoder })).not.toThrow();
  });

  it('refuses files of the wrong kind in one line, by the name the user gave', () => {
    expect(() => checkExtraFiles({ tokenizer: new TextEncoder().encode('line 1\nline 2') }, { tokenizer: 'tok.json' })).toThrow(/^tok\.json: not valid JSON \([^\n]*\)$/);
    expect(() => checkExtraFiles({ textEncoder: audioDecoder }, { textEncoder: 'te.onnx' })).toThrow(/^te\.onnx lacks input "input_ids", input "attention_mask", output "last_hidden_state"/);
    expect(() => checkExtraFiles({ audioDecoder: tokenizer })).toThrow(/^encodec_decode\.onnx is not an ONNX model/);
  });
});
