/**
 * Reads an AST AudioSet classifier folder's two JSON files (the layout of the hub repo
 * Xenova/ast-finetuned-audioset-10-10-0.4593): `config.json` (id2label) and
 * `preprocessor_config.json` (the feature extractor's settings). Parsed once, typed, with
 * one-line errors that name the file and field.
 */
import type { AstFeatureSpec } from './astFeatures';
import { AST_FBANK } from './kaldiFbank';
import { AUDIOSET_CLASS_COUNT, AUDIOSET_LABELS } from './audiosetLabels';

export interface ClassifierSpec {
  /** Class names by logit index: AudioSet's 527, in AudioSet order. */
  labels: readonly string[];
  features: AstFeatureSpec;
  /** A note the folder carries about itself (the tiny demo classifier says it is random). */
  notes?: string;
}

export class ClassifierConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClassifierConfigError';
  }
}

function parseJson(text: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ClassifierConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ClassifierConfigError(`${file} must hold a JSON object`);
  return value as Record<string, unknown>;
}

function positiveInteger(object: Record<string, unknown>, key: string, file: string): number {
  const value = object[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new ClassifierConfigError(`${file}: "${key}" must be a whole number ≥ 1, got ${JSON.stringify(value)}`);
  return value;
}

function finiteNumber(object: Record<string, unknown>, key: string, file: string): number {
  const value = object[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ClassifierConfigError(`${file}: "${key}" must be a number, got ${JSON.stringify(value)}`);
  return value;
}

/** id2label → names by index; the classes must be AudioSet's, in order, since the metrics index them. */
export function parseClassifierLabels(configText: string, file = 'config.json'): { labels: string[]; notes?: string } {
  const config = parseJson(configText, file);
  const id2label = config.id2label;
  if (typeof id2label !== 'object' || id2label === null) throw new ClassifierConfigError(`${file} has no "id2label" map`);
  const entries = Object.entries(id2label as Record<string, unknown>);
  if (entries.length !== AUDIOSET_CLASS_COUNT) throw new ClassifierConfigError(`${file}: the classifier has ${entries.length} classes; the lab's metrics need AudioSet's ${AUDIOSET_CLASS_COUNT}`);
  const labels = new Array<string>(entries.length);
  for (const [id, label] of entries) {
    const index = Number(id);
    if (!Number.isInteger(index) || index < 0 || index >= entries.length || typeof label !== 'string') throw new ClassifierConfigError(`${file}: id2label entry "${id}": ${JSON.stringify(label)} is not an index 0..${entries.length - 1} with a name`);
    labels[index] = label;
  }
  const mismatch = labels.findIndex((label, i) => label !== AUDIOSET_LABELS[i]);
  if (mismatch !== -1) throw new ClassifierConfigError(`${file}: class ${mismatch} is "${labels[mismatch]}", AudioSet's is "${AUDIOSET_LABELS[mismatch]}" (the classes must be AudioSet's, in its order)`);
  const notes = typeof config.musicgen_lab_notes === 'string' ? config.musicgen_lab_notes : undefined;
  return notes === undefined ? { labels } : { labels, notes };
}

/** The ASTFeatureExtractor settings the project's features implement. */
export function parsePreprocessorConfig(text: string, file = 'preprocessor_config.json'): AstFeatureSpec {
  const config = parseJson(text, file);
  const sampleRate = positiveInteger(config, 'sampling_rate', file);
  if (sampleRate !== AST_FBANK.sampleRate) throw new ClassifierConfigError(`${file}: sampling_rate ${sampleRate} is not supported; the project's features are for ${AST_FBANK.sampleRate} Hz`);
  if (config.do_normalize === false) throw new ClassifierConfigError(`${file}: do_normalize false is not supported; AST models expect normalised features`);
  const std = finiteNumber(config, 'std', file);
  if (!(std > 0)) throw new ClassifierConfigError(`${file}: "std" must be positive, got ${std}`);
  return { numMelBins: positiveInteger(config, 'num_mel_bins', file), maxLength: positiveInteger(config, 'max_length', file), mean: finiteNumber(config, 'mean', file), std };
}

export function parseClassifierSpec(configText: string, preprocessorText: string): ClassifierSpec {
  const { labels, notes } = parseClassifierLabels(configText);
  const features = parsePreprocessorConfig(preprocessorText);
  return notes === undefined ? { labels, features } : { labels, features, notes };
}
