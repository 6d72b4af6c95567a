/** Finding AudioSet labels by typed text (pure): the custom-concept form's search box. */
import { AUDIOSET_LABELS } from '../../../classifier/audiosetLabels';

export interface LabelMatch {
  index: number; // AudioSet class index, 0..526
  name: string;
}

/**
 * Labels whose name contains every word of `query` (case-insensitive), names that start with the
 * query first, then in AudioSet order; a number finds that class index. At most `limit`.
 */
export function searchLabels(query: string, limit = 12, labels: readonly string[] = AUDIOSET_LABELS): LabelMatch[] {
  const text = query.trim().toLowerCase();
  if (text === '') return [];
  if (/^\d+$/.test(text)) {
    const index = Number(text);
    return index < labels.length ? [{ index, name: labels[index] }] : [];
  }
  const words = text.split(/\s+/);
  const matches = labels.map((name, index) => ({ index, name })).filter(({ name }) => words.every((word) => name.toLowerCase().includes(word)));
  const starts = (match: LabelMatch) => (match.name.toLowerCase().startsWith(text) ? 0 : 1);
  return matches.sort((a, b) => starts(a) - starts(b) || a.index - b.index).slice(0, limit);
}
