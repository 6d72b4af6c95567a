import { describe, expect, it } from 'vitest';
import { resolveLabel } from '../../src/analysis/concepts/labelLookup';
import { loadClassifier } from '../../src/classifier/loadClassifier';
import { nodeFolderLocation } from '../../src/checkpoint/nodeFolderLocation';
import { createRuntime } from '../../src/runtime/ort';
import { INSTRUMENTS } from '../../src/toy/concepts';
import { intendedCodes } from '../../src/toy/intendedCodes';
import { renderReference } from '../../src/toy/referenceSynth';
import { GENRE_LABELS, INSTRUMENT_LABELS, sceneTargets, trainingScenes } from '../../src/toy/toyClassifier';

describe('toy classifier', () => {
  it('targets the scene\'s study labels above the other instruments\' and genres\'', () => {
    const y = sceneTargets({ instrument: 'violin', genre: 'jazz' });
    expect(y[resolveLabel('Violin, fiddle')]).toBeGreaterThan(y[resolveLabel('Guitar')]);
    expect(y[resolveLabel('Jazz')]).toBeGreaterThan(y[resolveLabel('Rock music')]);
    expect(y[resolveLabel('Sine wave')]).toBeLessThan(sceneTargets({})[resolveLabel('Sine wave')]);
    expect(trainingScenes()).toHaveLength(6 * 6 * 4);
  });

  it('loads from models/toy/classifier with the AST contract and names each instrument of a held-out render', async () => {
    const classifier = await loadClassifier(nodeFolderLocation('models/toy/classifier'), await createRuntime('node'));
    expect(classifier.classes).toBe(527);
    const clips = INSTRUMENTS.map((instrument, i) => renderReference(intendedCodes({ instrument, genre: 'rock', mood: 'groovy', tempo: 'medium to fast', phase: 5 + i }, 200), 200));
    const logits = await classifier.classify(clips);
    const labels = INSTRUMENTS.map((name) => resolveLabel(INSTRUMENT_LABELS[name][0]));
    INSTRUMENTS.forEach((name, i) => {
      const scores = labels.map((label) => logits[i * 527 + label]);
      expect(scores.indexOf(Math.max(...scores)), name).toBe(i);
      expect(logits[i * 527 + resolveLabel(GENRE_LABELS.rock[0])]).toBeGreaterThan(logits[i * 527 + resolveLabel(GENRE_LABELS.jazz[0])]);
    });
  }, 120_000);
});
