/**
 * What the Interventions actions share: the store's get/set, the workers and the job runner, and
 * the checks and helpers every action uses (the chosen concepts, the model, a means request, a
 * clip's run record, the A/B pair on show).
 */
import { conceptPrompts, type Concept } from '../../../analysis/concepts/concept';
import type { MeansRequest } from '../../../lab/interventionsApi';
import { releaseClips } from '../../state/clips';
import { framesForSeconds } from '../../state/settings';
import { newRunId, type RunRecord } from '../history/runRecord';
import { conceptById, conceptChoiceProblem } from '../concepts/conceptsSlice';
import type { ABPair, InterventionsDeps, InterventionsState } from './interventionsState';
import type { JobRunner } from './jobRunner';

export interface ActionContext {
  deps: InterventionsDeps;
  get(): InterventionsState;
  set(patch: Partial<InterventionsState>): void;
  jobs: JobRunner;
}

/** The chosen pair, or null with the problem shown. */
export function chosenConcepts({ get, set }: ActionContext): { from: Concept; to: Concept } | null {
  const state = get();
  const problem = conceptChoiceProblem(state);
  if (problem) {
    set({ error: problem });
    return null;
  }
  return { from: conceptById(state, state.fromId)!, to: conceptById(state, state.toId)! };
}

/** A concept's means under the lab's current settings. */
export function meansRequest({ deps, get }: ActionContext, concept: Concept): MeansRequest {
  const { settings } = deps.lab.getState();
  const { promptCount, seconds } = get();
  return {
    prompts: conceptPrompts(concept, promptCount),
    frames: framesForSeconds(seconds),
    seed: settings.seed,
    topK: settings.topK,
    temperature: settings.temperature,
    guidanceScale: settings.guidanceScale,
  };
}

/** Whether the model is loaded (if not, the message is shown). */
export function modelReady({ deps, set }: ActionContext): boolean {
  if (deps.lab.getState().model.status === 'ready') return true;
  set({ error: 'The model is not loaded yet.' });
  return false;
}

/** Whether a job runs (one at a time). */
export function busy({ get }: ActionContext): boolean {
  return get().job !== null;
}

/** How a clip of this feature was made, in the history's terms (shown by the players). */
export function runRecord({ deps, get }: ActionContext, prompt: string, frames: number, sampleRate: number, elapsedMs: number): RunRecord {
  const { model, settings } = deps.lab.getState();
  if (model.status !== 'ready') throw new Error('the model was unloaded during the run');
  const { info } = model;
  return {
    id: newRunId(Date.now()),
    createdAt: Date.now(),
    kind: 'generate',
    settings: { ...settings, prompt, seconds: get().seconds },
    depths: [info.numLayers],
    model: { name: info.name, numLayers: info.numLayers, bundleUrl: model.bundleUrl, dtype: info.dtype },
    backend: info.backend,
    backendDetail: info.backendDetail,
    sampleRate,
    frames,
    elapsedMs,
  };
}

/** Shows an A/B pair, freeing the previous one's audio (the single intervention keeps its own). */
export function showAB({ get, set }: ActionContext, pair: ABPair | null): void {
  const previous = get().ab;
  if (previous && previous !== get().single) releaseClips([previous.original, previous.intervened]);
  set({ ab: pair });
}
