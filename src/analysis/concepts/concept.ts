/**
 * A concept: a named prompt set and the AudioSet labels that recognise it. The first relevant
 * label is the one the study's effect metric uses; all of them count for NDCG.
 */
import { ConceptError, DEFAULT_PROMPT_COUNT, templatePrompts, type PromptSlot } from './promptTemplate';

export type ConceptSource =
  | { kind: 'template'; slot: PromptSlot; value: string } // the study's template, one slot fixed
  | { kind: 'custom'; prompts: readonly string[] }; // prompts a user pasted

export interface Concept {
  /** Stable, URL-safe id (e.g. `guitar`, `edm`), used in URLs, CSV rows and cache keys. */
  id: string;
  /** Display name (e.g. `EDM`). */
  name: string;
  /** AudioSet class indices, most characteristic first (effect uses the first). */
  relevantLabels: readonly number[];
  source: ConceptSource;
}

/**
 * The concept's first `count` prompts. Without `count`: the paper's 100 for template concepts,
 * all of them for custom ones. Asking for more than exist is an error, never a silent shortfall.
 */
export function conceptPrompts(concept: Concept, count?: number): string[] {
  const { source } = concept;
  if (source.kind === 'template') return templatePrompts(source.slot, source.value, count ?? DEFAULT_PROMPT_COUNT);
  const wanted = count ?? source.prompts.length;
  if (!Number.isInteger(wanted) || wanted < 1) throw new ConceptError(`prompt count must be a whole number ≥ 1, got ${wanted}`);
  if (wanted > source.prompts.length) throw new ConceptError(`concept "${concept.name}" has ${source.prompts.length} prompts, asked for ${wanted}`);
  return source.prompts.slice(0, wanted);
}

/** The label the effect metric reads (the study's "first relevant label"). */
export function firstRelevantLabel(concept: Concept): number {
  return concept.relevantLabels[0];
}
