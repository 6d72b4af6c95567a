/** Generation settings of the lab page: defaults of the study, and their conversion to a request. */
import type { GenerateRequest } from '../../lab/workerApi';
import { OPTION_LABELS, OPTION_LIMITS, optionProblem, promptProblem, uniqueDepths, type NumericOption } from '../../options/generationOptions';

/** EnCodec frames per second of audio (32 kHz / 640 samples per frame). */
export const FRAMES_PER_SECOND = 50;

export interface GenerationSettings {
  prompt: string;
  seconds: number;
  seed: number;
  topK: number;
  temperature: number;
  guidanceScale: number;
}

/** The study's defaults (../shared/docs/DESIGN.md): 4 s, top-k 250, temperature 1, guidance 3. */
export const DEFAULT_SETTINGS: GenerationSettings = {
  prompt: 'Compose a happy rock piece, with a guitar melody. Use a fast tempo.',
  seconds: 4,
  seed: 42,
  topK: 250,
  temperature: 1,
  guidanceScale: 3,
};

/** The shared option rules (src/options): the command line accepts and refuses the same values. */
export const SETTING_LIMITS = OPTION_LIMITS;

/** Field labels, shared by the form and the validation messages. */
export const SETTING_LABELS = OPTION_LABELS;

/** Whole frames for a duration in seconds; at least one. */
export function framesForSeconds(seconds: number): number {
  return Math.max(1, Math.round(seconds * FRAMES_PER_SECOND));
}

/** Checks settings before anything is sent to the worker; returns a readable problem or null. */
export function validateSettings(settings: GenerationSettings): string | null {
  if (settings.prompt.trim() === '') return 'Write a prompt first.';
  const prompt = promptProblem(settings.prompt);
  if (prompt) return prompt;
  for (const key of Object.keys(SETTING_LIMITS) as NumericOption[]) {
    const problem = optionProblem(key, settings[key]);
    if (problem) return problem;
  }
  return null;
}

export function toGenerateRequest(settings: GenerationSettings, depths?: readonly number[]): GenerateRequest {
  return {
    prompt: settings.prompt,
    frames: framesForSeconds(settings.seconds),
    seed: settings.seed,
    topK: settings.topK,
    temperature: settings.temperature,
    guidanceScale: settings.guidanceScale,
    depths: depths && uniqueDepths(depths),
  };
}
