/**
 * A concepts file: custom concepts for the study runner (`npm run lab -- study --concepts FILE`),
 * the command line's counterpart of the page's custom concept form. JSON:
 * `[{ "name": "lo-fi", "prompts": ["…", "…"], "labels": ["Hip hop music", 137] }]`, labels by
 * AudioSet display name or index, most characteristic first (the effect metric reads the first).
 * Every problem is one ConceptError line that names the file, the concept and what to fix.
 */
import type { Concept } from './concept';
import { listedConcept } from './customConcept';
import { ConceptError } from './promptTemplate';

const FIELDS = ['name', 'prompts', 'labels'] as const;
const SHAPE = '[{"name": "…", "prompts": ["…"], "labels": ["AudioSet label or index"]}]';

/** One entry's fields, type-checked (values are checked by listedConcept). */
function entryFields(entry: unknown, where: string): { name: string; prompts: string[]; labels: (string | number)[] } {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new ConceptError(`${where} is not an object {name, prompts, labels}`);
  const record = entry as Record<string, unknown>;
  const unknown = Object.keys(record).find((key) => !(FIELDS as readonly string[]).includes(key));
  if (unknown !== undefined) throw new ConceptError(`${where}: unknown field "${unknown}" (a concept has ${FIELDS.join(', ')})`);
  const { name, prompts, labels } = record;
  if (typeof name !== 'string') throw new ConceptError(`${where}: "name" must be a string`);
  if (!Array.isArray(prompts) || !prompts.every((p) => typeof p === 'string')) throw new ConceptError(`${where}: "prompts" must be a list of strings`);
  if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string' || typeof l === 'number')) {
    throw new ConceptError(`${where}: "labels" must be a list of AudioSet label names or indices`);
  }
  return { name, prompts, labels };
}

/** The concepts of a file's text; `file` names it in messages. */
export function parseConceptsFile(text: string, file: string): Concept[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConceptError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(json) || json.length === 0) throw new ConceptError(`${file}: expected a non-empty JSON list of concepts, ${SHAPE}`);
  const concepts: Concept[] = [];
  json.forEach((entry, i) => {
    const fields = entryFields(entry, `${file}: concept ${i + 1}`);
    let concept: Concept;
    try {
      concept = listedConcept(fields);
    } catch (error) {
      throw new ConceptError(`${file}: concept ${i + 1} ("${fields.name}"): ${(error as Error).message}`);
    }
    // Ids name files and CSV rows, so "Lo Fi" and "lo-fi" would collide.
    const twin = concepts.findIndex((c) => c.id === concept.id);
    if (twin >= 0) throw new ConceptError(`${file}: concepts ${twin + 1} and ${i + 1} have the same name "${concept.id}"; names must differ`);
    concepts.push(concept);
  });
  return concepts;
}
