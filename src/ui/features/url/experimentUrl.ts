/**
 * The experiment as a URL (pure: strings in, state and messages out). A link carries the backend,
 * the prompt, every generation setting, the view, the DecoderLens depths and the selected clip, so
 * it reproduces the experiment (generation is seeded). Parameters owned by others (`model`, `hub`)
 * and unknown ones pass through untouched. Bad values fall back to defaults with a message each.
 */
import { parseBackendPreference } from '../../../lab/backendChoice';
import type { BackendPreference } from '../../../lab/workerApi';
import { MAX_PROMPT_CHARS } from '../../../options/generationOptions';
import { DEFAULT_SETTINGS, SETTING_LABELS, SETTING_LIMITS, type GenerationSettings } from '../../state/settings';

export const LAB_VIEWS = ['generate', 'lens', 'interventions', 'models'] as const;
export type LabView = (typeof LAB_VIEWS)[number];

/** A clip of a stored run: the run's id and the depth (null: the run's full-model clip). */
export interface ClipRef {
  runId: string;
  depth: number | null;
}

export interface ExperimentState {
  backend: BackendPreference;
  settings: GenerationSettings;
  view: LabView;
  /** DecoderLens depths, ascending; null = every depth of the loaded model. */
  lensDepths: number[] | null;
  clip: ClipRef | null;
}

export const DEFAULT_EXPERIMENT: ExperimentState = {
  backend: 'auto',
  settings: DEFAULT_SETTINGS,
  view: 'generate',
  lensDepths: null,
  clip: null,
};

type NumericSetting = keyof typeof SETTING_LIMITS;

/** URL parameter names; short and stable, since links outlive code. */
const SETTING_PARAMS: Record<NumericSetting, string> = {
  seconds: 'seconds',
  seed: 'seed',
  topK: 'topk',
  temperature: 'temperature',
  guidanceScale: 'guidance',
};
const INTEGER_SETTINGS: ReadonlySet<NumericSetting> = new Set(['seed', 'topK']);

export const EXPERIMENT_PARAMS = ['backend', 'prompt', ...Object.values(SETTING_PARAMS), 'view', 'depths', 'clip'] as const;
/** Parameters whose change is typing, not a step worth a history entry. */
const TYPED_PARAMS: ReadonlySet<string> = new Set(['prompt', ...Object.values(SETTING_PARAMS)]);

const RUN_ID = /^[a-z0-9-]{1,64}$/;

export interface DecodedExperiment {
  state: ExperimentState;
  /** One readable sentence per value that was ignored. */
  problems: string[];
}

function decodeSetting(key: NumericSetting, raw: string, problems: string[]): number {
  const fallback = DEFAULT_SETTINGS[key];
  const { min, max } = SETTING_LIMITS[key];
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  const label = SETTING_LABELS[key];
  if (!Number.isFinite(value)) problems.push(`${label} "${raw}" in the link is not a number: using ${fallback}.`);
  else if (value < min || value > max) problems.push(`${label} ${value} in the link is outside ${min}–${max}: using ${fallback}.`);
  else if (INTEGER_SETTINGS.has(key) && !Number.isInteger(value)) problems.push(`${label} ${value} in the link is not a whole number: using ${fallback}.`);
  else return value;
  return fallback;
}

function decodeDepths(raw: string, problems: string[]): number[] | null {
  if (raw === 'all' || raw === '') return null;
  const parts = raw.split(',');
  const depths = parts.map(Number);
  if (depths.some((depth) => !Number.isInteger(depth) || depth < 1)) {
    problems.push(`DecoderLens depths "${raw}" in the link are not whole numbers from 1 up: using every depth.`);
    return null;
  }
  return [...new Set(depths)].sort((a, b) => a - b);
}

function decodeClip(raw: string, problems: string[]): ClipRef | null {
  const [runId, depthText, ...rest] = raw.split('@');
  const depth = depthText === undefined ? null : Number(depthText);
  if (rest.length > 0 || !RUN_ID.test(runId) || (depth !== null && (!Number.isInteger(depth) || depth < 1))) {
    problems.push(`Clip "${raw}" in the link is not a run id (e.g. r-abc123 or r-abc123@2): no clip selected.`);
    return null;
  }
  return { runId, depth };
}

/** Reads an experiment from a query string (`location.search`). */
export function decodeExperiment(search: string): DecodedExperiment {
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  const { preference: backend, problem: backendProblem } = parseBackendPreference(params.get('backend'));
  if (backendProblem) problems.push(backendProblem);

  const settings: GenerationSettings = { ...DEFAULT_SETTINGS };
  const prompt = params.get('prompt');
  if (prompt !== null) {
    if (prompt.trim() === '') problems.push('The prompt in the link is empty: using the default prompt.');
    else if (prompt.length > MAX_PROMPT_CHARS) problems.push(`The prompt in the link is ${prompt.length} characters long (at most ${MAX_PROMPT_CHARS}): using the default prompt.`);
    else settings.prompt = prompt;
  }
  for (const key of Object.keys(SETTING_PARAMS) as NumericSetting[]) {
    const raw = params.get(SETTING_PARAMS[key]);
    if (raw !== null) settings[key] = decodeSetting(key, raw, problems);
  }

  const viewParam = params.get('view');
  const view = LAB_VIEWS.find((known) => known === viewParam) ?? 'generate';
  if (viewParam !== null && view !== viewParam) problems.push(`Unknown view "${viewParam}" in the link: showing Generate (choices: ${LAB_VIEWS.join(', ')}).`);

  const depthsParam = params.get('depths');
  const clipParam = params.get('clip');
  return {
    state: {
      backend,
      settings,
      view,
      lensDepths: depthsParam === null ? null : decodeDepths(depthsParam, problems),
      clip: clipParam === null || clipParam === '' ? null : decodeClip(clipParam, problems),
    },
    problems,
  };
}

function experimentParams(state: ExperimentState): [string, string][] {
  const { settings } = state;
  return [
    ['backend', state.backend],
    ['prompt', settings.prompt],
    ...(Object.keys(SETTING_PARAMS) as NumericSetting[]).map((key): [string, string] => [SETTING_PARAMS[key], String(settings[key])]),
    ['view', state.view],
    ['depths', state.lensDepths === null ? 'all' : state.lensDepths.join(',')],
    ...(state.clip ? [['clip', state.clip.depth === null ? state.clip.runId : `${state.clip.runId}@${state.clip.depth}`] as [string, string]] : []),
  ];
}

/**
 * Writes an experiment into a query string, keeping every other parameter of `currentSearch`
 * (and its position). Settings are written even at their defaults: a link keeps its meaning
 * if the defaults ever change.
 */
export function encodeExperiment(state: ExperimentState, currentSearch: string): string {
  const params = new URLSearchParams(currentSearch);
  params.delete('clip');
  for (const [name, value] of experimentParams(state)) params.set(name, value);
  return `?${params.toString()}`;
}

/**
 * How a state change reaches the browser history: typing (prompt, numbers) replaces the current
 * entry; a committed change (view, depths, clip, backend) pushes one, so Back undoes it.
 */
export function historyActionFor(previous: ExperimentState, next: ExperimentState): 'none' | 'replace' | 'push' {
  const before = new Map(experimentParams(previous));
  const after = new Map(experimentParams(next));
  const changed = EXPERIMENT_PARAMS.filter((name) => before.get(name) !== after.get(name));
  if (changed.length === 0) return 'none';
  return changed.every((name) => TYPED_PARAMS.has(name)) ? 'replace' : 'push';
}
