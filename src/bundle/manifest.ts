/**
 * The lab bundle manifest (`manifest.json`): everything the engine needs to know about a
 * converted model, parsed once with clear errors (no untyped config reads elsewhere).
 */
import { checkMusicgenConfig, type MusicgenConfig } from '../checkpoint/musicgenConfig';
import { ALL_WEIGHT_DTYPES, isWeightDtype } from './weightDtypes';

export const BUNDLE_FORMAT = 'musicgen-lab-bundle';
export const BUNDLE_VERSION = 2;

export type WeightDtype = 'fp32' | 'fp16' | 'q8' | 'q4';

export interface FileEntry {
  /** Path relative to the manifest's folder (or an absolute URL for text/audio graphs kept elsewhere). */
  path: string;
  bytes: number;
  sha256: string;
}

export interface CrossKvGraph {
  file: FileEntry;
  /** Layers [first, last) whose cross-attention K/V this graph computes. */
  firstLayer: number;
  lastLayer: number;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  version: typeof BUNDLE_VERSION;
  name: string;
  /** Where the weights came from (checkpoint name or folder) and the converter version. */
  source: { checkpoint: string; converter: string };
  config: MusicgenConfig;
  dtype: WeightDtype;
  graphs: {
    embed: FileEntry;
    blocks: FileEntry[]; // one per decoder layer, index = layer
    crossKv: CrossKvGraph[];
    head: FileEntry;
  };
  /** Text side (T5 tokenizer + encoder). Optional: a bundle may be decoder-only (golden tests). */
  text?: { tokenizer: FileEntry; encoder: FileEntry };
  /** EnCodec decoder graph with the encodec_decode contract. Optional like `text`. */
  audio?: { decoder: FileEntry };
  /** Hook names this bundle exposes (for the UI); derived from config.numLayers. */
  hooks: string[];
  /** Free-form notes shown to users (e.g. "tiny random model: sounds like noise"). */
  notes?: string;
  /** A constructed model's known mechanism: per prompt slot, where it is carried and heard (see parseMechanism). */
  mechanism?: Record<string, SlotMechanism>;
  /** Folder (relative to the manifest) of the audio classifier made for this model (AST contract). */
  classifier?: string;
}

export interface SlotMechanism {
  /** Module outputs `blocks.{l}.hook_{attn,cross_attn,mlp}_out` that carry the slot. */
  sites: string[];
  /** DecoderLens depth (blocks used, 1..numLayers) from which the slot is heard. */
  audibleFromDepth: number;
  /** One sentence on how the slot travels. */
  description?: string;
}

export class ManifestError extends Error {
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'ManifestError';
  }
}

/** A path inside the bundle folder (no `..`, no absolute path, no backslash), or an http(s) URL. */
function isBundlePath(path: string): boolean {
  if (/^https?:\/\//i.test(path)) return true;
  const segments = path.split('/');
  return path !== '' && !path.includes('\\') && !/^[a-zA-Z]:/.test(path) && segments.every((s) => s !== '' && s !== '.' && s !== '..');
}

function checkFile(value: unknown, where: string, source: string): FileEntry {
  const v = value as Partial<FileEntry> | undefined;
  if (!v || typeof v.path !== 'string' || typeof v.bytes !== 'number' || typeof v.sha256 !== 'string') {
    throw new ManifestError(source, `${where} must be {path, bytes, sha256}`);
  }
  if (!isBundlePath(v.path)) throw new ManifestError(source, `${where}.path "${v.path}" leaves the bundle folder (only plain relative paths or http(s) URLs)`);
  if (!Number.isSafeInteger(v.bytes) || v.bytes < 0) throw new ManifestError(source, `${where}.bytes must be a non-negative integer, got ${v.bytes}`);
  if (!/^[0-9a-f]{64}$/.test(v.sha256)) throw new ManifestError(source, `${where}.sha256 must be 64 lowercase hex digits`);
  return { path: v.path, bytes: v.bytes, sha256: v.sha256 };
}

function checkConfig(value: unknown, source: string): MusicgenConfig {
  try {
    return checkMusicgenConfig(value, source);
  } catch (error) {
    throw new ManifestError(source, (error as Error).message.replace(`${source}: `, ''));
  }
}

function checkClassifier(value: unknown, source: string): string {
  if (typeof value !== 'string' || !isBundlePath(value)) throw new ManifestError(source, 'classifier must be a plain folder path inside the bundle (or an http(s) URL)');
  return value;
}

const MECHANISM_SITE = /^blocks\.(\d+)\.hook_(attn|cross_attn|mlp)_out$/;

/** Validates the optional `mechanism` field against the model depth. */
function parseMechanism(value: unknown, numLayers: number, source: string): Record<string, SlotMechanism> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ManifestError(source, 'mechanism must be an object of slots');
  const slots: Record<string, SlotMechanism> = {};
  for (const [slot, raw] of Object.entries(value as Record<string, unknown>)) {
    const entry = raw as Partial<SlotMechanism> | null;
    if (!entry || typeof entry !== 'object' || !Array.isArray(entry.sites)) throw new ManifestError(source, `mechanism.${slot} needs sites (hook names)`);
    for (const site of entry.sites) {
      const match = typeof site === 'string' ? MECHANISM_SITE.exec(site) : null;
      if (!match || Number(match[1]) >= numLayers) {
        throw new ManifestError(source, `mechanism.${slot}.sites: ${JSON.stringify(site)} is not blocks.{l}.hook_{attn,cross_attn,mlp}_out with l < ${numLayers}`);
      }
    }
    const depth = entry.audibleFromDepth;
    if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1 || depth > numLayers) {
      throw new ManifestError(source, `mechanism.${slot}.audibleFromDepth must be an integer in 1..${numLayers}, got ${JSON.stringify(depth)}`);
    }
    slots[slot] = { sites: [...entry.sites], audibleFromDepth: depth, ...(typeof entry.description === 'string' ? { description: entry.description } : {}) };
  }
  return slots;
}

