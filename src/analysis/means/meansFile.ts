/**
 * Means as a safetensors file, the same bytes from the CLI, the browser's export and its store:
 * one tensor per hook ([steps, 2, d], named by the hook, so patch files can point at it), and the
 * cache key in the metadata. A finished file holds means (float32, or float16 to halve it); an
 * unfinished one holds the running sums of the prompts done so far (always float32, so a resumed
 * run adds exactly what an uninterrupted one would).
 */
import { arrayBufferSource } from '../../checkpoint/byteSources';
import { openSafetensors } from '../../checkpoint/safetensors';
import { writeSafetensors, type WritableTensor } from '../../checkpoint/safetensorsWriter';
import { parseHookName, type HookName } from '../../engine/hooks';
import { float32ArrayToFloat16 } from '../../tensor/float16';
import { canonicalJson, keyMismatch, type MeansKey } from './key';
import { meansOf, type MeanSums } from './kernel';
import { messageOf } from '../../errorMessage';

export const MEANS_FORMAT = 'musicgen-lab-means';
const MEANS_VERSION = '1';

export interface MeansFile {
  key: MeansKey;
  /** 'mean': finished, tensors are means; 'sum': unfinished, tensors are running sums over `count` prompts. */
  values: 'mean' | 'sum';
  count: number; // prompts included
  hooks: HookName[];
  steps: number;
  d: number;
  tensors: Map<HookName, Float32Array>; // per hook [steps, 2, d]
  prompts: string[];
}

function metadata(key: MeansKey, values: 'mean' | 'sum', count: number, prompts: readonly string[]): Record<string, string> {
  return {
    format: MEANS_FORMAT,
    version: MEANS_VERSION,
    key: canonicalJson(key),
    values,
    count: String(count),
    prompts: JSON.stringify(prompts),
    seed: String(key.seedPolicy.seed),
    frames: String(key.settings.frames),
  };
}

function tensorsOf(map: Map<HookName, Float32Array>, steps: number, d: number, dtype: 'F32' | 'F16'): WritableTensor[] {
  return [...map].map(([hook, data]) =>
    dtype === 'F16' ? { name: hook, dtype, shape: [steps, 2, d], data: float32ArrayToFloat16(data) } : { name: hook, dtype, shape: [steps, 2, d], data },
  );
}

/** A finished means file: means per hook; float16 halves it (activations lose ~3 decimal digits). */
export function encodeMeans(state: MeanSums, key: MeansKey, prompts: readonly string[], dtype: 'F32' | 'F16' = 'F32'): Uint8Array {
  if (state.count !== key.promptCount) throw new Error(`means are unfinished: ${state.count} of ${key.promptCount} prompts`);
  return writeSafetensors(tensorsOf(meansOf(state), state.steps, state.d, dtype), metadata(key, 'mean', state.count, prompts));
}

/** An unfinished run's state: float32 sums over the first `state.count` prompts. */
export function encodeMeanSums(state: MeanSums, key: MeansKey, prompts: readonly string[]): Uint8Array {
  return writeSafetensors(tensorsOf(state.sums, state.steps, state.d, 'F32'), metadata(key, 'sum', state.count, prompts));
}

function readMetadata(bytes: Uint8Array, source: string): Record<string, string> {
  if (bytes.length < 8) throw new Error(`${source}: not a means file (too short for safetensors)`);
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (headerLength > bytes.length - 8) throw new Error(`${source}: not a means file (truncated safetensors header)`);
  let header: { __metadata__?: Record<string, string> };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as typeof header;
  } catch {
    throw new Error(`${source}: not a means file (its safetensors header is not JSON)`);
  }
  const meta = header.__metadata__;
  if (!meta || meta.format !== MEANS_FORMAT) {
    throw new Error(`${source}: not a means file of this lab (no "${MEANS_FORMAT}" metadata; compute means with \`npm run lab -- capture --mean\` or the lab's Means panel)`);
  }
  if (meta.version !== MEANS_VERSION) throw new Error(`${source}: means file version ${meta.version} is not supported (this lab reads ${MEANS_VERSION})`);
  return meta;
}

