/**
 * The cache key of a means computation: which model (the bundle's digest), which generation
 * settings, which prompts and which seed policy. Means are reused, resumed and imported only
 * when the key matches; a mismatch names the field that differs.
 */
import type { BundleManifest } from '../../bundle/manifest';
import { sha256Hex } from '../../convert/sha256';
import { promptSetHash } from '../concepts/promptSetHash';

export interface MeansSettings {
  frames: number;
  topK: number;
  temperature: number;
  guidanceScale: number;
  greedy: boolean;
}

/** The study reseeds before every generate call: every prompt samples with the same seed. */
export interface SeedPolicy {
  kind: 'same-seed-every-prompt';
  seed: number;
}

export interface MeansKey {
  /** sha256 over the bundle's config, dtype and every graph's sha256 (see bundleDigest). */
  bundle: string;
  /** The model's name, for messages only (not compared). */
  modelName: string;
  settings: MeansSettings;
  /** promptSetHash of the prompts (concepts/promptSetHash: sha256 of the JSON list, in order). */
  promptSet: string;
  promptCount: number;
  seedPolicy: SeedPolicy;
}

const encoder = new TextEncoder();

/** JSON with sorted object keys, so equal keys serialise to equal strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The model's identity: its config, dtype and the sha256 of every decoder graph in its manifest. */
export async function bundleDigest(manifest: BundleManifest): Promise<string> {
  const { graphs } = manifest;
  const identity = {
    config: manifest.config,
    dtype: manifest.dtype,
    graphs: [graphs.embed.sha256, ...graphs.blocks.map((b) => b.sha256), ...graphs.crossKv.map((c) => c.file.sha256), graphs.head.sha256],
  };
  return sha256Hex(encoder.encode(canonicalJson(identity)));
}

export async function meansKey(manifest: BundleManifest, prompts: readonly string[], settings: MeansSettings, seed: number): Promise<MeansKey> {
  return {
    bundle: await bundleDigest(manifest),
    modelName: manifest.name,
    settings: { ...settings },
    promptSet: await promptSetHash(prompts),
    promptCount: prompts.length,
    seedPolicy: { kind: 'same-seed-every-prompt', seed },
  };
}

/** Short id of a key (for file and store names). */
export async function meansKeyId(key: MeansKey): Promise<string> {
  const { modelName: _name, ...compared } = key;
  return (await sha256Hex(encoder.encode(canonicalJson(compared)))).slice(0, 16);
}

/**
 * Why `found` cannot stand in for `wanted`, or null when it can. The model comes first: a means
 * file of another model is the mistake users make most.
 */
export function keyMismatch(found: MeansKey, wanted: MeansKey): string | null {
  if (found.bundle !== wanted.bundle) {
    return `it was computed with another model ("${found.modelName}", bundle ${found.bundle.slice(0, 12)}…), not the loaded "${wanted.modelName}" (bundle ${wanted.bundle.slice(0, 12)}…)`;
  }
  for (const field of Object.keys(wanted.settings) as (keyof MeansSettings)[]) {
    if (found.settings[field] !== wanted.settings[field]) return `its ${field} is ${found.settings[field]}, this run's is ${wanted.settings[field]}`;
  }
  if (found.seedPolicy.kind !== wanted.seedPolicy.kind || found.seedPolicy.seed !== wanted.seedPolicy.seed) {
    return `its seed is ${found.seedPolicy.seed}, this run's is ${wanted.seedPolicy.seed}`;
  }
  if (found.promptSet !== wanted.promptSet) return `its ${found.promptCount} prompts are not this run's ${wanted.promptCount}`;
  return null;
}