/** Validates a decoded manifest.json; `source` names the file in errors. */
export function parseManifest(json: unknown, source = 'manifest.json'): BundleManifest {
  const m = json as Partial<BundleManifest> | null;
  if (!m || typeof m !== 'object') throw new ManifestError(source, 'expected a JSON object');
  if (m.format !== BUNDLE_FORMAT) {
    throw new ManifestError(source, `format is ${JSON.stringify(m.format)}, expected "${BUNDLE_FORMAT}" (convert the checkpoint with \`npm run convert\`)`);
  }
  if (m.version !== BUNDLE_VERSION) {
    // Version 2 changed the block graphs' KV-cache inputs and outputs: older bundles cannot run.
    throw new ManifestError(source, `bundle version ${String(m.version)} is not supported (this lab reads version ${BUNDLE_VERSION}); convert the checkpoint again (\`npm run convert\`, or remove and reinstall the model in the Models panel)`);
  }
  if (!isWeightDtype(m.dtype)) throw new ManifestError(source, `dtype must be one of ${ALL_WEIGHT_DTYPES.join(', ')}, got ${String(m.dtype)}`);
  if (m.config === undefined) throw new ManifestError(source, 'config is missing');
  const config = checkConfig(m.config, source);
  const graphs = m.graphs;
  if (!graphs) throw new ManifestError(source, 'graphs is missing');
  const blocks = Array.isArray(graphs.blocks) ? graphs.blocks.map((b, i) => checkFile(b, `graphs.blocks[${i}]`, source)) : [];
  if (blocks.length !== config.numLayers) {
    throw new ManifestError(source, `graphs.blocks has ${blocks.length} entries but config.numLayers is ${config.numLayers}`);
  }
  let nextLayer = 0;
  const crossKv = (Array.isArray(graphs.crossKv) ? graphs.crossKv : []).map((g, i) => {
    if (!g || !Number.isInteger(g.firstLayer) || !Number.isInteger(g.lastLayer)) {
      throw new ManifestError(source, `graphs.crossKv[${i}] needs integer firstLayer and lastLayer`);
    }
    if (g.firstLayer !== nextLayer || g.lastLayer <= g.firstLayer || g.lastLayer > config.numLayers) {
      throw new ManifestError(source, `graphs.crossKv[${i}] covers layers [${g.firstLayer}, ${g.lastLayer}), expected a range starting at ${nextLayer} within ${config.numLayers} layers`);
    }
    nextLayer = g.lastLayer;
    return { file: checkFile(g.file, `graphs.crossKv[${i}].file`, source), firstLayer: g.firstLayer, lastLayer: g.lastLayer };
  });
  if (nextLayer !== config.numLayers) {
    throw new ManifestError(source, `graphs.crossKv covers ${nextLayer} layers, expected ${config.numLayers}`);
  }
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    name: typeof m.name === 'string' ? m.name : 'unnamed',
    source: m.source ?? { checkpoint: 'unknown', converter: 'unknown' },
    config,
    dtype: m.dtype,
    graphs: {
      embed: checkFile(graphs.embed, 'graphs.embed', source),
      blocks,
      crossKv,
      head: checkFile(graphs.head, 'graphs.head', source),
    },
    text: m.text
      ? { tokenizer: checkFile(m.text.tokenizer, 'text.tokenizer', source), encoder: checkFile(m.text.encoder, 'text.encoder', source) }
      : undefined,
    audio: m.audio ? { decoder: checkFile(m.audio.decoder, 'audio.decoder', source) } : undefined,
    hooks: Array.isArray(m.hooks) ? m.hooks.filter((h): h is string => typeof h === 'string') : [],
    notes: typeof m.notes === 'string' ? m.notes : undefined,
    ...(m.mechanism !== undefined ? { mechanism: parseMechanism(m.mechanism, config.numLayers, source) } : {}),
    ...(m.classifier !== undefined ? { classifier: checkClassifier(m.classifier, source) } : {}),
  };
}