function parseKey(json: string | undefined, source: string): MeansKey {
  try {
    const key = JSON.parse(json ?? '') as MeansKey;
    if (typeof key.bundle !== 'string' || typeof key.promptSet !== 'string' || !key.settings || !key.seedPolicy) throw new Error('incomplete');
    return key;
  } catch {
    throw new Error(`${source}: its means key is missing or damaged`);
  }
}

/** What a means file's header says (no tensor is read): its key, kind and prompt count. */
export function readMeansInfo(bytes: Uint8Array, source: string): { key: MeansKey; values: 'mean' | 'sum'; count: number; meta: Record<string, string> } {
  const meta = readMetadata(bytes, source);
  const key = parseKey(meta.key, source);
  const values = meta.values;
  if (values !== 'mean' && values !== 'sum') throw new Error(`${source}: values must be "mean" or "sum", got ${String(values)}`);
  const count = Number(meta.count);
  if (!Number.isInteger(count) || count < 0 || count > key.promptCount) throw new Error(`${source}: count ${meta.count} is not in 0..${key.promptCount}`);
  return { key, values, count, meta };
}

export async function decodeMeansFile(bytes: Uint8Array, source: string): Promise<MeansFile> {
  const { key, values, count, meta } = readMeansInfo(bytes, source);
  const reader = await openSafetensors(arrayBufferSource(bytes, source));
  const hooks = reader.names() as HookName[];
  if (hooks.length === 0) throw new Error(`${source}: holds no tensors`);
  const { shape } = reader.info(hooks[0]);
  if (shape.length !== 3 || shape[1] !== 2) throw new Error(`${source}: ${hooks[0]} has shape [${shape.join(', ')}], expected [steps, 2, d]`);
  const [steps, , d] = shape;
  const tensors = new Map<HookName, Float32Array>();
  for (const hook of hooks) tensors.set(hook, await reader.readFloat32(hook, [steps, 2, d]));
  let prompts: string[] = [];
  try {
    prompts = JSON.parse(meta.prompts ?? '[]') as string[];
  } catch {
    prompts = [];
  }
  return { key, values, count, hooks, steps, d, tensors, prompts };
}

export interface ModelIdentity {
  bundle: string; // bundleDigest of the loaded model
  modelName: string;
  numLayers: number;
  hiddenSize: number;
}

/**
 * Checks that a means file fits the loaded model (and, given a key, this exact computation);
 * throws one line that says what is wrong.
 */
export function validateMeansFile(file: MeansFile, model: ModelIdentity, source: string, wanted?: MeansKey): void {
  if (file.key.bundle !== model.bundle) {
    throw new Error(`${source}: these means belong to another model ("${file.key.modelName}", bundle ${file.key.bundle.slice(0, 12)}…), not the loaded "${model.modelName}" (bundle ${model.bundle.slice(0, 12)}…)`);
  }
  if (file.d !== model.hiddenSize) throw new Error(`${source}: activations have width ${file.d}, the model's is ${model.hiddenSize}`);
  for (const hook of file.hooks) {
    try {
      parseHookName(hook, model.numLayers);
    } catch (error) {
      throw new Error(`${source}: ${messageOf(error)}`);
    }
  }
  if (wanted) {
    const why = keyMismatch(file.key, wanted);
    if (why) throw new Error(`${source}: ${why}`);
  }
}

/** The running state an unfinished file holds, ready to continue. */
export function sumsFromFile(file: MeansFile): MeanSums {
  if (file.values !== 'sum') throw new Error('only an unfinished means file (running sums) can be resumed');
  return { hooks: file.hooks, steps: file.steps, d: file.d, count: file.count, sums: new Map(file.tensors) };
}
