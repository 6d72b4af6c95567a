import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadPromptTokenizer } from '../../src/text/promptTokenizer';
import { encodePrompts } from '../../src/text/conditioning';
import { createRuntime } from '../../src/runtime/ort';
import { tinyTokenizerBytes } from '../../src/demo/tinyTokenizer';
import { studyPrompt } from '../../src/toy/concepts';
import { buildToyTextEncoder, TEXT, TEXT_WIDTH } from '../../src/toy/toyTextEncoder';

describe('toy text encoder', () => {
  it('gives each study word its slot key and value, </s> its own key, padding zeros', async () => {
    expect(Buffer.from(buildToyTextEncoder()).equals(await readFile('models/toy/text_encoder.onnx'))).toBe(true);
    const session = await (await createRuntime('node')).createSession('toy text encoder', buildToyTextEncoder());
    const tokenizer = loadPromptTokenizer(tinyTokenizerBytes());
    const prompts = [studyPrompt('groovy', 'jazz', 'trumpet', 'slow to medium'), 'Piano']; // the second is shorter: padded
    const { states, length, width } = await encodePrompts(prompts, tokenizer, session);
    expect(width).toBe(TEXT_WIDTH);
    const row = (p: number, s: number) => states.subarray((p * length + s) * width, (p * length + s + 1) * width);
    const rowsWith = (p: number, dim: number) => Array.from({ length }, (_, s) => row(p, s)[dim]).filter((v) => v !== 0);
    expect(rowsWith(0, TEXT.keyGenre)).toEqual([1]);
    expect(rowsWith(0, TEXT.genre + 3)).toEqual([1]); // jazz
    expect(rowsWith(0, TEXT.mood + 2)).toEqual([1]); // groovy
    expect(rowsWith(0, TEXT.instrument + 2)).toEqual([1]); // trumpet
    expect(rowsWith(0, TEXT.tempoValue)).toEqual([1, 2]); // slow, medium: the head averages them to 1.5
    expect(rowsWith(0, TEXT.keyEos)).toEqual([1]);
    expect(rowsWith(1, TEXT.instrument + 1)).toEqual([1]); // "Piano", capitalised
    expect(Array.from(row(1, length - 1)).every((v) => v === 0)).toBe(true);
    await session.release();
  });
});
