/**
 * Files copied into a bundle as they are (tokenizer.json, text_encoder.onnx, encodec_decode.onnx)
 * are checked before anything is written: a foreign file would otherwise be copied in and fail
 * only when the bundle is loaded.
 */
import { AudioDecoderIO, TextEncoderIO } from '../bundle/graphContract';
import { loadPromptTokenizer } from '../text/promptTokenizer';
import { checkGraphSignature } from './onnx/graphSignature';
import { messageOf } from '../errorMessage';

export class ExtraFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExtraFileError';
  }
}

export interface ExtraFiles {
  tokenizer?: Uint8Array;
  textEncoder?: Uint8Array;
  audioDecoder?: Uint8Array;
}

/** Labels name the files in messages (e.g. the paths the user gave). */
export function checkExtraFiles(extras: ExtraFiles, labels: { tokenizer?: string; textEncoder?: string; audioDecoder?: string } = {}): void {
  const wrap = (run: () => void) => {
    try {
      run();
    } catch (error) {
      // One line: parser messages may quote the file's text, newlines included.
      throw new ExtraFileError(messageOf(error).replace(/\s*\n\s*/g, ' '));
    }
  };
  if (extras.tokenizer) {
    const label = labels.tokenizer ?? 'tokenizer.json';
    wrap(() => {
      const tokenizer = loadPromptTokenizer(extras.tokenizer!, label);
      if (tokenizer.encode(['a check']).length < 1) throw new Error(`${label}: encodes a prompt to no tokens`);
    });
  }
  if (extras.textEncoder) {
    const label = labels.textEncoder ?? 'text_encoder.onnx';
    wrap(() => checkGraphSignature(extras.textEncoder!, label, [TextEncoderIO.inputIds, TextEncoderIO.attentionMask], [TextEncoderIO.lastHiddenState]));
  }
  if (extras.audioDecoder) {
    const label = labels.audioDecoder ?? 'encodec_decode.onnx';
    wrap(() => checkGraphSignature(extras.audioDecoder!, label, [AudioDecoderIO.audioCodes], [AudioDecoderIO.audioValues]));
  }
}
