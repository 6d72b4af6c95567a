/**
 * The study's ten concepts (its Table 1 and intervention_main.py), in the study's order: four
 * instruments (INSTRUMENTS slot) and six genres (GENRE slot). The prompt words are the code's:
 * EDM prompts say "electronic", hip hop prompts say "hiphop".
 */
import type { Concept } from './concept';
import { resolveLabel } from './labelLookup';
import type { PromptSlot } from './promptTemplate';

function studyConcept(id: string, name: string, slot: PromptSlot, value: string, labels: readonly string[]): Concept {
  return { id, name, relevantLabels: labels.map(resolveLabel), source: { kind: 'template', slot, value } };
}

export const STUDY_CONCEPTS: readonly Concept[] = [
  studyConcept('guitar', 'guitar', 'INSTRUMENTS', 'guitar', ['Guitar', 'Acoustic guitar', 'Electric guitar', 'Bass guitar', 'Plucked string instrument']),
  studyConcept('piano', 'piano', 'INSTRUMENTS', 'piano', ['Piano', 'Electric piano', 'Keyboard (musical)']),
  studyConcept('trumpet', 'trumpet', 'INSTRUMENTS', 'trumpet', ['Trumpet', 'Brass instrument']),
  studyConcept('violin', 'violin', 'INSTRUMENTS', 'violin', ['Violin, fiddle', 'String section', 'Bowed string instrument']),
  studyConcept('classical', 'classical', 'GENRE', 'classical', ['Classical music']),
  studyConcept('pop', 'pop', 'GENRE', 'pop', ['Pop music']),
  studyConcept('jazz', 'jazz', 'GENRE', 'jazz', ['Jazz', 'Rhythm and blues']),
  studyConcept('rock', 'rock', 'GENRE', 'rock', ['Rock music', 'Rock and roll', 'Progressive rock', 'Punk rock']),
  studyConcept('edm', 'EDM', 'GENRE', 'electronic', ['Electronic dance music', 'Electronic music', 'Techno', 'Drum and bass', 'Dubstep', 'House music']),
  studyConcept('hiphop', 'hip hop', 'GENRE', 'hiphop', ['Hip hop music']),
];

/** A study concept by id (`guitar`, `edm`, `hiphop`…) or display name, case-insensitive. */
export function findStudyConcept(idOrName: string): Concept | undefined {
  const wanted = idOrName.trim().toLowerCase();
  return STUDY_CONCEPTS.find((concept) => concept.id === wanted || concept.name.toLowerCase() === wanted);
}
