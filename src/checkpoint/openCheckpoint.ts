/**
 * Opens a Hugging Face MusicGen checkpoint folder: config.json plus model.safetensors, or a sharded
 * model.safetensors.index.json. Only headers are read here; tensors are read on demand.
 */
import type { CheckpointLocation } from './location';
import { checkRelativePath } from './location';
import { hfNames, parseMusicgenConfig, type MusicgenConfig } from './musicgenConfig';
import { CheckpointError, formatShape, isFloatDtype, missingTensorError, openSafetensors } from './safetensors';
import type { ByteSource, TensorReader } from './types';

export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'model.safetensors';
export const WEIGHTS_INDEX_FILE = 'model.safetensors.index.json';

/** config.json and index files are small; refuse anything bigger than this before downloading it. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

export interface OpenedCheckpoint {
  config: MusicgenConfig;
  reader: TensorReader;
  /** Releases open file handles (Node); a no-op for other locations. */
  close(): Promise<void>;
}

async function closeSource(source: ByteSource): Promise<void> {
  const closable = source as ByteSource & { close?: () => Promise<void> };
  if (typeof closable.close === 'function') await closable.close().catch(() => undefined);
}

async function readJson(location: CheckpointLocation, relativePath: string, source: ByteSource): Promise<unknown> {
  const where = `${location.name}/${relativePath}`;
  const size = await source.size();
  if (size > MAX_JSON_BYTES) {
    throw new CheckpointError(`${where} is ${size} bytes, too large for a JSON file of a checkpoint`, { source: where, code: 'format' });
  }
  const text = new TextDecoder().decode(await source.read(0, size));
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CheckpointError(`${where} is not valid JSON (${(cause as Error).message})`, { source: where, code: 'format', cause });
  }
}

/** Opens `relativePath` if the location has it; undefined when it does not. */
async function openIfPresent(location: CheckpointLocation, relativePath: string): Promise<ByteSource | undefined> {
  if (location.exists !== undefined) {
    return (await location.exists(relativePath)) ? location.open(relativePath) : undefined;
  }
  try {
    const source = await location.open(relativePath);
    await source.size(); // remote and lazy sources only report a missing file on first use
    return source;
  } catch (error) {
    if (error instanceof CheckpointError && error.code === 'not-found') return undefined;
    throw error;
  }
}

/** Parses `weight_map` (tensor name -> shard file) of a sharded checkpoint's index. */
function parseWeightMap(where: string, json: unknown): Map<string, string> {
  const weightMap = (json as { weight_map?: unknown } | null)?.weight_map;
  if (weightMap === null || typeof weightMap !== 'object' || Array.isArray(weightMap)) {
    throw new CheckpointError(`${where} has no "weight_map" object (tensor name -> shard file)`, { source: where, code: 'format' });
  }
  const map = new Map<string, string>();
  for (const [tensor, file] of Object.entries(weightMap as Record<string, unknown>)) {
    if (typeof file !== 'string') {
      throw new CheckpointError(`${where}: weight_map["${tensor}"] is ${JSON.stringify(file)}, expected a file name`, {
        source: where,
        code: 'format',
      });
    }
    checkRelativePath(where, file);
    map.set(tensor, file);
  }
  return map;
}

/**
 * One TensorReader over several safetensors shards, routed by `weightMap` (tensor -> shard file).
 * Every mapped tensor must exist in its shard.
 */
