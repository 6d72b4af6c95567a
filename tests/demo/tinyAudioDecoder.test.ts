import { beforeAll, describe, expect, it } from 'vitest';
import { AudioDecoderIO } from '../../src/bundle/graphContract';
import { buildTinyAudioDecoder, tinyAudioSnippets } from '../../src/demo/tinyAudioDecoder';
import { createRuntime, type Session } from '../../src/runtime/ort';

const CODEBOOK = 64;
const K = 4;
const SAMPLES_PER_FRAME = 640;

describe('buildTinyAudioDecoder', () => {
  let session: Session;
  /** codes: [b][K][T] */
  const decode = async (codes: number[][][]) => {
    const b = codes.length;
    const t = codes[0][0].length;
    const flat = BigInt64Array.from(codes.flat(2).map(BigInt)); // [1, b, K, T]
    const out = (await session.run({ [AudioDecoderIO.audioCodes]: { type: 'int64', data: flat, dims: [1, b, K, t] } }))[AudioDecoderIO.audioValues];
    if (out.type !== 'float32') throw new Error('expected float32 audio');
    return out;
  };
  const randomCodes = (b: number, t: number, salt: number) =>
    Array.from({ length: b }, (_, r) => Array.from({ length: K }, (_, k) => Array.from({ length: t }, (_, i) => (r * 31 + k * 17 + i * 7 + salt) % CODEBOOK)));

  beforeAll(async () => {
    session = await (await createRuntime('node')).createSession('tiny audio decoder', buildTinyAudioDecoder(7, CODEBOOK, K, SAMPLES_PER_FRAME));
  });

  it('has the Xenova encodec_decode contract: audio_codes -> audio_values', () => {
    expect(session.inputNames).toEqual([AudioDecoderIO.audioCodes]);
    expect(session.outputNames).toEqual([AudioDecoderIO.audioValues]);
  });

  it('returns [b, 1, 640·T] finite samples in [-1, 1] for b = 2, T = 5', async () => {
    const audio = await decode(randomCodes(2, 5, 0));
    expect(audio.dims).toEqual([2, 1, SAMPLES_PER_FRAME * 5]);
    expect(audio.data.every((v) => Number.isFinite(v) && v >= -1 && v <= 1)).toBe(true);
    const rms = Math.sqrt(audio.data.reduce((a, v) => a + v * v, 0) / audio.data.length);
    expect(rms).toBeGreaterThan(0.05); // audible, not silence
  });

  it('works for any batch and length, and frames are independent', async () => {
    const codes = randomCodes(3, 7, 1);
    const audio = await decode(codes);
    expect(audio.dims).toEqual([3, 1, SAMPLES_PER_FRAME * 7]);
    // Row 2, frame 4 decoded alone equals its slice of the batched output.
    const single = await decode([codes[2].map((frames) => [frames[4]])]);
    const start = 2 * 7 * SAMPLES_PER_FRAME + 4 * SAMPLES_PER_FRAME;
    const slice = audio.data.subarray(start, start + SAMPLES_PER_FRAME);
    single.data.forEach((v, i) => expect(slice[i]).toBeCloseTo(v, 6));
  });

  it('computes tanh of the sum of each codebook snippet', async () => {
    const snippets = tinyAudioSnippets(7, CODEBOOK, K, SAMPLES_PER_FRAME); // [K·C, S]
    const frame = [3, 40, 0, 63]; // one code per codebook
    const audio = await decode([frame.map((c) => [c])]);
    for (let n = 0; n < SAMPLES_PER_FRAME; n += 37) {
      const sum = frame.reduce((a, c, k) => a + snippets[(k * CODEBOOK + c) * SAMPLES_PER_FRAME + n], 0);
      expect(audio.data[n]).toBeCloseTo(Math.tanh(sum), 5);
    }
  });

  it('makes different codes sound different: higher codes have more zero crossings', () => {
    const snippets = tinyAudioSnippets(7, CODEBOOK, K, SAMPLES_PER_FRAME);
    const crossings = (code: number) => {
      const row = snippets.subarray(code * SAMPLES_PER_FRAME, (code + 1) * SAMPLES_PER_FRAME);
      let count = 0;
      for (let n = 1; n < row.length; n++) if (Math.sign(row[n]) !== Math.sign(row[n - 1])) count++;
      return count;
    };
    expect(crossings(48)).toBeGreaterThan(crossings(16) * 2);
    // Smooth envelope: each snippet starts and ends near silence.
    for (const code of [0, 17, 63]) {
      expect(Math.abs(snippets[code * SAMPLES_PER_FRAME])).toBeLessThan(0.01);
      expect(Math.abs(snippets[(code + 1) * SAMPLES_PER_FRAME - 1])).toBeLessThan(0.01);
    }
  });

  it('is deterministic per seed', () => {
    expect(buildTinyAudioDecoder(7, 8, 2, 16)).toEqual(buildTinyAudioDecoder(7, 8, 2, 16));
    expect(buildTinyAudioDecoder(8, 8, 2, 16)).not.toEqual(buildTinyAudioDecoder(7, 8, 2, 16));
  });
});
