/**
 * The concepts slice: which concept an intervention starts from and which it aims at (the study's
 * ten or the user's own), how many prompts a mean takes and how long each clip is. Custom concepts
 * persist in the browser (localStorage), so a reload keeps them.
 */
import type { StateCreator } from 'zustand';
import type { Concept } from '../../../analysis/concepts/concept';
import { customConcept, type CustomConceptInput } from '../../../analysis/concepts/customConcept';
import { templatePromptCount } from '../../../analysis/concepts/promptTemplate';
import { STUDY_CONCEPTS } from '../../../analysis/concepts/studyConcepts';
import { messageOf } from '../../../errorMessage';

/** Where custom concepts are kept (window.localStorage in the page; a Map in tests). */
export interface ConceptStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const STORAGE_KEY = 'musicgen-lab.custom-concepts.v1';
const CHOICE_KEY = 'musicgen-lab.concept-choice.v1';

export const CONCEPT_DEFAULTS = { fromId: 'guitar', toId: 'piano', promptCount: 100, seconds: 4 } as const;
export const PROMPT_COUNT_LIMITS = { min: 1, max: 1000 } as const;
export const SECONDS_LIMITS = { min: 0.1, max: 30 } as const;

export interface ConceptsSlice {
  customConcepts: Concept[];
  fromId: string; // the original concept (what the clip is about)
  toId: string; // the desired concept (what the intervention aims at)
  promptCount: number; // prompts per concept mean (the paper's N = 100)
  seconds: number; // clip length of the means and the interventions
  /** Adds (or replaces, by id) a custom concept; returns the problem in words, or null. */
  addCustomConcept(input: CustomConceptInput): string | null;
  removeCustomConcept(id: string): void;
  setFrom(id: string): void;
  setTo(id: string): void;
  swapConcepts(): void;
  setPromptCount(count: number): void;
  setSeconds(seconds: number): void;
}

/** Every concept the pickers offer: the study's ten, then the user's. */
export function allConcepts(state: Pick<ConceptsSlice, 'customConcepts'>): Concept[] {
  return [...STUDY_CONCEPTS, ...state.customConcepts];
}

export function conceptById(state: Pick<ConceptsSlice, 'customConcepts'>, id: string): Concept | undefined {
  return allConcepts(state).find((concept) => concept.id === id);
}

/** How many prompts a concept can give: 125 per template set, all pasted ones for a custom set. */
export function availablePrompts(concept: Concept): number {
  return concept.source.kind === 'template' ? templatePromptCount(concept.source.slot) : concept.source.prompts.length;
}

/** The problem with the concept choice and sizes, in words, or null. */
export function conceptChoiceProblem(state: Pick<ConceptsSlice, 'customConcepts' | 'fromId' | 'toId' | 'promptCount' | 'seconds'>): string | null {
  const from = conceptById(state, state.fromId);
  const to = conceptById(state, state.toId);
  if (!from) return `Unknown original concept "${state.fromId}".`;
  if (!to) return `Unknown desired concept "${state.toId}".`;
  if (from.id === to.id) return 'Choose two different concepts.';
  const { promptCount, seconds } = state;
  if (!Number.isInteger(promptCount) || promptCount < PROMPT_COUNT_LIMITS.min || promptCount > PROMPT_COUNT_LIMITS.max) {
    return `Prompts per concept must be a whole number in ${PROMPT_COUNT_LIMITS.min}–${PROMPT_COUNT_LIMITS.max}.`;
  }
  for (const concept of [from, to]) {
    const available = availablePrompts(concept);
    if (promptCount > available) return `"${concept.name}" has ${available} prompts; ask for at most ${available}.`;
  }
  if (!(seconds >= SECONDS_LIMITS.min && seconds <= SECONDS_LIMITS.max)) return `Seconds must be in ${SECONDS_LIMITS.min}–${SECONDS_LIMITS.max}.`;
  return null;
}

