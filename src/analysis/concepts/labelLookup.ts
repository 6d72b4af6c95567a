/** Resolves AudioSet labels given by index or display name, with clear errors for typos. */
import { AUDIOSET_CLASS_COUNT, AUDIOSET_LABELS } from '../../classifier/audiosetLabels';
import { ConceptError } from './promptTemplate';

const byLowerName = new Map(AUDIOSET_LABELS.map((name, index) => [name.toLowerCase(), index]));

/** Up to three display names that contain the wanted text (case-insensitive). */
function suggestions(wanted: string): string[] {
  const needle = wanted.toLowerCase();
  return AUDIOSET_LABELS.filter((name) => name.toLowerCase().includes(needle) || needle.includes(name.toLowerCase())).slice(0, 3);
}

/** A class index (0..526, or its decimal string) or an exact display name, case-insensitive. */
export function resolveLabel(label: number | string): number {
  if (typeof label === 'number' || /^\s*\d+\s*$/.test(label)) {
    const index = Number(label);
    if (!Number.isInteger(index) || index < 0 || index >= AUDIOSET_CLASS_COUNT) {
      throw new ConceptError(`label index ${label} is outside the AudioSet classes 0..${AUDIOSET_CLASS_COUNT - 1}`);
    }
    return index;
  }
  const index = byLowerName.get(label.trim().toLowerCase());
  if (index === undefined) {
    const close = suggestions(label.trim());
    throw new ConceptError(`"${label}" is not an AudioSet label${close.length ? ` (did you mean ${close.map((n) => `"${n}"`).join(', ')}?)` : ''}`);
  }
  return index;
}
