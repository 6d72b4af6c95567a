import { describe, expect, it } from 'vitest';
import { folderLabel } from '../../../../src/ui/features/models/modelsStore';
import { fakeBridge, PLAN, STORED, store } from './fakeConvertBridge';

describe('models store', () => {
  it('plans a hub repo, installs with progress, then loads the stored bundle', async () => {
    const fake = fakeBridge();
    const loaded: string[] = [];
    const models = store(fake.bridge, loaded);
    await models.getState().planHub();
    expect(models.getState().plan).toMatchObject({ status: 'ready', plan: PLAN });
    const installing = models.getState().confirmInstall();
    await Promise.resolve();
    await Promise.resolve();
    expect(models.getState().persisted).toBe(true);
    fake.progress({ phase: 'download', label: 'x', done: 5, total: 10, download: { bytes: 5, totalBytes: 10, bytesPerSecond: 1 } });
    expect(models.getState().install?.progress?.done).toBe(5);
    fake.finish(STORED);
    await installing;
    expect(models.getState().install).toBeNull();
    expect(loaded).toEqual([`stored:${STORED.id}`]);
    expect(models.getState().active).toBe(STORED.id);
  });

  it('reports a cancel as a notice and a failure as an error, keeping the page usable', async () => {
    const fake = fakeBridge();
    const models = store(fake.bridge, []);
    await models.getState().planHub();
    const first = models.getState().confirmInstall();
    await Promise.resolve();
    await Promise.resolve();
    models.getState().cancelInstall();
    await first;
    expect(models.getState().message).toEqual({ kind: 'info', text: expect.stringMatching(/^Cancelled\. Downloaded ranges are kept/) });
    const second = models.getState().confirmInstall();
    await Promise.resolve();
    await Promise.resolve();
    fake.finish(new Error('Not enough browser storage for this model.'));
    await second;
    expect(models.getState().message).toEqual({ kind: 'error', text: 'Not enough browser storage for this model.' });
  });

  it('shows a bad repository as a plan error without calling the worker', async () => {
    const fake = fakeBridge();
    const models = store(fake.bridge, []);
    models.getState().setHubRepo('facebook/musicgen-melody');
    await models.getState().planHub();
    expect(models.getState().plan).toEqual({ status: 'error', error: expect.stringMatching(/melody-conditioned/) });
    await models.getState().planFiles([]);
    expect(models.getState().plan).toEqual({ status: 'error', error: expect.stringMatching(/^No files were given/) });
    expect(fake.calls).toEqual([]);
  });

  it('names a picked folder from its relative paths', () => {
    const file = new File(['x'], 'config.json');
    Object.defineProperty(file, 'webkitRelativePath', { value: 'musicgen-small/config.json' });
    expect(folderLabel([file])).toBe('musicgen-small');
    expect(folderLabel([new File(['x'], 'a')])).toBe('local files');
  });

  it('plans in the chosen dtype, keeps the sizes of every dtype, and plans again when the choice changes', async () => {
    const fake = fakeBridge();
    const models = store(fake.bridge, []);
    await models.getState().setDtype('q4'); // no plan on screen: nothing to redo
    expect(fake.calls).toEqual([]);
    await models.getState().planHub();
    expect(models.getState().dtypeSizes).toEqual({ label: PLAN.label, bytes: PLAN.bundleBytesByDtype, autoDtype: 'fp32' });
    await models.getState().setDtype('q8');
    expect(fake.calls).toEqual(['plan hub q4', 'plan hub q8']);
  });

  it('follows quick changes: a choice made while a plan is running plans again, and only the latest plan lands', async () => {
    const fake = fakeBridge();
    const answers: ((plan: typeof PLAN) => void)[] = [];
    fake.bridge.plan = (request) => (fake.calls.push(`plan ${request.dtype}`), new Promise((resolve) => answers.push(resolve)));
    const models = store(fake.bridge, []);
    const first = models.getState().planHub();
    const second = models.getState().setDtype('fp16');
    expect(fake.calls).toEqual(['plan auto', 'plan fp16']);
    answers[1]({ ...PLAN, dtype: 'fp16' });
    await second;
    answers[0](PLAN); // the stale answer arrives last
    await first;
    expect(models.getState().plan).toMatchObject({ status: 'ready', plan: { dtype: 'fp16' } });
  });

  it('keeps a measured speed through the bridge, then lists the stored models again', async () => {
    const fake = fakeBridge({ stored: STORED.id });
    const models = store(fake.bridge, []);
    await models.getState().recordSpeed(STORED.id, { backend: 'wasm', stepsPerSecond: 7, measuredAt: 1 });
    expect(fake.speeds).toEqual([{ id: STORED.id, sample: { backend: 'wasm', stepsPerSecond: 7, measuredAt: 1 } }]);
    expect(fake.calls).toEqual(['list']);
    expect(models.getState().stored).toEqual([STORED]);
  });
});
