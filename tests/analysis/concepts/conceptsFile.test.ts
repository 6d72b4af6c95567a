import { describe, expect, it } from 'vitest';
import { parseConceptsFile } from '../../../src/analysis/concepts/conceptsFile';

const lofi = { name: 'Lo-fi', prompts: ['a lo-fi hip hop beat', ' chill lo-fi with vinyl crackle '], labels: ['Hip hop music', 137] };
const file = (entries: unknown) => JSON.stringify(entries);

describe('concepts files', () => {
  it('give custom concepts: prompts in order (trimmed), labels by name or index, first label first', () => {
    const concepts = parseConceptsFile(file([lofi, { name: 'Surf rock', prompts: ['twangy surf guitar'], labels: ['Electric guitar', 'Rock music'] }]), 'c.json');
    expect(concepts).toEqual([
      { id: 'lo-fi', name: 'Lo-fi', relevantLabels: [217, 137], source: { kind: 'custom', prompts: ['a lo-fi hip hop beat', 'chill lo-fi with vinyl crackle'] } },
      { id: 'surf-rock', name: 'Surf rock', relevantLabels: [141, 219], source: { kind: 'custom', prompts: ['twangy surf guitar'] } },
    ]);
  });

  it('refuse a bad file with one line that names the file, the concept and the fix', () => {
    const refusal = (entries: unknown) => () => parseConceptsFile(typeof entries === 'string' ? entries : file(entries), 'c.json');
    expect(refusal('[{"name": ')).toThrow(/^c\.json: not valid JSON \([^\n]+\)$/);
    expect(refusal({ name: 'x' })).toThrow('c.json: expected a non-empty JSON list of concepts, [{"name": "…", "prompts": ["…"], "labels": ["AudioSet label or index"]}]');
    expect(refusal([])).toThrow('c.json: expected a non-empty JSON list');
    expect(refusal([lofi, 'jazz'])).toThrow('c.json: concept 2 is not an object {name, prompts, labels}');
    expect(refusal([{ ...lofi, label: [1] }])).toThrow('c.json: concept 1: unknown field "label" (a concept has name, prompts, labels)');
    expect(refusal([{ ...lofi, prompts: 'one prompt' }])).toThrow('c.json: concept 1: "prompts" must be a list of strings');
    expect(refusal([{ ...lofi, labels: [null] }])).toThrow('c.json: concept 1: "labels" must be a list of AudioSet label names or indices');
    expect(refusal([{ ...lofi, name: 7 }])).toThrow('c.json: concept 1: "name" must be a string');
    expect(refusal([{ ...lofi, prompts: [] }])).toThrow('c.json: concept 1 ("Lo-fi"): give at least one prompt');
    expect(refusal([{ ...lofi, prompts: ['a', '  '] }])).toThrow('c.json: concept 1 ("Lo-fi"): prompt 2 is empty');
    expect(refusal([{ ...lofi, prompts: ['a\nb'] }])).toThrow('c.json: concept 1 ("Lo-fi"): prompt 1 spans several lines; give one line per prompt');
    expect(refusal([{ ...lofi, prompts: ['a', 'b', ' a'] }])).toThrow('c.json: concept 1 ("Lo-fi"): prompt 3 repeats prompt 1; each prompt counts once in a concept\'s mean');
    expect(refusal([{ ...lofi, labels: ['Guitars'] }])).toThrow('c.json: concept 1 ("Lo-fi"): "Guitars" is not an AudioSet label (did you mean "Guitar"');
    expect(refusal([{ ...lofi, labels: [600] }])).toThrow('c.json: concept 1 ("Lo-fi"): label index 600 is outside the AudioSet classes 0..526');
    expect(refusal([{ ...lofi, labels: [] }])).toThrow('c.json: concept 1 ("Lo-fi"): choose at least one relevant AudioSet label');
    expect(refusal([{ ...lofi, name: 'Piano' }])).toThrow('c.json: concept 1 ("Piano"): "Piano" is taken by one of the study\'s concepts; choose another name');
    expect(refusal([lofi, { ...lofi, name: 'LO FI' }])).toThrow('c.json: concepts 1 and 2 have the same name "lo-fi"; names must differ');
  });
});
