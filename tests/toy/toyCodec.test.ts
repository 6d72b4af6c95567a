import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioDecoderIO } from '../../src/bundle/graphContract';
import { createRuntime, type Session } from '../../src/runtime/ort';
import { intendedCodes, type ToyScene } from '../../src/toy/intendedCodes';
import { renderReference } from '../../src/toy/referenceSynth';
import { buildToyCodec } from '../../src/toy/toyCodec';

const FRAMES = 60;

async function decode(session: Session, clips: readonly Int32Array[], frames: number): Promise<Float32Array[]> {
  const codes = new BigInt64Array(clips.length * 4 * frames); // [1, b, 4, T]
  clips.forEach((clip, b) => clip.forEach((code, i) => (codes[b * 4 * frames + i] = BigInt(code))));
  const out = await session.run({ [AudioDecoderIO.audioCodes]: { type: 'int64', data: codes, dims: [1, clips.length, 4, frames] } });
  const audio = out[AudioDecoderIO.audioValues];
  expect(audio.dims).toEqual([clips.length, 1, 640 * frames]);
  const data = audio.data as Float32Array;
  return clips.map((_, b) => data.slice(b * 640 * frames, (b + 1) * 640 * frames));
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

function rms(a: Float32Array, from = 0, to = a.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += a[i] * a[i];
  return Math.sqrt(sum / (to - from));
}

describe('toy codec (encodec_decode contract)', () => {
  let session: Session;
  beforeAll(async () => {
    session = await (await createRuntime('node')).createSession('toy codec', buildToyCodec());
  });
  afterAll(async () => {
    await session.release();
  });

  it('is the committed graph, with the contract names', async () => {
    expect(Buffer.from(buildToyCodec()).equals(await readFile('models/toy/encodec_decode.onnx'))).toBe(true);
    expect(session.inputNames).toEqual([AudioDecoderIO.audioCodes]);
    expect(session.outputNames).toEqual([AudioDecoderIO.audioValues]);
  });

  it('plays every scene as its float64 reference does (to 2e-3), batched or alone', async () => {
    const scenes: ToyScene[] = [
      { instrument: 'violin', genre: 'jazz', mood: 'happy', tempo: 'fast' },
      { instrument: 'guitar', genre: 'electronic', mood: 'energetic', tempo: 'slow to medium', phase: 3 },
      { instrument: 'flute', genre: 'classical', mood: 'emotional', noteLengths: [7, 20] },
      {},
    ];
    const clips = scenes.map((scene) => intendedCodes(scene, FRAMES));
    const batched = await decode(session, clips, FRAMES);
    for (const [i, clip] of clips.entries()) {
      expect(maxAbsDiff(batched[i], renderReference(clip, FRAMES)), JSON.stringify(scenes[i])).toBeLessThan(2e-3);
      expect(maxAbsDiff((await decode(session, [clip], FRAMES))[0], batched[i])).toBeLessThan(1e-6);
    }
  });

  it('sounds: bounded, never silent, louder for a louder mood, and each instrument differs from the others', async () => {
    const base = { genre: 'pop', tempo: 'medium' } as const;
    const [soft, loud] = await decode(session, [intendedCodes({ ...base, instrument: 'trumpet', mood: 'emotional' }, FRAMES), intendedCodes({ ...base, instrument: 'trumpet', mood: 'energetic' }, FRAMES)], FRAMES);
    expect(rms(loud)).toBeGreaterThan(1.5 * rms(soft));
    const instruments = ['guitar', 'piano', 'trumpet', 'violin', 'flute'] as const;
    const clips = await decode(session, instruments.map((instrument) => intendedCodes({ instrument, tempo: 'medium' }, FRAMES)), FRAMES);
    for (const clip of clips) {
      expect(Math.max(...clip.map(Math.abs))).toBeLessThanOrEqual(1);
      expect(rms(clip)).toBeGreaterThan(0.05);
    }
    for (let a = 0; a < clips.length; a++) for (let b = a + 1; b < clips.length; b++) expect(rms(clips[a].map((v, i) => v - clips[b][i])), `${instruments[a]} vs ${instruments[b]}`).toBeGreaterThan(0.05);
  });

  it('runs the same on onnxruntime-web WASM (ops the browser backends have)', async () => {
    const wasm = await (await createRuntime('wasm')).createSession('toy codec (wasm)', buildToyCodec());
    const clip = intendedCodes({ instrument: 'violin', genre: 'electronic', mood: 'passionate', tempo: 'medium to fast' }, FRAMES);
    expect(maxAbsDiff((await decode(wasm, [clip], FRAMES))[0], (await decode(session, [clip], FRAMES))[0])).toBeLessThan(1e-3);
    await wasm.release();
  });

  it('keeps a note on the instrument chosen at its onset', async () => {
    const steady = intendedCodes({ instrument: 'piano', tempo: 'slow' }, FRAMES);
    const switched = Int32Array.from(steady);
    for (let t = 1; t < FRAMES; t++) if (switched[t] === switched[t - 1]) switched[FRAMES + t] = 0; // guitar on every frame but onsets
    const [a, b] = await decode(session, [steady, switched], FRAMES);
    expect(maxAbsDiff(a, b)).toBe(0);
  });
});
