import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, framesForSeconds, toGenerateRequest, validateSettings } from '../../../src/ui/state/settings';

describe('settings', () => {
  it('converts seconds to whole EnCodec frames (50 per second, at least one)', () => {
    expect(framesForSeconds(4)).toBe(200);
    expect(framesForSeconds(1)).toBe(50);
    expect(framesForSeconds(0.03)).toBe(2);
    expect(framesForSeconds(0.001)).toBe(1);
  });

  it('builds the worker request from the settings', () => {
    expect(toGenerateRequest(DEFAULT_SETTINGS, [1, 2])).toEqual({
      prompt: DEFAULT_SETTINGS.prompt,
      frames: 200,
      seed: 42,
      topK: 250,
      temperature: 1,
      guidanceScale: 3,
      depths: [1, 2],
    });
  });

  it('accepts the defaults and names the field of a bad value', () => {
    expect(validateSettings(DEFAULT_SETTINGS)).toBeNull();
    expect(validateSettings({ ...DEFAULT_SETTINGS, temperature: 0 })).toBe('Temperature must be between 0.05 and 5 (got 0).');
    expect(validateSettings({ ...DEFAULT_SETTINGS, guidanceScale: Number.NaN })).toBe('Guidance needs a number.');
    expect(validateSettings({ ...DEFAULT_SETTINGS, seed: -1 })).toBe('Seed must be between 0 and 4294967295 (got -1).');
  });
});
