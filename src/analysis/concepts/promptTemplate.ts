/**
 * The study's prompt template and its enumeration. A concept's prompt set fixes one slot and
 * enumerates the other three nested, first list outermost, in the order of the study's code
 * (GENRE, MOOD, INSTRUMENTS, TEMPO: musicgen-mech-interp's prompt_generator.py), then keeps the
 * first N. That order is not the template's (MOOD comes first there); it decides which 100 of the
 * 125 prompts a set holds (an instrument set drops "classical", a genre set drops "happy").
 */
export const PROMPT_TEMPLATE = 'Compose a [MOOD] [GENRE] piece, with a [INSTRUMENTS] melody. Use a [TEMPO] tempo.';

export type PromptSlot = 'GENRE' | 'MOOD' | 'INSTRUMENTS' | 'TEMPO';

/** Outermost first, as the study's code nests its loops. */
export const ENUMERATION_ORDER: readonly PromptSlot[] = ['GENRE', 'MOOD', 'INSTRUMENTS', 'TEMPO'];

export const SLOT_VALUES: Readonly<Record<PromptSlot, readonly string[]>> = {
  MOOD: ['emotional', 'passionate', 'groovy', 'energetic', 'happy'],
  GENRE: ['rock', 'pop', 'electronic', 'jazz', 'classical'],
  INSTRUMENTS: ['guitar', 'piano', 'trumpet', 'violin', 'flute'],
  TEMPO: ['fast', 'medium', 'slow', 'slow to medium', 'medium to fast'],
};

/** The paper's prompts per concept. */
export const DEFAULT_PROMPT_COUNT = 100;

export class ConceptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConceptError';
  }
}

export function fillTemplate(values: Readonly<Record<PromptSlot, string>>): string {
  return PROMPT_TEMPLATE.replace('[MOOD]', values.MOOD).replace('[GENRE]', values.GENRE).replace('[INSTRUMENTS]', values.INSTRUMENTS).replace('[TEMPO]', values.TEMPO);
}

/** How many prompts a set that fixes one slot can hold (5 · 5 · 5 = 125). */
export function templatePromptCount(fixed: PromptSlot): number {
  return ENUMERATION_ORDER.filter((slot) => slot !== fixed).reduce((count, slot) => count * SLOT_VALUES[slot].length, 1);
}

/**
 * The first `count` prompts with `fixed` set to `value` (which need not be one of the slot's list:
 * the study's genre sets use "hiphop", absent from GENRE).
 */
export function templatePrompts(fixed: PromptSlot, value: string, count = DEFAULT_PROMPT_COUNT): string[] {
  const available = templatePromptCount(fixed);
  if (!Number.isInteger(count) || count < 1) throw new ConceptError(`prompt count must be a whole number ≥ 1, got ${count}`);
  if (count > available) throw new ConceptError(`only ${available} template prompts exist with ${fixed} fixed, asked for ${count}`);
  if (value.trim() === '') throw new ConceptError(`the value of ${fixed} is empty`);
  const free = ENUMERATION_ORDER.filter((slot) => slot !== fixed);
  const prompts: string[] = [];
  // Mixed-radix counting over the free slots, last slot fastest: the nested loops of the study.
  for (let index = 0; index < count; index++) {
    const values = { [fixed]: value } as Record<PromptSlot, string>;
    let rest = index;
    for (let s = free.length - 1; s >= 0; s--) {
      const list = SLOT_VALUES[free[s]];
      values[free[s]] = list[rest % list.length];
      rest = Math.floor(rest / list.length);
    }
    prompts.push(fillTemplate(values));
  }
  return prompts;
}