export function combineTensorReaders(name: string, shards: ReadonlyMap<string, TensorReader>, weightMap: ReadonlyMap<string, string>): TensorReader {
  const problems: string[] = [];
  for (const [tensor, file] of weightMap) {
    const shard = shards.get(file);
    if (shard === undefined) problems.push(`"${tensor}" is mapped to ${file}, which was not opened`);
    else if (!shard.has(tensor)) problems.push(`"${tensor}" is mapped to ${file}, which does not contain it`);
  }
  if (problems.length > 0) {
    throw new CheckpointError(`${name}: the index does not match its shards: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}`, {
      source: name,
      code: 'format',
    });
  }
  const shardOf = (tensor: string): TensorReader => {
    const file = weightMap.get(tensor);
    if (file === undefined) throw missingTensorError(name, tensor, [...weightMap.keys()]);
    return shards.get(file) as TensorReader;
  };
  return {
    name,
    names: () => [...weightMap.keys()],
    has: (tensor) => weightMap.has(tensor),
    info: (tensor) => shardOf(tensor).info(tensor),
    readFloat32: async (tensor, expectShape) => shardOf(tensor).readFloat32(tensor, expectShape),
    readRaw: async (tensor) => shardOf(tensor).readRaw(tensor),
  };
}

async function openSharded(location: CheckpointLocation, indexSource: ByteSource, opened: ByteSource[]): Promise<TensorReader> {
  const where = `${location.name}/${WEIGHTS_INDEX_FILE}`;
  const weightMap = parseWeightMap(where, await readJson(location, WEIGHTS_INDEX_FILE, indexSource));
  const files = [...new Set(weightMap.values())];
  const readers = await Promise.all(
    files.map(async (file) => {
      const source = await location.open(file);
      opened.push(source);
      return [file, await openSafetensors(source)] as const;
    }),
  );
  return combineTensorReaders(where, new Map(readers), weightMap);
}

