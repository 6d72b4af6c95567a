import { describe, expect, it } from 'vitest';
import type { GenerateProgressEvent, GenerateResponse, ModelInfo } from '../../../../src/lab/workerApi';
import type { SpeedSample } from '../../../../src/lab/convertApi';
import { MIN_TIMED_STEPS, startSpeedRecorder } from '../../../../src/ui/features/models/speedRecorder';
import { createLabStore, type EngineBridge } from '../../../../src/ui/state/labStore';

const INFO: ModelInfo = { name: 'tiny', numLayers: 4, sampleRate: 32000, samplesPerFrame: 640, dtype: 'q8', backend: 'wasm', preference: 'auto', backendDetail: 'WASM' };

/** A lab store on an engine whose generation the test drives step by step, and a clock the test sets. */
function harness() {
  let progress!: (event: GenerateProgressEvent) => void;
  let finish!: (response: GenerateResponse | Error) => void;
  let jobId = 0;
  const bridge: EngineBridge = {
    load: async () => INFO,
    generate: (_request, onProgress) => {
      progress = onProgress!;
      const result = new Promise<GenerateResponse>((resolve, reject) => (finish = (r) => (r instanceof Error ? reject(r) : resolve(r))));
      return { jobId: ++jobId, result, cancel: () => finish(Object.assign(new Error('cancelled'), { name: 'AbortError' })) };
    },
  };
  const lab = createLabStore(bridge);
  const clock = { ms: 0 };
  const recorded: { id: string; sample: SpeedSample }[] = [];
  startSpeedRecorder(lab, (id, sample) => recorded.push({ id, sample }), () => clock.ms);
  const response: GenerateResponse = { frames: 50, sampleRate: 32000, clips: [{ depth: 4, samples: new Float32Array(32000), codes: new Int32Array(200) }], elapsedMs: 9999, backend: 'wasm' };
  /** Runs one generation: `steps` progress reports `msPerStep` apart, then the result (or a cancel). */
  async function generate(steps: number, msPerStep: number, outcome: 'done' | 'cancel' = 'done') {
    const running = lab.getState().generate();
    for (let step = 1; step <= steps; step++) {
      clock.ms += msPerStep;
      progress({ step, steps });
    }
    if (outcome === 'done') finish(response);
    else lab.getState().cancel();
    await running;
  }
  return { lab, recorded, generate };
}

describe('speed recorder', () => {
  it('records decoder steps/s of a Generate run on a stored bundle, timed between the first and last step', async () => {
    const { lab, recorded, generate } = harness();
    await lab.getState().loadModel('stored:hf-facebook--musicgen-small-main-q8', 'wasm');
    await generate(53, 100); // 52 timed steps in 5.2 s
    expect(recorded).toEqual([{ id: 'hf-facebook--musicgen-small-main-q8', sample: { backend: 'wasm', stepsPerSecond: expect.closeTo(10, 9), measuredAt: expect.any(Number) } }]);
    await generate(53, 50);
    expect(recorded.map((r) => r.sample.stepsPerSecond)).toEqual([expect.closeTo(10, 9), expect.closeTo(20, 9)]);
  });

  it('records nothing for a cancelled run, a folder URL, or too few steps to time', async () => {
    const { lab, recorded, generate } = harness();
    await lab.getState().loadModel('stored:local-tiny-fp32', 'wasm');
    await generate(30, 100, 'cancel');
    await generate(MIN_TIMED_STEPS, 100); // one step short of MIN_TIMED_STEPS timed steps
    await lab.getState().loadModel('http://lab/models/tiny/', 'wasm');
    await generate(53, 100);
    expect(recorded).toEqual([]);
  });
});
