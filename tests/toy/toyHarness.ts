/** Loads the committed toy model and its classifier once for the known-answer tests, and runs rows to class probabilities. */
import { join } from 'node:path';
import { nodeBundleFiles } from '../../src/bundle/nodeBundleFiles';
import { nodeFolderLocation } from '../../src/checkpoint/nodeFolderLocation';
import type { AudioClassifier } from '../../src/classifier/audioClassifier';
import { loadClassifier } from '../../src/classifier/loadClassifier';
import { softmaxRows } from '../../src/analysis/metrics/kernel';
import { MusicgenEngine } from '../../src/engine/engine';
import type { HookName } from '../../src/engine/hooks';
import type { GenerateResult, RowSpec } from '../../src/engine/types';
import { createRuntime } from '../../src/runtime/ort';

export const TOY_DIR = 'models/toy';
/** 4 s, the study's clip length (the toy classifier is fitted on 4 s clips). */
export const FRAMES = 200;

export interface ToyHarness {
  engine: MusicgenEngine;
  classifier: AudioClassifier;
  /** Generates the rows and returns the result with each row's class probabilities [527]. */
  run(prompts: readonly string[], rows: readonly RowSpec[], capture?: readonly HookName[]): Promise<{ result: GenerateResult; probs: Float64Array[] }>;
  release(): Promise<void>;
}

export async function loadToyHarness(): Promise<ToyHarness> {
  const runtime = await createRuntime('node');
  const engine = await MusicgenEngine.load(nodeBundleFiles(TOY_DIR), runtime);
  const classifier = await loadClassifier(nodeFolderLocation(join(TOY_DIR, engine.manifest.classifier!)), runtime);
  return {
    engine,
    classifier,
    async run(prompts, rows, capture) {
      const result = await engine.generate({ prompts, frames: FRAMES, rows, capture });
      const audio = await engine.decodeAudio(result.rows.map((row) => row.codes), FRAMES);
      const logits = await classifier.classify(audio);
      return { result, probs: softmaxRows(logits, classifier.classes) };
    },
    release: () => engine.release(),
  };
}
