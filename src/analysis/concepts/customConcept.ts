/**
 * A concept from prompts a user pasted (one per line), a name, and relevant labels chosen from
 * the 527 AudioSet classes. Every problem is a one-line ConceptError that says what to fix.
 */
import type { Concept } from './concept';
import { resolveLabel } from './labelLookup';
import { ConceptError } from './promptTemplate';
import { STUDY_CONCEPTS } from './studyConcepts';

export interface CustomConceptInput {
  name: string;
  /** One prompt per line; blank lines and surrounding spaces are ignored. */
  promptsText: string;
  /** Class indices or display names, most characteristic first (the effect metric uses the first). */
  labels: readonly (number | string)[];
}

export const MAX_CONCEPT_NAME_LENGTH = 60;
/** Longer prompts are almost certainly a paste gone wrong (and bloat command lines and URLs). */
export const MAX_PROMPT_LENGTH = 1000;
export const MAX_CUSTOM_PROMPTS = 1000;

/** `My Concept!` → `my-concept`. */
export function conceptIdOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function parsePrompts(text: string): string[] {
  const prompts: string[] = [];
  const firstLine = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const prompt = raw.trim();
    if (prompt === '') return;
    const line = i + 1;
    if (prompt.length > MAX_PROMPT_LENGTH) throw new ConceptError(`prompt on line ${line} has ${prompt.length} characters (at most ${MAX_PROMPT_LENGTH})`);
    const earlier = firstLine.get(prompt);
    if (earlier !== undefined) throw new ConceptError(`prompt on line ${line} repeats line ${earlier}; each prompt counts once in a concept's mean`);
    firstLine.set(prompt, line);
    prompts.push(prompt);
  });
  if (prompts.length === 0) throw new ConceptError('paste at least one prompt (one per line)');
  if (prompts.length > MAX_CUSTOM_PROMPTS) throw new ConceptError(`${prompts.length} prompts pasted; at most ${MAX_CUSTOM_PROMPTS}`);
  return prompts;
}

function parseLabels(labels: readonly (number | string)[]): number[] {
  if (labels.length === 0) throw new ConceptError('choose at least one relevant AudioSet label');
  const indices = labels.map(resolveLabel);
  const seen = new Set<number>();
  for (const index of indices) {
    if (seen.has(index)) throw new ConceptError(`label ${index} is chosen twice`);
    seen.add(index);
  }
  return indices;
}

export function customConcept(input: CustomConceptInput): Concept {
  const name = input.name.trim();
  if (name === '') throw new ConceptError('give the concept a name');
  if (name.length > MAX_CONCEPT_NAME_LENGTH) throw new ConceptError(`concept name has ${name.length} characters (at most ${MAX_CONCEPT_NAME_LENGTH})`);
  const id = conceptIdOf(name);
  if (id === '') throw new ConceptError(`concept name "${name}" needs at least one letter or digit`);
  if (STUDY_CONCEPTS.some((concept) => concept.id === id)) throw new ConceptError(`"${name}" is taken by one of the study's concepts; choose another name`);
  return { id, name, relevantLabels: parseLabels(input.labels), source: { kind: 'custom', prompts: parsePrompts(input.promptsText) } };
}
