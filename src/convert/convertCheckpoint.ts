/**
 * Turns a Hugging Face MusicGen checkpoint into a lab bundle: per-layer ONNX graphs plus a
 * manifest. Graphs are built and written one at a time, so memory stays about one layer's
 * weights whatever the depth. No Node imports: this also runs in a browser worker.
 */
import { BUNDLE_FORMAT, BUNDLE_VERSION, type BundleManifest, type CrossKvGraph, type FileEntry, type WeightDtype } from '../bundle/manifest';
import type { MusicgenConfig } from '../checkpoint/musicgenConfig';
import { validateDecoderTensors } from '../checkpoint/openCheckpoint';
import type { TensorReader } from '../checkpoint/types';
import { ALL_WEIGHT_DTYPES, isWeightDtype } from '../bundle/weightDtypes';
import { allHookNames } from '../engine/hooks';
import { checkExtraFiles, type ExtraFiles } from './checkExtras';
import { scanningReader } from './finiteWeights';
import { buildBlockGraph } from './graphs/block';
import { buildCrossKvGraph, planCrossKvRanges, type LayerRange } from './graphs/crossKv';
import { buildEmbedGraph } from './graphs/embed';
import { buildHeadGraph } from './graphs/head';
import { sha256Hex } from './sha256';

export const CONVERTER_VERSION = 'musicgen-lab-convert 2';

export const bundleFileNames = {
  embed: 'embed.onnx',
  block: (layer: number) => `block_${layer}.onnx`,
  crossKv: (index: number) => `cross_kv_${index}.onnx`,
  head: 'head.onnx',
  tokenizer: 'tokenizer.json',
  textEncoder: 'text_encoder.onnx',
  audioDecoder: 'encodec_decode.onnx',
  manifest: 'manifest.json',
} as const;

export interface ConvertProgress {
  done: number;
  total: number;
  label: string; // the file just written
}

export interface ConvertOptions {
  reader: TensorReader;
  config: MusicgenConfig;
  dtype: WeightDtype;
  name: string;
  /** Where the weights came from (repo id or folder); recorded in the manifest. */
  checkpointLabel: string;
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  /** Files copied into the bundle as they are (tokenizer.json, text_encoder.onnx, encodec_decode.onnx). */
  extras?: ExtraFiles;
  /** Names of the extra files for messages (the paths the user gave). */
  extraLabels?: { tokenizer?: string; textEncoder?: string; audioDecoder?: string };
  notes?: string;
  /** Most weight bytes per cross_kv graph (default 1.5e9). */
  maxGraphBytes?: number;
  onProgress?(progress: ConvertProgress): void;
  signal?: AbortSignal;
}

/** One file of the bundle, produced only when its turn comes. */
interface PlannedFile {
  path: string;
  produce(): Promise<Uint8Array>;
}

function abortError(nextFile: string): Error {
  return new DOMException(`convertCheckpoint: aborted before writing ${nextFile}`, 'AbortError');
}

/**
 * Everything is checked before the first file is written: options, extra files, the config against
 * the checkpoint and every tensor's shape. Weights are scanned for NaN/±Infinity (and float16
 * overflow) as each graph is built.
 */
export async function convertCheckpoint(options: ConvertOptions): Promise<BundleManifest> {
  const { config, dtype, extras = {}, signal } = options;
  if (!isWeightDtype(dtype)) throw new Error(`convertCheckpoint: dtype must be one of ${ALL_WEIGHT_DTYPES.join(', ')}, got ${JSON.stringify(dtype)}`);
  if (!options.name.trim()) throw new Error('convertCheckpoint: name must not be empty');
  if ((extras.tokenizer === undefined) !== (extras.textEncoder === undefined)) {
    throw new Error('convertCheckpoint: extras.tokenizer and extras.textEncoder must be given together (the bundle text side needs both)');
  }
  checkExtraFiles(extras, options.extraLabels);
  validateDecoderTensors(config, options.reader);
  const reader = scanningReader(options.reader, dtype);

  const ranges: LayerRange[] = planCrossKvRanges(config, dtype, options.maxGraphBytes);
  const layers = Array.from({ length: config.numLayers }, (_, l) => l);
  const given = (bytes: Uint8Array | undefined, path: string): PlannedFile[] => (bytes ? [{ path, produce: async () => bytes }] : []);
  const plan: PlannedFile[] = [
    { path: bundleFileNames.embed, produce: () => buildEmbedGraph(reader, config, dtype) },
    ...layers.map((l) => ({ path: bundleFileNames.block(l), produce: () => buildBlockGraph(reader, config, l, dtype) })),
    ...ranges.map((range, i) => ({ path: bundleFileNames.crossKv(i), produce: () => buildCrossKvGraph(reader, config, range, dtype) })),
    { path: bundleFileNames.head, produce: () => buildHeadGraph(reader, config, dtype) },
    ...given(extras.tokenizer, bundleFileNames.tokenizer),
    ...given(extras.textEncoder, bundleFileNames.textEncoder),
    ...given(extras.audioDecoder, bundleFileNames.audioDecoder),
  ];

  const written = new Map<string, FileEntry>();
  for (const file of plan) {
    if (signal?.aborted) throw abortError(file.path);
    const bytes = await file.produce();
    await options.writeFile(file.path, bytes);
    written.set(file.path, { path: file.path, bytes: bytes.byteLength, sha256: await sha256Hex(bytes) });
    options.onProgress?.({ done: written.size, total: plan.length, label: file.path });
  }
  if (signal?.aborted) throw abortError(bundleFileNames.manifest);

  const entry = (path: string): FileEntry => written.get(path)!;
  const crossKv: CrossKvGraph[] = ranges.map((range, i) => ({ file: entry(bundleFileNames.crossKv(i)), ...range }));
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    name: options.name,
    source: { checkpoint: options.checkpointLabel, converter: CONVERTER_VERSION },
    config,
    dtype,
    graphs: {
      embed: entry(bundleFileNames.embed),
      blocks: layers.map((l) => entry(bundleFileNames.block(l))),
      crossKv,
      head: entry(bundleFileNames.head),
    },
    ...(extras.tokenizer && extras.textEncoder
      ? { text: { tokenizer: entry(bundleFileNames.tokenizer), encoder: entry(bundleFileNames.textEncoder) } }
      : {}),
    ...(extras.audioDecoder ? { audio: { decoder: entry(bundleFileNames.audioDecoder) } } : {}),
    hooks: allHookNames(config.numLayers),
    ...(options.notes !== undefined ? { notes: options.notes } : {}),
  };
  await options.writeFile(bundleFileNames.manifest, new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
  return manifest;
}
