/** Generation settings of the lab page: defaults of the study, and their conversion to a request. */
import type { GenerateRequest } from '../../lab/workerApi';

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

export const SETTING_LIMITS = {
  seconds: { min: 0.02, max: 30, step: 0.02 }, // one frame .. 30 s (MusicGen's training length)
  seed: { min: 0, max: 2 ** 32 - 1, step: 1 },
  topK: { min: 0, max: 2048, step: 1 }, // 0 = no top-k
  temperature: { min: 0.05, max: 5, step: 0.05 },
  guidanceScale: { min: 0, max: 20, step: 0.5 },
} as const;

type NumericSetting = keyof typeof SETTING_LIMITS;

/** Field labels, shared by the form and the validation messages. */
export const SETTING_LABELS: Record<NumericSetting, string> = {
  seconds: 'Duration (s)',
  seed: 'Seed',
  topK: 'Top-k',
  temperature: 'Temperature',
  guidanceScale: 'Guidance',
};

/** Whole frames for a duration in seconds; at least one. */
export function framesForSeconds(seconds: number): number {
  return Math.max(1, Math.round(seconds * FRAMES_PER_SECOND));
}

/** Checks settings before anything is sent to the worker; returns a readable problem or null. */
export function validateSettings(settings: GenerationSettings): string | null {
  if (settings.prompt.trim() === '') return 'Write a prompt first.';
  for (const key of Object.keys(SETTING_LIMITS) as NumericSetting[]) {
    const value = settings[key];
    const { min, max } = SETTING_LIMITS[key];
    if (Number.isNaN(value)) return `${SETTING_LABELS[key]} needs a number.`;
    if (value < min || value > max) return `${SETTING_LABELS[key]} must be between ${min} and ${max} (got ${value}).`;
  }
  if (!Number.isInteger(settings.seed) || !Number.isInteger(settings.topK)) return 'Seed and top-k must be whole numbers.';
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
    depths,
  };
}
