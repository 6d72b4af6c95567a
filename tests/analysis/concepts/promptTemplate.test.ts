import { describe, expect, it } from 'vitest';
import { fillTemplate, PROMPT_TEMPLATE, templatePromptCount, templatePrompts } from '../../../src/analysis/concepts/promptTemplate';

describe('the study prompt template', () => {
  it('fills every slot', () => {
    expect(PROMPT_TEMPLATE).toBe('Compose a [MOOD] [GENRE] piece, with a [INSTRUMENTS] melody. Use a [TEMPO] tempo.');
    expect(fillTemplate({ MOOD: 'happy', GENRE: 'rock', INSTRUMENTS: 'guitar', TEMPO: 'fast' })).toBe('Compose a happy rock piece, with a guitar melody. Use a fast tempo.');
  });

  it('enumerates an instrument set GENRE outermost, then MOOD, then TEMPO (the study code\'s nesting), first 100 of 125', () => {
    const prompts = templatePrompts('INSTRUMENTS', 'guitar');
    expect(templatePromptCount('INSTRUMENTS')).toBe(125);
    expect(prompts).toHaveLength(100);
    expect(prompts.slice(0, 6)).toEqual([
      'Compose a emotional rock piece, with a guitar melody. Use a fast tempo.',
      'Compose a emotional rock piece, with a guitar melody. Use a medium tempo.',
      'Compose a emotional rock piece, with a guitar melody. Use a slow tempo.',
      'Compose a emotional rock piece, with a guitar melody. Use a slow to medium tempo.',
      'Compose a emotional rock piece, with a guitar melody. Use a medium to fast tempo.',
      'Compose a passionate rock piece, with a guitar melody. Use a fast tempo.',
    ]);
    expect(prompts[25]).toBe('Compose a emotional pop piece, with a guitar melody. Use a fast tempo.');
    expect(prompts[99]).toBe('Compose a happy jazz piece, with a guitar melody. Use a medium to fast tempo.');
    // The first 100 never reach the last genre.
    expect(prompts.some((p) => p.includes('classical'))).toBe(false);
  });

  it('puts prompt 54 of the piano set where the study code does (the template order would give "groovy")', () => {
    expect(templatePrompts('INSTRUMENTS', 'piano')[54]).toBe('Compose a emotional electronic piece, with a piano melody. Use a medium to fast tempo.');
  });

  it('enumerates a genre set MOOD outermost, then INSTRUMENTS, then TEMPO', () => {
    const prompts = templatePrompts('GENRE', 'rock');
    expect(prompts[0]).toBe('Compose a emotional rock piece, with a guitar melody. Use a fast tempo.');
    expect(prompts[5]).toBe('Compose a emotional rock piece, with a piano melody. Use a fast tempo.');
    expect(prompts[99]).toBe('Compose a energetic rock piece, with a flute melody. Use a medium to fast tempo.');
    expect(prompts.some((p) => p.includes('happy'))).toBe(false);
  });

  it('keeps the whole set when asked for 125, the first N otherwise, and refuses impossible counts', () => {
    const all = templatePrompts('TEMPO', 'slow', 125);
    expect(all.at(-1)).toBe('Compose a happy classical piece, with a flute melody. Use a slow tempo.');
    expect(new Set(all).size).toBe(125);
    expect(templatePrompts('TEMPO', 'slow', 3)).toEqual(all.slice(0, 3));
    expect(() => templatePrompts('GENRE', 'rock', 126)).toThrow('only 125 template prompts exist with GENRE fixed, asked for 126');
    expect(() => templatePrompts('GENRE', 'rock', 0)).toThrow(/whole number ≥ 1/);
    expect(() => templatePrompts('GENRE', 'rock', 2.5)).toThrow(/whole number ≥ 1/);
    expect(() => templatePrompts('GENRE', ' ')).toThrow(/empty/);
  });
});
