/** The Interventions means: status under the current settings, compute (resumable), export, import. */
import { conceptById, conceptChoiceProblem } from '../concepts/conceptsSlice';
import { busy, chosenConcepts, meansRequest, modelReady, type ActionContext } from './actionContext';
import type { InterventionsState } from './interventionsState';
import { messageOf } from '../../../errorMessage';
import { Stopped } from './jobRunner';

export type MeansActions = Pick<InterventionsState, 'refreshMeans' | 'computeMeans' | 'exportMeans' | 'importMeans'>;

export function meansActions(ctx: ActionContext): MeansActions {
  const { deps, get, set } = ctx;
  const { engine, lab } = deps;
  return {
    async refreshMeans() {
      const state = get();
      if (lab.getState().model.status !== 'ready' || conceptChoiceProblem(state)) return;
      const pair = [conceptById(state, state.fromId)!, conceptById(state, state.toId)!];
      set({ meansStatus: Object.fromEntries(pair.map((concept) => [concept.id, null])) });
      try {
        const statuses = await Promise.all(pair.map((concept) => engine.meansStatus(meansRequest(ctx, concept))));
        // Apply only if the choice did not change meanwhile.
        if (get().fromId === pair[0].id && get().toId === pair[1].id) set({ meansStatus: Object.fromEntries(pair.map((concept, i) => [concept.id, statuses[i]])) });
      } catch (error) {
        set({ error: `Could not read the stored means: ${messageOf(error)}` });
      }
    },

    async computeMeans() {
      if (busy(ctx) || !modelReady(ctx)) return;
      const pair = chosenConcepts(ctx);
      if (!pair) return;
      try {
        for (const concept of [pair.from, pair.to]) {
          const status = await ctx.jobs.run('means', `${concept.name} means`, (onProgress) => engine.computeMeans(meansRequest(ctx, concept), onProgress));
          set({ meansStatus: { ...get().meansStatus, [concept.id]: status } });
        }
        set({ info: `Means of ${pair.from.name} and ${pair.to.name} are ready.` });
      } catch (error) {
        if (!(error instanceof Stopped)) set({ error: messageOf(error) });
      }
      // A cancelled run kept its finished batches: show how many.
      await get().refreshMeans();
      const kept = [pair.from, pair.to].map((c) => get().meansStatus[c.id]).find((s) => s?.state === 'partial');
      if (kept && get().info?.endsWith('cancelled.')) set({ info: `${get().info} ${kept.count} of ${kept.total} prompts are kept; Compute resumes from there.` });
    },

    async exportMeans(conceptId) {
      const status = get().meansStatus[conceptId];
      if (!status || status.state === 'none') {
        set({ error: 'Compute these means before exporting them.' });
        return null;
      }
      try {
        const bytes = await engine.exportMeans(status.keyId);
        const partial = status.state === 'partial' ? `-partial-${status.count}` : '';
        return { bytes, fileName: `${conceptId}-means-${status.total}p-${get().seconds}s-${status.keyId}${partial}.safetensors` };
      } catch (error) {
        set({ error: `Export failed: ${messageOf(error)}` });
        return null;
      }
    },

    async importMeans(file) {
      if (!modelReady(ctx)) return;
      try {
        const imported = await engine.importMeans(new Uint8Array(await file.arrayBuffer()), file.name);
        await get().refreshMeans();
        const matches = Object.entries(get().meansStatus).find(([, status]) => status?.keyId === imported.keyId);
        const what = `${imported.count} of ${imported.total} prompts, ${imported.settings.frames} frames, seed ${imported.settings.seed}`;
        set({
          error: null,
          info: matches
            ? `Imported ${file.name} (${what}): the means of "${conceptById(get(), matches[0])?.name}".`
            : `Imported ${file.name} (${what}). It matches neither chosen concept with these settings; choose the concept, prompt count and seconds it was made with.`,
        });
      } catch (error) {
        set({ error: `Cannot import ${file.name}: ${messageOf(error).replace(`${file.name}: `, '')}` });
      }
    },
  };
}
