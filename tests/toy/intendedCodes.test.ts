import { describe, expect, it } from 'vitest';
import { DEFAULT_LEVEL, MOOD_LEVEL, TEXTURE_NONE, TIMBRE_NEUTRAL, textureCode } from '../../src/toy/concepts';
import { framesPerNote, intendedCodes, tempoValue } from '../../src/toy/intendedCodes';

describe('intendedCodes', () => {
  it('averages tempo words like the tempo head and gives slower notes to slower tempos', () => {
    expect(tempoValue('slow to medium')).toBe(1.5);
    expect(tempoValue('fast')).toBe(3);
    const order = (['slow', 'slow to medium', 'medium', 'medium to fast', 'fast'] as const).map(framesPerNote);
    for (let i = 1; i < order.length; i++) expect(order[i]).toBeLessThan(order[i - 1]);
  });

  it('writes the scene as constant timbre/level/texture codes and a phrase that steps once per note', () => {
    const frames = 60;
    const codes = intendedCodes({ instrument: 'violin', genre: 'jazz', mood: 'energetic', tempo: 'fast' }, frames);
    expect(new Set(codes.slice(frames, 2 * frames))).toEqual(new Set([3]));
    expect(new Set(codes.slice(2 * frames, 3 * frames))).toEqual(new Set([MOOD_LEVEL.energetic]));
    expect(new Set(codes.slice(3 * frames))).toEqual(new Set([textureCode('jazz')]));
    const changes = codes.slice(1, frames).filter((code, t) => code !== codes[t]).length;
    expect(changes).toBe(Math.floor((frames - 1) / framesPerNote('fast')));
    const empty = intendedCodes({}, frames);
    expect([empty[frames], empty[2 * frames], empty[3 * frames]]).toEqual([TIMBRE_NEUTRAL, DEFAULT_LEVEL, TEXTURE_NONE]);
    expect(new Set(empty.slice(0, frames))).toEqual(new Set([0]));
  });

  it('follows irregular note lengths', () => {
    const codes = intendedCodes({ noteLengths: [2, 3] }, 8);
    expect(Array.from(codes.slice(0, 8))).toEqual([0, 0, 1, 1, 1, 2, 2, 3]);
  });
});