/** Reads and checks config.json, then opens the weights (single file or sharded) lazily. */
export async function openCheckpoint(location: CheckpointLocation): Promise<OpenedCheckpoint> {
  const opened: ByteSource[] = [];
  const close = async () => {
    await Promise.all(opened.splice(0).map(closeSource));
  };
  try {
    const configSource = await location.open(CONFIG_FILE);
    opened.push(configSource);
    const config = parseMusicgenConfig(await readJson(location, CONFIG_FILE, configSource), `${location.name}/${CONFIG_FILE}`);

    let reader: TensorReader;
    const weights = await openIfPresent(location, WEIGHTS_FILE);
    if (weights !== undefined) {
      opened.push(weights);
      reader = await openSafetensors(weights);
    } else {
      const index = await openIfPresent(location, WEIGHTS_INDEX_FILE);
      if (index === undefined) {
        throw new CheckpointError(`${location.name} has neither ${WEIGHTS_FILE} nor ${WEIGHTS_INDEX_FILE}`, {
          source: location.name,
          code: 'not-found',
        });
      }
      opened.push(index);
      reader = await openSharded(location, index, opened);
    }
    await closeSource(configSource);
    return { config, reader, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface TensorSpec {
  name: string;
  shape: number[];
}

/** Every decoder-side tensor the converter reads, with the shape the config implies. */
export function decoderTensorSpecs(config: MusicgenConfig): TensorSpec[] {
  const d = config.hiddenSize;
  const specs: TensorSpec[] = [];
  for (let k = 0; k < config.numCodebooks; k++) specs.push({ name: hfNames.embed(k), shape: [config.codebookSize + 1, d] });
  for (let layer = 0; layer < config.numLayers; layer++) {
    for (const attention of ['self_attn', 'encoder_attn']) {
      for (const proj of ['q_proj', 'k_proj', 'v_proj', 'out_proj']) {
        specs.push({ name: hfNames.layer(layer, `${attention}.${proj}.weight`), shape: [d, d] });
      }
    }
    for (const norm of ['self_attn_layer_norm', 'encoder_attn_layer_norm', 'final_layer_norm']) {
      specs.push({ name: hfNames.layer(layer, `${norm}.weight`), shape: [d] });
      specs.push({ name: hfNames.layer(layer, `${norm}.bias`), shape: [d] });
    }
    specs.push({ name: hfNames.layer(layer, 'fc1.weight'), shape: [config.ffnDim, d] });
    specs.push({ name: hfNames.layer(layer, 'fc2.weight'), shape: [d, config.ffnDim] });
  }
  specs.push({ name: hfNames.finalNorm('weight'), shape: [d] }, { name: hfNames.finalNorm('bias'), shape: [d] });
  for (let k = 0; k < config.numCodebooks; k++) specs.push({ name: hfNames.lmHead(k), shape: [config.codebookSize, d] });
  specs.push({ name: hfNames.encToDec('weight'), shape: [d, config.textHiddenSize] }, { name: hfNames.encToDec('bias'), shape: [d] });
  return specs;
}

/** Thrown by validateDecoderTensors; `problems` lists every one found (the message shows the first 40). */
export class DecoderTensorsError extends CheckpointError {
  readonly problems: readonly string[];

  constructor(source: string, problems: string[]) {
    const shown = problems.slice(0, 40).map((p) => `  - ${p}`);
    if (problems.length > shown.length) shown.push(`  - ... and ${problems.length - shown.length} more`);
    super(`${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'} with the decoder tensors:\n${shown.join('\n')}`, {
      source,
      code: 'shape',
    });
    this.name = 'DecoderTensorsError';
    this.problems = problems;
  }
}

/** How many of `names` are indexed by `pattern`'s first group: one more than the largest index, 0 when none. */
function countIndexed(names: readonly string[], pattern: RegExp): number {
  let count = 0;
  for (const name of names) {
    const match = pattern.exec(name);
    if (match) count = Math.max(count, Number(match[1]) + 1);
  }
  return count;
}

/**
 * Checks that config.json and the checkpoint agree on the number of decoder layers and codebooks,
 * naming both: a 2-layer config over a 3-layer checkpoint would otherwise convert 2 layers silently.
 */
export function checkConfigAgainstCheckpoint(config: MusicgenConfig, reader: TensorReader): void {
  const names = reader.names();
  const layers = countIndexed(names, /^decoder\.model\.decoder\.layers\.(\d+)\./);
  if (layers !== config.numLayers) {
    throw new CheckpointError(
      `config.json says num_hidden_layers = ${config.numLayers}, but ${reader.name} holds ${layers} decoder layer${layers === 1 ? '' : 's'}; the config and the weights are from different models`,
      { source: reader.name, code: 'shape' },
    );
  }
  const codebooks = countIndexed(names, /^decoder\.model\.decoder\.embed_tokens\.(\d+)\./);
  if (codebooks !== config.numCodebooks) {
    throw new CheckpointError(
      `config.json says num_codebooks = ${config.numCodebooks}, but ${reader.name} holds ${codebooks} codebook embedding${codebooks === 1 ? '' : 's'}; the config and the weights are from different models`,
      { source: reader.name, code: 'shape' },
    );
  }
}

/**
 * Checks the config against the checkpoint (layer and codebook counts, before any per-layer list
 * is built), then that every decoder tensor exists with the shape `config` implies and a float
 * dtype; reports all tensor problems at once.
 */
export function validateDecoderTensors(config: MusicgenConfig, reader: TensorReader): void {
  checkConfigAgainstCheckpoint(config, reader);
  const problems: string[] = [];
  for (const spec of decoderTensorSpecs(config)) {
    if (!reader.has(spec.name)) {
      problems.push(`missing "${spec.name}" (expected ${formatShape(spec.shape)})`);
      continue;
    }
    const info = reader.info(spec.name);
    if (info.shape.length !== spec.shape.length || info.shape.some((v, i) => v !== spec.shape[i])) {
      problems.push(`"${spec.name}" has shape ${formatShape(info.shape)}, expected ${formatShape(spec.shape)}`);
    }
    if (!isFloatDtype(info.dtype)) problems.push(`"${spec.name}" has dtype ${info.dtype}, expected F32, F16 or BF16`);
  }
  if (problems.length > 0) throw new DecoderTensorsError(reader.name, problems);
}
