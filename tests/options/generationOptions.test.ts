import { describe, expect, it } from 'vitest';
import {
  checkPromptTokens,
  depthsProblem,
  MAX_PROMPT_CHARS,
  optionProblem,
  parseDepths,
  parseOption,
  promptProblem,
} from '../../src/options/generationOptions';
import type { PromptTokenizer } from '../../src/text/promptTokenizer';

describe('generation options', () => {
  it('gives the form and the command line the same rule and words, only the name differs', () => {
    expect(optionProblem('temperature', 0)).toBe('Temperature must be between 0.05 and 5 (got 0).');
    expect(() => parseOption('temperature', '0', 1)).toThrow('--temperature must be between 0.05 and 5 (got 0).');
    expect(optionProblem('seed', 1.5)).toBe('Seed must be a whole number (got 1.5).');
    expect(() => parseOption('topK', '2.5', 250)).toThrow('--top-k must be a whole number (got 2.5).');
    expect(optionProblem('guidanceScale', Number.NaN)).toBe('Guidance needs a number.');
    expect(() => parseOption('seconds', 'abc', 4)).toThrow('--seconds needs a number (got "abc").');
    expect(() => parseOption('seconds', '', 4)).toThrow('--seconds needs a number');
    expect(parseOption('seconds', undefined, 4)).toBe(4);
    expect(parseOption('seed', '4294967295', 42)).toBe(4294967295);
  });

  it('parses depths, deduplicated, and names a bad one', () => {
    expect(parseDepths('1,1,3,1', 4)).toEqual([1, 3]);
    expect(parseDepths('all', 3)).toEqual([1, 2, 3]);
    expect(() => parseDepths('1,,2', 4)).toThrow('--layers "1,,2": Depth NaN is not a layer count in 1..4.');
    expect(() => parseDepths('5', 4)).toThrow('Depth 5 is not a layer count in 1..4.');
    expect(depthsProblem([], 4)).toBe('Choose at least one DecoderLens depth.');
  });

  it('refuses empty and over-long prompts, and prompts over the token limit', () => {
    expect(promptProblem('  ')).toBe('The prompt is empty: write a prompt first.');
    expect(promptProblem('x'.repeat(MAX_PROMPT_CHARS + 1), '--prompt')).toBe(`--prompt is ${MAX_PROMPT_CHARS + 1} characters long; the limit is ${MAX_PROMPT_CHARS} (the text encoder reads at most 512 tokens).`);
    const tokenizer: PromptTokenizer = {
      encode: (prompts) => {
        if (prompts[0].length > 3) throw new Error('prompt 0 is 9 tokens long; the limit is 512');
        return { count: 1, length: 1, ids: new BigInt64Array(1), mask: new BigInt64Array(1) };
      },
    };
    expect(() => checkPromptTokens(tokenizer, ['ok', 'too long'])).toThrow('--prompt 2: the prompt is 9 tokens long; the limit is 512');
  });
});
