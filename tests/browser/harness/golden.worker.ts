/**
 * Runs the golden check (src/golden/goldenCheck.ts) inside a Web Worker, where the lab's engine
 * runs in the app, on the backend the page asks for.
 */
import * as Comlink from 'comlink';
import { runGoldenCheck, type GoldenFixture, type GoldenReport } from '../../../src/golden/goldenCheck';
import { createRuntime } from '../../../src/runtime/ort';

export interface GoldenWorkerApi {
  run(fixture: GoldenFixture, backend: 'wasm' | 'webgpu'): Promise<GoldenReport & { runtime: string; crossOriginIsolated: boolean }>;
}

const api: GoldenWorkerApi = {
  async run(fixture, backend) {
    const runtime = await createRuntime(backend);
    const report = await runGoldenCheck(fixture, runtime);
    return { ...report, runtime: runtime.description, crossOriginIsolated: self.crossOriginIsolated };
  },
};

Comlink.expose(api);
