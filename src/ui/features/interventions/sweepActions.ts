/**
 * The Interventions sweep: every (method, layer, module) intervention per prompt in the worker,
 * the classifier over the clips, the study's metrics (and recognisability), saved per concept
 * pair; the saved sweep of a pair, and a cell's A/B pair.
 */
import { conceptPrompts, firstRelevantLabel } from '../../../analysis/concepts/concept';
import { conceptById } from '../concepts/conceptsSlice';
import { busy, chosenConcepts, modelReady, runRecord, showAB, type ActionContext } from './actionContext';
import { clipFromSamples } from './clipAudio';
import type { InterventionsState } from './interventionsState';
import { messageOf } from '../../../errorMessage';
import { Stopped } from './jobRunner';
import { measureRecognisability } from './recognisability';
import { isCurrentRecord, pairIdOf, type StoredSweep } from './resultsDatabase';
import { MODULE_NAMES, sweepTable, type PromptSweepLogits } from './sweepMetrics';

export type SweepActions = Pick<InterventionsState, 'runSweep' | 'loadStoredSweep' | 'selectCell'>;

export function sweepActions(ctx: ActionContext): SweepActions {
  const { deps, get, set, jobs } = ctx;
  const { engine, lab, results } = deps;
  return {
    async runSweep() {
      if (busy(ctx) || !modelReady(ctx)) return;
      const pair = chosenConcepts(ctx);
      if (!pair) return;
      const { meansStatus, sweepPromptCount, promptCount, branches, frameWindow } = get();
      const from = meansStatus[pair.from.id];
      const to = meansStatus[pair.to.id];
      if (from?.state !== 'done' || to?.state !== 'done') {
        set({ error: `Compute the means of ${pair.from.name} and ${pair.to.name} first.` });
        return;
      }
      if (!Number.isInteger(sweepPromptCount) || sweepPromptCount < 1 || sweepPromptCount > promptCount) {
        set({ error: `Prompts to sweep must be a whole number in 1–${promptCount}.` });
        return;
      }
      const prompts = conceptPrompts(pair.from, sweepPromptCount);
      const model = lab.getState().model;
      const modelName = model.status === 'ready' ? model.info.name : '';
      const numLayers = model.status === 'ready' ? model.info.numLayers : 0;
      try {
        await jobs.ensureClassifier();
        const swept: PromptSweepLogits[] = [];
        let firstClips: Pick<StoredSweep, 'run' | 'sampleRate' | 'baseline' | 'cells'> | null = null;
        for (const [index, prompt] of prompts.entries()) {
          const tag = prompts.length > 1 ? ` (prompt ${index + 1}/${prompts.length})` : '';
          const response = await jobs.run('sweep', `Sweep${tag}`, (onProgress) =>
            engine.sweep({ prompt, fromKeyId: from.keyId, toKeyId: to.keyId, branches, ...(frameWindow ? { frameWindow } : {}) }, onProgress),
          );
          const classified = await jobs.classify(`Classifying the sweep${tag}`, [response.baseline.samples, ...response.cells.map((cell) => cell.samples)]);
          swept.push({ baseline: classified[0].logits, cells: response.cells.map((cell, i) => ({ method: cell.method, layer: cell.layer, module: cell.module, logits: classified[i + 1].logits })) });
          firstClips ??= {
            run: runRecord(ctx, prompt, response.frames, response.sampleRate, response.elapsedMs),
            sampleRate: response.sampleRate,
            baseline: response.baseline.samples,
            cells: response.cells.map(({ method, layer, module, samples }) => ({ method, layer, module, samples })),
          };
        }
        const table = sweepTable(swept, {
          fromId: pair.from.id,
          toId: pair.to.id,
          fromLabel: firstRelevantLabel(pair.from),
          toLabel: firstRelevantLabel(pair.to),
          numLayers,
          promptTexts: prompts,
        });
        const lens = get().measureLens ? await measureRecognisability(ctx, [pair.from, pair.to], prompts.length, numLayers) : null;
        const record: StoredSweep = { pairId: pairIdOf(pair.from.id, pair.to.id), table, ...firstClips!, lens, modelName, savedAt: new Date().toISOString() };
        set({ sweep: record, selectedCell: null, info: `Sweep done: ${table.rows.length} interventions on ${prompts.length} prompt(s). Click a cell to hear it next to the original.` });
        showAB(ctx, null);
        try {
          await results.put(record);
        } catch (error) {
          set({ error: `The sweep is shown but could not be saved for the next visit: ${messageOf(error)}` });
        }
      } catch (error) {
        if (!(error instanceof Stopped)) set({ error: `Sweep failed: ${messageOf(error)}` });
      }
    },

    async loadStoredSweep() {
      const { fromId, toId } = get();
      try {
        const stored = await results.get(pairIdOf(fromId, toId));
        const record = isCurrentRecord(stored) ? stored : undefined;
        if (get().fromId !== fromId || get().toId !== toId) return;
        if (get().sweep?.pairId !== record?.pairId || !record) {
          showAB(ctx, null);
          set({ sweep: record ?? null, selectedCell: null });
        }
      } catch (error) {
        set({ error: `Could not read saved sweeps: ${messageOf(error)}` });
      }
    },

    selectCell(cell) {
      const { sweep } = get();
      if (!sweep) return;
      const audio = sweep.cells.find((c) => c.method === cell.method && c.layer === cell.layer && c.module === cell.module);
      if (!audio) return;
      const from = conceptById(get(), sweep.table.fromId)?.name ?? sweep.table.fromId;
      const to = conceptById(get(), sweep.table.toId)?.name ?? sweep.table.toId;
      const where = `layer ${cell.layer} ${MODULE_NAMES[cell.module]}`;
      const stem = `${sweep.table.fromId}-to-${sweep.table.toId}-${cell.method}-L${cell.layer}-${cell.module}`;
      set({ selectedCell: cell });
      showAB(ctx, {
        title: `${cell.method} ${from} → ${to} at ${where}`,
        original: clipFromSamples(sweep.baseline, sweep.run, 'original', `${sweep.table.fromId}-original`),
        intervened: clipFromSamples(audio.samples, sweep.run, `${cell.method} at ${where}`, stem),
        autoplay: true,
      });
    },
  };
}
