/**
 * A concept from prompts a user pasted (one per line) or listed (a concepts file), a name, and
 * relevant labels chosen from the 527 AudioSet classes. Every problem is a one-line ConceptError
 * that says what to fix.
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

export interface ListedConceptInput {
  name: string;
  prompts: readonly string[];
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

/** Where a prompt came from, in error messages: a line of pasted text or an item of a list. */
type PromptPlace = 'line' | 'item';

/** Prompts checked: at least one, none too long, no repeats. `positions` are 1-based, for messages. */
function checkPrompts(prompts: readonly string[], positions: readonly number[], place: PromptPlace): string[] {
  const at = (position: number) => (place === 'line' ? `prompt on line ${position}` : `prompt ${position}`);
  const earlierAt = (position: number) => (place === 'line' ? `line ${position}` : `prompt ${position}`);
  const first = new Map<string, number>();
  prompts.forEach((prompt, i) => {
    if (prompt.length > MAX_PROMPT_LENGTH) throw new ConceptError(`${at(positions[i])} has ${prompt.length} characters (at most ${MAX_PROMPT_LENGTH})`);
    const earlier = first.get(prompt);
    if (earlier !== undefined) throw new ConceptError(`${at(positions[i])} repeats ${earlierAt(earlier)}; each prompt counts once in a concept's mean`);
    first.set(prompt, positions[i]);
  });
  if (prompts.length === 0) throw new ConceptError(place === 'line' ? 'paste at least one prompt (one per line)' : 'give at least one prompt');
  if (prompts.length > MAX_CUSTOM_PROMPTS) throw new ConceptError(`${prompts.length} prompts ${place === 'line' ? 'pasted' : 'given'}; at most ${MAX_CUSTOM_PROMPTS}`);
  return [...prompts];
}

/** Pasted text: one prompt per line, blank lines and surrounding spaces ignored. */
function parsePrompts(text: string): string[] {
  const lines = text.split(/\r?\n/).map((line, i) => ({ prompt: line.trim(), line: i + 1 })).filter(({ prompt }) => prompt !== '');
  return checkPrompts(lines.map((l) => l.prompt), lines.map((l) => l.line), 'line');
}

/** A list of prompts (a concepts file): every item a non-empty single line. */
function listedPrompts(prompts: readonly string[]): string[] {
  const trimmed = prompts.map((prompt, i) => {
    const text = prompt.trim();
    if (text === '') throw new ConceptError(`prompt ${i + 1} is empty`);
    if (/[\r\n]/.test(text)) throw new ConceptError(`prompt ${i + 1} spans several lines; give one line per prompt`);
    return text;
  });
  return checkPrompts(trimmed, trimmed.map((_, i) => i + 1), 'item');
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

/** The name checked and turned into an id. */
function conceptName(raw: string): { id: string; name: string } {
  const name = raw.trim();
  if (name === '') throw new ConceptError('give the concept a name');
  if (name.length > MAX_CONCEPT_NAME_LENGTH) throw new ConceptError(`concept name has ${name.length} characters (at most ${MAX_CONCEPT_NAME_LENGTH})`);
  const id = conceptIdOf(name);
  if (id === '') throw new ConceptError(`concept name "${name}" needs at least one letter or digit`);
  if (STUDY_CONCEPTS.some((concept) => concept.id === id)) throw new ConceptError(`"${name}" is taken by one of the study's concepts; choose another name`);
  return { id, name };
}

/** A concept from the page's form: prompts pasted one per line. */
export function customConcept(input: CustomConceptInput): Concept {
  const { id, name } = conceptName(input.name);
  return { id, name, relevantLabels: parseLabels(input.labels), source: { kind: 'custom', prompts: parsePrompts(input.promptsText) } };
}

/** A concept from a list of prompts (a concepts file); errors name prompts by position (1-based). */
export function listedConcept(input: ListedConceptInput): Concept {
  const { id, name } = conceptName(input.name);
  return { id, name, relevantLabels: parseLabels(input.labels), source: { kind: 'custom', prompts: listedPrompts(input.prompts) } };
}
