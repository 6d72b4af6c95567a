/**
 * Loads an AST AudioSet classifier folder laid out like the hub repo
 * Xenova/ast-finetuned-audioset-10-10-0.4593 (config.json, preprocessor_config.json,
 * onnx/model.onnx or onnx/model_quantized.onnx) from any CheckpointLocation: the hub (range
 * requests, Cache API), a static folder URL, a local folder (Node) or dropped files.
 */
import type { CheckpointLocation } from '../checkpoint/location';
import { CheckpointError } from '../checkpoint/safetensors';
import type { ByteSource } from '../checkpoint/types';
import { AbortedError } from '../engine/loadedModel';
import type { Runtime } from '../runtime/ort';
import { AudioClassifier } from './audioClassifier';
import { ClassifierConfigError, parseClassifierSpec } from './classifierConfig';

export const CLASSIFIER_MODEL_FILES = { fp32: 'onnx/model.onnx', quantized: 'onnx/model_quantized.onnx' } as const;
/** The real classifier on the Hugging Face hub (347 MB float32, 91 MB quantised). */
export const AST_AUDIOSET_REPO = 'Xenova/ast-finetuned-audioset-10-10-0.4593';

/** `auto`: model.onnx when the folder has it, else model_quantized.onnx. */
export type ClassifierVariant = 'auto' | keyof typeof CLASSIFIER_MODEL_FILES;

export interface ClassifierLoadProgress {
  file: string;
  loadedBytes: number;
  totalBytes: number;
}

export interface LoadClassifierOptions {
  variant?: ClassifierVariant;
  onProgress?: (progress: ClassifierLoadProgress) => void;
  signal?: AbortSignal;
}

const FOLDER_HINT = 'an AST classifier folder holds config.json, preprocessor_config.json and onnx/model.onnx or onnx/model_quantized.onnx';
const READ_CHUNK_BYTES = 16 * 2 ** 20;


/** Reads a whole file in chunks, reporting bytes and checking for cancellation between chunks. */
async function readWhole(source: ByteSource, file: string, options: LoadClassifierOptions): Promise<Uint8Array> {
  const total = await source.size();
  const bytes = new Uint8Array(total);
  for (let start = 0; start < total; start += READ_CHUNK_BYTES) {
    if (options.signal?.aborted) throw new AbortedError('loading the classifier');
    const end = Math.min(total, start + READ_CHUNK_BYTES);
    bytes.set(await source.read(start, end), start);
    options.onProgress?.({ file, loadedBytes: end, totalBytes: total });
  }
  if (total === 0) throw new ClassifierConfigError(`${source.name} is empty`);
  return bytes;
}

/** A file of the folder; a missing one (found out at open or, over HTTP, at the first read) says what the folder should hold. */
async function readFile(location: CheckpointLocation, path: string, options: LoadClassifierOptions): Promise<Uint8Array> {
  try {
    return await readWhole(await location.open(path), path, options);
  } catch (error) {
    if (error instanceof CheckpointError && error.code === 'not-found') throw new ClassifierConfigError(`${location.name} has no ${path} (${FOLDER_HINT})`);
    throw error;
  }
}

async function readText(location: CheckpointLocation, path: string, options: LoadClassifierOptions): Promise<string> {
  return new TextDecoder().decode(await readFile(location, path, options));
}

async function chooseModelFile(location: CheckpointLocation, variant: ClassifierVariant): Promise<string> {
  if (variant !== 'auto') return CLASSIFIER_MODEL_FILES[variant];
  const hasFull = location.exists ? await location.exists(CLASSIFIER_MODEL_FILES.fp32) : true;
  return hasFull ? CLASSIFIER_MODEL_FILES.fp32 : CLASSIFIER_MODEL_FILES.quantized;
}

export async function loadClassifier(location: CheckpointLocation, runtime: Runtime, options: LoadClassifierOptions = {}): Promise<AudioClassifier> {
  // The small files first: a wrong folder fails before hundreds of megabytes are fetched.
  const spec = parseClassifierSpec(await readText(location, 'config.json', options), await readText(location, 'preprocessor_config.json', options));
  const modelFile = await chooseModelFile(location, options.variant ?? 'auto');
  const model = await readFile(location, modelFile, options);
  if (options.signal?.aborted) throw new AbortedError('loading the classifier');
  const session = await runtime.createSession(`classifier ${location.name}/${modelFile}`, model);
  try {
    // A cancel that arrived while the session was being created still wins.
    if (options.signal?.aborted) throw new AbortedError('loading the classifier');
    return new AudioClassifier(spec, session, modelFile);
  } catch (error) {
    await session.release();
    throw error;
  }
}
