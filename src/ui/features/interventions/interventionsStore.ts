/**
 * The Interventions feature's zustand store: the concepts slice, the view's choices, and the
 * actions of the modules next to it: means (meansActions.ts), the sweep (sweepActions.ts, with
 * recognisability.ts), the single intervention (singleIntervention.ts), all running their worker
 * jobs through jobRunner.ts. The model and the sampling settings come from the lab store; all
 * heavy work runs in workers. URL sync (urlSync.ts) and persistence (resultsDatabase.ts,
 * startInterventions.ts) stay outside.
 */
import { createStore } from 'zustand/vanilla';
import { createConceptsSlice } from '../concepts/conceptsSlice';
import type { ActionContext } from './actionContext';
import type { InterventionsDeps, InterventionsState, InterventionsStore } from './interventionsState';
import { createJobRunner } from './jobRunner';
import { meansActions } from './meansActions';
import { runIntervention } from './singleIntervention';
import { sweepActions } from './sweepActions';

export type { ABPair, ClassifierBridge, InterventionsDeps, InterventionsEngine, InterventionsJob, InterventionsJobKind, InterventionsState, InterventionsStore, LensBridge, SingleResult } from './interventionsState';
export { jobLine } from './jobRunner';

export function createInterventionsStore(deps: InterventionsDeps): InterventionsStore {
  return createStore<InterventionsState>()((set, get, api) => {
    const ctx: ActionContext = { deps, get, set, jobs: createJobRunner(get, set, deps.classifier, (info) => deps.lab.getState().adoptBackendChange(info)) };
    return {
      ...createConceptsSlice<InterventionsState>(deps.conceptStorage)(set, get, api),
      meansStatus: {},
      job: null,
      error: null,
      info: null,
      sweepPromptCount: 1,
      branches: 'cond',
      frameWindow: null,
      classifierSource: deps.defaultClassifierSource(null),
      measureLens: true,
      sweep: null,
      selectedCell: null,
      ab: null,
      method: 'replace',
      sites: [],
      alpha: 1,
      single: null,

      ...meansActions(ctx),
      ...sweepActions(ctx),
      runIntervention: runIntervention(ctx),

      cancel() {
        get().job?.cancel();
      },

      setSweepPromptCount: (sweepPromptCount) => set({ sweepPromptCount }),
      setBranches: (branches) => set({ branches }),
      setFrameWindow: (frameWindow) => set({ frameWindow }),
      setClassifierSource: (classifierSource) => set({ classifierSource }),
      setMeasureLens: (measureLens) => set({ measureLens }),
      setMethod: (method) => set({ method }),
      toggleSite(site) {
        const { sites } = get();
        const has = sites.some((s) => s.layer === site.layer && s.module === site.module);
        set({ sites: has ? sites.filter((s) => !(s.layer === site.layer && s.module === site.module)) : [...sites, site].sort((a, b) => a.layer - b.layer || a.module.localeCompare(b.module)) });
      },
      setSites: (sites) => set({ sites }),
      setAlpha: (alpha) => set({ alpha }),
      dismiss: () => set({ error: null, info: null }),
    };
  });
}
