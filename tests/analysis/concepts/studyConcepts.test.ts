import { describe, expect, it } from 'vitest';
import { conceptPrompts, firstRelevantLabel } from '../../../src/analysis/concepts/concept';
import { findStudyConcept, STUDY_CONCEPTS } from '../../../src/analysis/concepts/studyConcepts';
import { AUDIOSET_LABELS } from '../../../src/classifier/audiosetLabels';

describe('the study concepts', () => {
  it('are the ten of the study, in its order', () => {
    expect(STUDY_CONCEPTS.map((c) => c.id)).toEqual(['guitar', 'piano', 'trumpet', 'violin', 'classical', 'pop', 'jazz', 'rock', 'edm', 'hiphop']);
  });

  it('use the AudioSet indices of the study code as their first relevant label', () => {
    const first = Object.fromEntries(STUDY_CONCEPTS.map((c) => [c.id, firstRelevantLabel(c)]));
    expect(first).toEqual({ guitar: 140, piano: 153, trumpet: 187, violin: 191, classical: 237, pop: 216, jazz: 235, rock: 219, edm: 245, hiphop: 217 });
  });

  it('resolve every relevant label of Table 1 by name', () => {
    const names = (id: string) => findStudyConcept(id)!.relevantLabels.map((i) => AUDIOSET_LABELS[i]);
    expect(names('guitar')).toEqual(['Guitar', 'Acoustic guitar', 'Electric guitar', 'Bass guitar', 'Plucked string instrument']);
    expect(names('violin')).toEqual(['Violin, fiddle', 'String section', 'Bowed string instrument']);
    expect(names('rock')).toEqual(['Rock music', 'Rock and roll', 'Progressive rock', 'Punk rock']);
    expect(names('edm')).toEqual(['Electronic dance music', 'Electronic music', 'Techno', 'Drum and bass', 'Dubstep', 'House music']);
    expect(findStudyConcept('EDM')!.relevantLabels).toEqual([245, 239, 241, 243, 242, 240]);
    expect(STUDY_CONCEPTS.reduce((n, c) => n + c.relevantLabels.length, 0)).toBe(28);
  });

  it('give 100 prompts by default with the study code\'s words ("electronic", "hiphop"), first and last written out', () => {
    const edm = conceptPrompts(findStudyConcept('edm')!);
    expect(edm).toHaveLength(100);
    expect(edm[0]).toBe('Compose a emotional electronic piece, with a guitar melody. Use a fast tempo.');
    expect(edm[99]).toBe('Compose a energetic electronic piece, with a flute melody. Use a medium to fast tempo.');
    const hiphop = conceptPrompts(findStudyConcept('hip hop')!, 10);
    expect(hiphop).toHaveLength(10);
    expect(hiphop[0]).toBe('Compose a emotional hiphop piece, with a guitar melody. Use a fast tempo.');
    const violin = conceptPrompts(findStudyConcept('violin')!);
    expect(violin[0]).toBe('Compose a emotional rock piece, with a violin melody. Use a fast tempo.');
    expect(violin[99]).toBe('Compose a happy jazz piece, with a violin melody. Use a medium to fast tempo.');
  });

  it('finds a concept by id or display name, and nothing for an unknown one', () => {
    expect(findStudyConcept(' Guitar ')?.id).toBe('guitar');
    expect(findStudyConcept('banjo')).toBeUndefined();
  });
});
