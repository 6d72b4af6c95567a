/** One intervention (replace, adjust or steer at chosen sites), classified, as an A/B pair with its effect and precision. */
import { conceptPrompts, firstRelevantLabel } from '../../../analysis/concepts/concept';
import { effect, precision } from '../../../analysis/metrics/kernel';
import { releaseClips } from '../../state/clips';
import { busy, chosenConcepts, modelReady, runRecord, showAB, type ActionContext } from './actionContext';
import { clipFromSamples } from './clipAudio';
import type { InterventionsState, SingleResult } from './interventionsState';
import { messageOf } from '../../../errorMessage';
import { Stopped } from './jobRunner';

export function runIntervention(ctx: ActionContext): InterventionsState['runIntervention'] {
  const { deps, get, set, jobs } = ctx;
  return async () => {
    if (busy(ctx) || !modelReady(ctx)) return;
    const pair = chosenConcepts(ctx);
    if (!pair) return;
    const { meansStatus, method, sites, branches, frameWindow, alpha } = get();
    const from = meansStatus[pair.from.id];
    const to = meansStatus[pair.to.id];
    if (to?.state !== 'done' || (method !== 'replace' && from?.state !== 'done')) {
      set({ error: `Compute the means of ${method === 'replace' ? pair.to.name : `${pair.from.name} and ${pair.to.name}`} first.` });
      return;
    }
    if (sites.length === 0) {
      set({ error: 'Choose at least one site (layer × module) to intervene on.' });
      return;
    }
    if (method === 'steer' && !Number.isFinite(alpha)) {
      set({ error: 'α must be a number.' });
      return;
    }
    const prompt = conceptPrompts(pair.from, 1)[0];
    try {
      await jobs.ensureClassifier();
      const response = await jobs.run('intervene', `${method[0].toUpperCase()}${method.slice(1)}`, (onProgress) =>
        deps.engine.intervene(
          { prompt, method, sites, branches, ...(frameWindow ? { frameWindow } : {}), ...(method === 'steer' ? { alpha } : {}), fromKeyId: method === 'replace' ? undefined : from!.keyId, toKeyId: to.keyId },
          onProgress,
        ),
      );
      const [before, after] = (await jobs.classify('Classifying', [response.original.samples, response.intervened.samples])).map((clip) => clip.probabilities);
      const siteText = sites.map((s) => `${s.layer}.${s.module}`).join(', ');
      const previous = get().single;
      if (previous) releaseClips([previous.original, previous.intervened]);
      const run = runRecord(ctx, prompt, response.frames, response.sampleRate, response.elapsedMs);
      const single: SingleResult = {
        title: `${method}${method === 'steer' ? ` α=${alpha}` : ''} at ${siteText}`,
        original: clipFromSamples(response.original.samples, run, 'original', `${pair.from.id}-original`),
        intervened: clipFromSamples(response.intervened.samples, run, `${method} ${pair.from.name} → ${pair.to.name}`, `${pair.from.id}-to-${pair.to.id}-${method}`),
        autoplay: false,
        effect: effect(before, after, firstRelevantLabel(pair.from), firstRelevantLabel(pair.to)),
        precision: precision(before, after),
      };
      showAB(ctx, single);
      set({ single, selectedCell: null });
    } catch (error) {
      if (!(error instanceof Stopped)) set({ error: `Intervention failed: ${messageOf(error)}` });
    }
  };
}
