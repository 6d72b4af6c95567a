/** A convert bridge for the Models store tests whose installs finish (or fail) when the test says so. */
import type { InstallPlan, InstallProgress, InstallRequest, SpeedSample, StoredModel } from '../../../../src/lab/convertApi';
import { createModelsStore, type ConvertBridge } from '../../../../src/ui/features/models/modelsStore';

export const PLAN: InstallPlan = {
  id: 'hf-facebook--musicgen-small-main-fp32',
  label: 'facebook/musicgen-small',
  kind: 'checkpoint',
  numLayers: 24,
  hiddenSize: 1024,
  dtype: 'fp32',
  dtypeReason: 'fp32 weights',
  autoDtype: 'fp32',
  bundleBytesByDtype: { fp32: 2.2e9, fp16: 1.4e9, q8: 1.0e9, q4: 0.8e9 },
  downloadBytes: 2.2e9,
  resumedBytes: 0,
  bundleBytes: 2.2e9,
  neededBytes: 4.4e9,
  storage: { usage: 0, quota: 1e10 },
};
export const STORED: StoredModel = { id: PLAN.id, name: PLAN.label, bytes: 2.2e9, complete: true, dtype: 'fp32', numLayers: 24 };

/** A convert bridge whose install finishes (or fails) when the test says so. */
export function fakeBridge(options: { stored?: string } = {}) {
  const calls: string[] = [];
  const speeds: { id: string; sample: SpeedSample }[] = [];
  let finish!: (result: StoredModel | Error) => void;
  let progress!: (p: InstallProgress) => void;
  const bridge: ConvertBridge = {
    plan: async (request: InstallRequest) => (calls.push(`plan ${request.source.kind} ${request.dtype}`), PLAN),
    install: (_request, onProgress) => {
      calls.push('install');
      progress = onProgress!;
      const result = new Promise<StoredModel>((resolve, reject) => (finish = (r) => (r instanceof Error ? reject(r) : resolve(r))));
      return { jobId: 1, result, cancel: () => finish(Object.assign(new Error('cancelled'), { name: 'AbortError' })) };
    },
    list: async () => (calls.push('list'), options.stored ? [STORED] : []),
    remove: async (id) => void calls.push(`remove ${id}`),
    findStored: async (_source, dtype) => (calls.push(`findStored ${dtype}`), options.stored),
    estimate: async () => ({ usage: 1, quota: 2 }),
    recordSpeed: async (id, sample) => void speeds.push({ id, sample }),
  };
  return { bridge, calls, speeds, finish: (r: StoredModel | Error) => finish(r), progress: (p: InstallProgress) => progress(p) };
}

export function store(bridge: ConvertBridge, loaded: string[]) {
  return createModelsStore({
    convert: bridge,
    loadBundle: async (url) => void loaded.push(url),
    requestPersistence: async () => true,
    showPanel: () => undefined,
    endpoint: 'https://huggingface.co',
    demoBundleUrl: 'http://lab/models/tiny/',
  });
}