function isConcept(value: unknown): value is Concept {
  const concept = value as Concept;
  return (
    !!concept &&
    typeof concept.id === 'string' &&
    typeof concept.name === 'string' &&
    Array.isArray(concept.relevantLabels) &&
    concept.source?.kind === 'custom' &&
    Array.isArray(concept.source.prompts)
  );
}

/** Custom concepts saved earlier; anything unreadable is dropped rather than breaking the page. */
export function loadCustomConcepts(storage: ConceptStorage | null): Concept[] {
  if (!storage) return [];
  try {
    const parsed = JSON.parse(storage.getItem(STORAGE_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter(isConcept) : [];
  } catch {
    return [];
  }
}

type ConceptChoice = Pick<ConceptsSlice, 'fromId' | 'toId' | 'promptCount' | 'seconds'>;

/** The last concept choice and sizes (so a reload finds the same means); defaults where unreadable. */
export function loadConceptChoice(storage: ConceptStorage | null): ConceptChoice {
  const choice: ConceptChoice = { ...CONCEPT_DEFAULTS };
  try {
    const saved = JSON.parse(storage?.getItem(CHOICE_KEY) ?? '{}') as Partial<Record<keyof ConceptChoice, unknown>>;
    if (typeof saved.fromId === 'string') choice.fromId = saved.fromId;
    if (typeof saved.toId === 'string') choice.toId = saved.toId;
    if (typeof saved.promptCount === 'number' && Number.isFinite(saved.promptCount)) choice.promptCount = saved.promptCount;
    if (typeof saved.seconds === 'number' && Number.isFinite(saved.seconds)) choice.seconds = saved.seconds;
  } catch {
    // An unreadable entry is as good as none.
  }
  return choice;
}

export function createConceptsSlice<S extends ConceptsSlice>(storage: ConceptStorage | null): StateCreator<S, [], [], ConceptsSlice> {
  return (set, get) => {
    const save = (concepts: Concept[]) => {
      try {
        storage?.setItem(STORAGE_KEY, JSON.stringify(concepts));
      } catch {
        // A full or blocked storage only loses persistence; the concepts stay in this session.
      }
    };
    const customConcepts = loadCustomConcepts(storage);
    const choice = loadConceptChoice(storage);
    const known = (id: string) => [...STUDY_CONCEPTS, ...customConcepts].some((concept) => concept.id === id);
    if (!known(choice.fromId) || !known(choice.toId)) Object.assign(choice, { fromId: CONCEPT_DEFAULTS.fromId, toId: CONCEPT_DEFAULTS.toId });
    const choose = (patch: Partial<ConceptChoice>) => {
      set(patch as Partial<S>);
      const { fromId, toId, promptCount, seconds } = get();
      try {
        storage?.setItem(CHOICE_KEY, JSON.stringify({ fromId, toId, promptCount, seconds }));
      } catch {
        // Persistence is a convenience; the choice holds for this session.
      }
    };
    return {
      customConcepts,
      ...choice,

      addCustomConcept(input) {
        let concept: Concept;
        try {
          concept = customConcept(input);
        } catch (error) {
          return messageOf(error);
        }
        const customConcepts = [...get().customConcepts.filter((c) => c.id !== concept.id), concept];
        save(customConcepts);
        set({ customConcepts } as Partial<S>);
        return null;
      },

      removeCustomConcept(id) {
        const customConcepts = get().customConcepts.filter((c) => c.id !== id);
        save(customConcepts);
        const state = get();
        const fallback = (current: string, other: string) => (current === id ? STUDY_CONCEPTS.find((c) => c.id !== other)!.id : current);
        set({ customConcepts } as Partial<S>);
        choose({ fromId: fallback(state.fromId, state.toId), toId: fallback(state.toId, state.fromId) });
      },

      setFrom: (fromId) => choose({ fromId }),
      setTo: (toId) => choose({ toId }),
      swapConcepts: () => choose({ fromId: get().toId, toId: get().fromId }),
      setPromptCount: (promptCount) => choose({ promptCount }),
      setSeconds: (seconds) => choose({ seconds }),
    };
  };
}
