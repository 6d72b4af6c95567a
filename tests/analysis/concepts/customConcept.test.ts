import { describe, expect, it } from 'vitest';
import { conceptIdOf, customConcept } from '../../../src/analysis/concepts/customConcept';

const base = { name: 'Lo-fi Beats', promptsText: '  lo-fi hip hop beat\n\nchill lo-fi with vinyl crackle\r\n', labels: ['Hip hop music', 'Music'] };

describe('custom concepts', () => {
  it('take pasted prompts one per line (blank lines and spaces dropped), a name and labels by name or index', () => {
    const concept = customConcept({ ...base, labels: ['hip hop music', 137, '0'] });
    expect(concept).toEqual({
      id: 'lo-fi-beats',
      name: 'Lo-fi Beats',
      relevantLabels: [217, 137, 0],
      source: { kind: 'custom', prompts: ['lo-fi hip hop beat', 'chill lo-fi with vinyl crackle'] },
    });
  });

  it('refuse bad input with one-line errors that say what to fix', () => {
    expect(() => customConcept({ ...base, name: '  ' })).toThrow('give the concept a name');
    expect(() => customConcept({ ...base, name: '!!!' })).toThrow(/at least one letter or digit/);
    expect(() => customConcept({ ...base, name: 'x'.repeat(61) })).toThrow(/at most 60/);
    expect(() => customConcept({ ...base, name: 'Guitar' })).toThrow(/taken by one of the study's concepts/);
    expect(() => customConcept({ ...base, promptsText: '\n \n' })).toThrow('paste at least one prompt (one per line)');
    expect(() => customConcept({ ...base, promptsText: 'a\nb\n a ' })).toThrow('prompt on line 3 repeats line 1; each prompt counts once in a concept\'s mean');
    expect(() => customConcept({ ...base, promptsText: `ok\n${'x'.repeat(1001)}` })).toThrow(/line 2 has 1001 characters/);
    expect(() => customConcept({ ...base, labels: [] })).toThrow('choose at least one relevant AudioSet label');
    expect(() => customConcept({ ...base, labels: [217, 'Hip hop music'] })).toThrow('label 217 is chosen twice');
    expect(() => customConcept({ ...base, labels: [527] })).toThrow('label index 527 is outside the AudioSet classes 0..526');
    expect(() => customConcept({ ...base, labels: ['Guitars'] })).toThrow('"Guitars" is not an AudioSet label (did you mean "Guitar"');
    expect(() => customConcept({ ...base, labels: ['Kazoo'] })).toThrow('"Kazoo" is not an AudioSet label');
  });

  it('make URL-safe ids from their names', () => {
    expect(conceptIdOf('  Dark Ambient (v2)! ')).toBe('dark-ambient-v2');
  });
});
