/**
 * The Interventions feature's state: what the store holds and offers, the workers it talks to, and
 * its running job. The store (interventionsStore.ts) puts together the actions of the modules
 * next to it (means, sweep, single intervention) over this state.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { InterventionMethod, Site } from '../../../analysis/interventions/kernel';
import type { RunProgress } from '../../../analysis/means/progress';
import type { ClassifierWorkerClient } from '../../../lab/classifierApi';
import type { InterventionsClient, MeansStatus } from '../../../lab/interventionsApi';
import type { EngineWorkerClient } from '../../../lab/workerApi';
import type { Clip } from '../../state/clips';
import type { JobControls } from '../../state/jobState';
import type { LabStore } from '../../state/labStore';
import type { ConceptsSlice, ConceptStorage } from '../concepts/conceptsSlice';
import type { StoredSweep, SweepResultsDatabase } from './resultsDatabase';
import type { CellKey } from './sweepMetrics';

export type InterventionsEngine = Pick<InterventionsClient, 'meansStatus' | 'computeMeans' | 'exportMeans' | 'importMeans' | 'sweep' | 'intervene'>;
export type ClassifierBridge = Pick<ClassifierWorkerClient, 'load' | 'classify'>;
/** DecoderLens generation (every depth in one batch) for the recognisability curve. */
export type LensBridge = Pick<EngineWorkerClient, 'generate'>;

export type InterventionsJobKind = 'means' | 'classifier' | 'sweep' | 'classify' | 'intervene' | 'lens';

export interface InterventionsJob extends JobControls {
  kind: InterventionsJobKind;
  /** What runs, e.g. "guitar means" or "sweep, prompt 1/2". */
  title: string;
  progress: RunProgress | null;
}

export interface ABPair {
  title: string;
  original: Clip;
  intervened: Clip;
  /** Start the intervened clip as soon as it can play (a cell click asked to hear it). */
  autoplay: boolean;
}

export interface SingleResult extends ABPair {
  effect: number;
  precision: number;
}

export interface InterventionsState extends ConceptsSlice {
  /** Means of the chosen concepts under the current settings, by concept id (null: asking the worker). */
  meansStatus: Record<string, MeansStatus | null>;
  job: InterventionsJob | null;
  error: string | null;
  info: string | null;
  /** Prompts of the original concept to sweep (its first k); 1 gives one prompt, as a quick look. */
  sweepPromptCount: number;
  branches: 'cond' | 'both';
  /** EnCodec frames [start, end) to intervene on; null = the whole clip. */
  frameWindow: [number, number] | null;
  classifierSource: string;
  /** Also measure DecoderLens recognisability (NDCG per depth) of both concepts with the sweep. */
  measureLens: boolean;
  /** The sweep shown: the last one of the current concept pair (from IndexedDB after a reload). */
  sweep: StoredSweep | null;
  selectedCell: CellKey | null;
  /** The A/B pair playing (a sweep cell or the single intervention). */
  ab: ABPair | null;
  method: InterventionMethod;
  sites: Site[];
  alpha: number;
  single: SingleResult | null;

  refreshMeans(): Promise<void>;
  computeMeans(): Promise<void>;
  exportMeans(conceptId: string): Promise<{ bytes: Uint8Array; fileName: string } | null>;
  importMeans(file: { name: string; arrayBuffer(): Promise<ArrayBuffer> }): Promise<void>;
  runSweep(): Promise<void>;
  runIntervention(): Promise<void>;
  loadStoredSweep(): Promise<void>;
  selectCell(cell: CellKey): void;
  cancel(): void;
  setSweepPromptCount(count: number): void;
  setBranches(branches: 'cond' | 'both'): void;
  setFrameWindow(window: [number, number] | null): void;
  setClassifierSource(source: string): void;
  setMeasureLens(measure: boolean): void;
  setMethod(method: InterventionMethod): void;
  toggleSite(site: Site): void;
  setSites(sites: Site[]): void;
  setAlpha(alpha: number): void;
  dismiss(): void;
}

export type InterventionsStore = StoreApi<InterventionsState>;

export interface InterventionsDeps {
  engine: InterventionsEngine;
  lensEngine: LensBridge;
  classifier: ClassifierBridge;
  lab: LabStore;
  results: SweepResultsDatabase;
  conceptStorage: ConceptStorage | null;
  /** The classifier for a model: the bundled tiny one for the demo model, AST otherwise. */
  defaultClassifierSource(modelName: string | null): string;
}
