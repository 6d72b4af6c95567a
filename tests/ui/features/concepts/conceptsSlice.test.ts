import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { AUDIOSET_LABELS } from '../../../../src/classifier/audiosetLabels';
import {
  availablePrompts,
  conceptById,
  conceptChoiceProblem,
  createConceptsSlice,
  type ConceptsSlice,
  type ConceptStorage,
} from '../../../../src/ui/features/concepts/conceptsSlice';

function mapStorage(): ConceptStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value) };
}

const makeStore = (storage: ConceptStorage | null) => createStore<ConceptsSlice>()((set, get, api) => createConceptsSlice<ConceptsSlice>(storage)(set, get, api));

const sitar = { name: 'Sitar', promptsText: 'Compose a calm raga, with a sitar melody.\n\n  Compose a fast raga, with a sitar melody.  \n', labels: ['Sitar', 'Plucked string instrument'] };

describe('concepts slice', () => {
  it("starts at the study's guitar → piano, 100 prompts of 4 s", () => {
    const state = makeStore(null).getState();
    expect(state).toMatchObject({ fromId: 'guitar', toId: 'piano', promptCount: 100, seconds: 4, customConcepts: [] });
    expect(conceptChoiceProblem(state)).toBeNull();
  });

  it('adds a custom concept from pasted prompts and searched labels, and keeps it across a reload', () => {
    const storage = mapStorage();
    const store = makeStore(storage);
    expect(store.getState().addCustomConcept(sitar)).toBeNull();
    const [concept] = store.getState().customConcepts;
    expect(concept).toMatchObject({ id: 'sitar', name: 'Sitar', source: { kind: 'custom', prompts: ['Compose a calm raga, with a sitar melody.', 'Compose a fast raga, with a sitar melody.'] } });
    expect(concept.relevantLabels.map((index) => AUDIOSET_LABELS[index])).toEqual(['Sitar', 'Plucked string instrument']);
    store.getState().setFrom('sitar');
    store.getState().setPromptCount(2);
    const reloaded = makeStore(storage).getState();
    expect(reloaded.customConcepts).toEqual([concept]);
    expect(reloaded).toMatchObject({ fromId: 'sitar', toId: 'piano', promptCount: 2 });
  });

  it('says what is wrong with a custom concept and adds nothing', () => {
    const store = makeStore(null);
    expect(store.getState().addCustomConcept({ ...sitar, labels: ['Sitarr'] })).toMatch(/"Sitarr" is not an AudioSet label \(did you mean "Sitar"/);
    expect(store.getState().addCustomConcept({ ...sitar, name: 'Guitar' })).toMatch(/taken by one of the study's concepts/);
    expect(store.getState().addCustomConcept({ ...sitar, promptsText: '\n \n' })).toMatch(/paste at least one prompt/);
    expect(store.getState().customConcepts).toEqual([]);
  });

  it('removing a chosen custom concept falls back to a study concept', () => {
    const store = makeStore(null);
    store.getState().addCustomConcept(sitar);
    store.getState().setTo('sitar');
    store.getState().removeCustomConcept('sitar');
    expect(store.getState().toId).not.toBe('sitar');
    expect(store.getState().toId).not.toBe(store.getState().fromId);
  });

  it('checks the choice: two different concepts, prompt counts they can give, seconds in range', () => {
    const store = makeStore(null);
    store.getState().addCustomConcept(sitar);
    const state = () => store.getState();
    store.getState().setTo('guitar');
    expect(conceptChoiceProblem(state())).toBe('Choose two different concepts.');
    store.getState().swapConcepts();
    store.getState().setTo('sitar');
    expect(conceptChoiceProblem(state())).toBe('"Sitar" has 2 prompts; ask for at most 2.');
    store.getState().setPromptCount(2);
    expect(conceptChoiceProblem(state())).toBeNull();
    store.getState().setTo('piano');
    store.getState().setPromptCount(126);
    expect(conceptChoiceProblem(state())).toMatch(/has 125 prompts/);
    expect(availablePrompts(conceptById(state(), 'edm')!)).toBe(125);
    store.getState().setPromptCount(10);
    store.getState().setSeconds(0);
    expect(conceptChoiceProblem(state())).toMatch(/Seconds must be in 0\.1–30/);
  });

  it('ignores damaged saved data', () => {
    const storage = mapStorage();
    storage.data.set('musicgen-lab.custom-concepts.v1', '{not json');
    storage.data.set('musicgen-lab.concept-choice.v1', JSON.stringify({ fromId: 'gone', toId: 'piano', promptCount: 'x' }));
    expect(makeStore(storage).getState()).toMatchObject({ customConcepts: [], fromId: 'guitar', toId: 'piano', promptCount: 100 });
  });
});
