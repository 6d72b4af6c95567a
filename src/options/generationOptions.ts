/**
 * One set of rules and messages for generation options, shared by the lab page and the command
 * line: the same value is accepted or refused with the same words in both, only the field's name
 * differs ("Temperature" in the form, "--temperature" on the command line).
 */
import { MAX_PROMPT_TOKENS, type PromptTokenizer } from '../text/promptTokenizer';

export type NumericOption = 'seconds' | 'seed' | 'topK' | 'temperature' | 'guidanceScale';

export interface OptionLimit {
  min: number;
  max: number;
  step: number;
  integer: boolean;
}

/** The study's ranges: one frame .. 30 s (MusicGen's training length), seeds of 32 bits, top-k up to a codebook. */
export const OPTION_LIMITS: Readonly<Record<NumericOption, OptionLimit>> = {
  seconds: { min: 0.02, max: 30, step: 0.02, integer: false },
  seed: { min: 0, max: 2 ** 32 - 1, step: 1, integer: true },
  topK: { min: 0, max: 2048, step: 1, integer: true }, // 0 = no top-k
  temperature: { min: 0.05, max: 5, step: 0.05, integer: false },
  guidanceScale: { min: 0, max: 20, step: 0.5, integer: false },
};

/** Field labels of the form. */
export const OPTION_LABELS: Readonly<Record<NumericOption, string>> = {
  seconds: 'Duration (s)',
  seed: 'Seed',
  topK: 'Top-k',
  temperature: 'Temperature',
  guidanceScale: 'Guidance',
};

/** Flags of the command line. */
export const OPTION_FLAGS: Readonly<Record<NumericOption, string>> = {
  seconds: '--seconds',
  seed: '--seed',
  topK: '--top-k',
  temperature: '--temperature',
  guidanceScale: '--guidance',
};

/** A prompt longer than this cannot fit the text encoder's 512 tokens; refused before tokenizing. */
export const MAX_PROMPT_CHARS = 8192;

export class OptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionError';
  }
}

/** The problem with one numeric option, or null. `name` is the label or flag shown to the user. */
export function optionProblem(key: NumericOption, value: number, name: string = OPTION_LABELS[key]): string | null {
  const { min, max, integer } = OPTION_LIMITS[key];
  if (typeof value !== 'number' || Number.isNaN(value)) return `${name} needs a number.`;
  if (value < min || value > max) return `${name} must be between ${min} and ${max} (got ${value}).`;
  if (integer && !Number.isInteger(value)) return `${name} must be a whole number (got ${value}).`;
  return null;
}

/** Parses a command-line value of a numeric option (undefined: the default); throws OptionError. */
export function parseOption(key: NumericOption, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = text.trim() === '' ? Number.NaN : Number(text);
  const problem = optionProblem(key, value, OPTION_FLAGS[key]);
  if (problem) throw new OptionError(Number.isNaN(value) ? `${OPTION_FLAGS[key]} needs a number (got "${text}").` : problem);
  return value;
}

/** The problem with a prompt, or null: empty, or too long for the text encoder. */
export function promptProblem(prompt: string, name = 'The prompt'): string | null {
  if (prompt.trim() === '') return `${name} is empty: write a prompt first.`;
  if (prompt.length > MAX_PROMPT_CHARS) {
    return `${name} is ${prompt.length} characters long; the limit is ${MAX_PROMPT_CHARS} (the text encoder reads at most ${MAX_PROMPT_TOKENS} tokens).`;
  }
  return null;
}

/** DecoderLens depths: each a whole number in 1..numLayers, duplicates dropped (first occurrence kept). */
export function depthsProblem(depths: readonly number[], numLayers: number): string | null {
  if (depths.length === 0) return 'Choose at least one DecoderLens depth.';
  const bad = depths.find((depth) => !Number.isInteger(depth) || depth < 1 || depth > numLayers);
  return bad === undefined ? null : `Depth ${bad} is not a layer count in 1..${numLayers}.`;
}

export function uniqueDepths(depths: readonly number[]): number[] {
  return [...new Set(depths)];
}

/** Parses `--layers`: "all" or a comma-separated list; deduplicated; throws OptionError. */
export function parseDepths(text: string, numLayers: number): number[] {
  if (text.trim() === 'all') return Array.from({ length: numLayers }, (_, i) => i + 1);
  const depths = text.split(',').map((part) => (part.trim() === '' ? Number.NaN : Number(part.trim())));
  const problem = depthsProblem(depths, numLayers);
  if (problem) throw new OptionError(`--layers "${text}": ${problem}`);
  return uniqueDepths(depths);
}

/** Token counts checked before any session exists: encode() refuses a prompt over the encoder's limit. */
export function checkPromptTokens(tokenizer: PromptTokenizer, prompts: readonly string[], name = '--prompt'): void {
  prompts.forEach((prompt, i) => {
    try {
      tokenizer.encode([prompt]);
    } catch (error) {
      const which = prompts.length > 1 ? `${name} ${i + 1}` : name;
      throw new OptionError(`${which}: ${(error as Error).message.replace(/^prompt 0 /, 'the prompt ')}`);
    }
  });
}
