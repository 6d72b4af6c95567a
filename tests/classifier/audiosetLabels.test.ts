import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelsModuleSource } from '../../scripts/make-audioset-labels';
import { AUDIOSET_CLASS_COUNT, AUDIOSET_LABELS } from '../../src/classifier/audiosetLabels';
import { parseLabelsCsv } from '../../src/classifier/labelsCsv';

const CSV = readFileSync(resolve(__dirname, '../../../shared/data/audioset/class_labels_indices.csv'), 'utf8');

describe('AudioSet labels module', () => {
  it('holds the CSV\'s 527 display names in index order', () => {
    const rows = parseLabelsCsv(CSV);
    expect(AUDIOSET_CLASS_COUNT).toBe(527);
    expect(AUDIOSET_LABELS).toEqual(rows.map((row) => row.name));
    expect([AUDIOSET_LABELS[0], AUDIOSET_LABELS[140], AUDIOSET_LABELS[191], AUDIOSET_LABELS[245], AUDIOSET_LABELS[526]]).toEqual(['Speech', 'Guitar', 'Violin, fiddle', 'Electronic dance music', 'Field recording']);
  });

  it('is exactly what scripts/make-audioset-labels.ts generates (run `npm run make-audioset-labels` if not)', () => {
    expect(readFileSync(resolve(__dirname, '../../src/classifier/audiosetLabels.ts'), 'utf8')).toBe(labelsModuleSource(CSV));
  });
});
