/**
 * The page's model URL grammar:
 *   (none)                       the bundled demo model
 *   ?model=hf:<owner>/<repo>[@revision]   a MusicGen checkpoint on the hub, converted in the page
 *   ?hub=<base URL>              the hub endpoint (default https://huggingface.co): a mirror or a test server
 *   ?model=<bundle folder URL>   a converted lab bundle served as a static folder
 */
import type { WeightDtype } from '../bundle/manifest';
import { DEFAULT_HUB_ENDPOINT } from '../checkpoint/location';
import { storedModelId } from '../storage/bundleStore';

export interface HubModelRef {
  kind: 'hub';
  repo: string; // owner/name
  revision: string; // branch, tag or commit
  endpoint: string; // no trailing slash
}

export type ModelRef = { kind: 'demo' } | HubModelRef | { kind: 'bundle'; url: string };

export class ModelRefError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelRefError';
  }
}

/** Checkpoints the lab offers as presets; all mono, text-only. */
export const HUB_PRESETS = [
  { repo: 'facebook/musicgen-small', layers: 24, note: '300M parameters, 2.36 GB checkpoint' },
  { repo: 'facebook/musicgen-medium', layers: 48, note: '1.5B parameters' },
  { repo: 'facebook/musicgen-large', layers: 48, note: '3.3B parameters' },
] as const;

/** Where the text encoder, the EnCodec decoder and the tokenizer come from (the same for every MusicGen size). */
export const SIDE_FILES_REPO = 'Xenova/musicgen-small';

const REPO_PATTERN = /^[\w.-]+\/[\w.-]+$/;
const REVISION_PATTERN = /^[\w./-]+$/;

/** Throws for checkpoints the lab cannot run, before anything is downloaded. */
export function refuseUnsupportedRepo(repo: string): void {
  const name = repo.toLowerCase();
  if (name.includes('melody')) {
    throw new ModelRefError(`${repo} is a melody-conditioned MusicGen; the lab runs text-only checkpoints (e.g. facebook/musicgen-small)`);
  }
  if (name.includes('stereo')) {
    throw new ModelRefError(`${repo} is a stereo MusicGen; the lab runs mono checkpoints (e.g. facebook/musicgen-small)`);
  }
}

/** Normalises a hub endpoint: absolute http(s) URL, no trailing slash. */
export function parseHubEndpoint(value: string | null | undefined, pageUrl?: string): string {
  if (value === null || value === undefined || value.trim() === '') return DEFAULT_HUB_ENDPOINT;
  let url: URL;
  try {
    url = new URL(value.trim(), pageUrl);
  } catch {
    throw new ModelRefError(`hub "${value}" is not a URL (expected e.g. https://huggingface.co or a mirror's address)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ModelRefError(`hub "${value}" must be an http(s) URL`);
  return url.href.replace(/\/+$/, '');
}

/** Parses `owner/repo[@revision]` (with or without the `hf:` prefix). */
export function parseHubRepo(value: string, endpoint = DEFAULT_HUB_ENDPOINT): HubModelRef {
  const spec = value.trim().replace(/^hf:/, '');
  const at = spec.indexOf('@');
  const repo = at < 0 ? spec : spec.slice(0, at);
  const revision = at < 0 ? 'main' : spec.slice(at + 1);
  if (!REPO_PATTERN.test(repo)) {
    throw new ModelRefError(`"${value}" is not a hub repository (expected owner/name, e.g. facebook/musicgen-small, optionally @revision)`);
  }
  if (revision === '' || !REVISION_PATTERN.test(revision) || revision.split('/').includes('..')) {
    throw new ModelRefError(`"${revision}" is not a valid revision (a branch, tag or commit)`);
  }
  refuseUnsupportedRepo(repo);
  return { kind: 'hub', repo, revision, endpoint };
}

/** Reads `?model=` and `?hub=` from a page's query string; bundle URLs are resolved against the page. */
export function parseModelParams(params: URLSearchParams, pageUrl: string): ModelRef {
  const model = params.get('model');
  const endpoint = parseHubEndpoint(params.get('hub'), pageUrl);
  if (model === null || model.trim() === '') return { kind: 'demo' };
  if (model.startsWith('hf:')) return parseHubRepo(model, endpoint);
  try {
    return { kind: 'bundle', url: new URL(model, pageUrl).href };
  } catch {
    throw new ModelRefError(`model "${model}" is neither hf:<owner>/<repo> nor a bundle folder URL`);
  }
}

/** The display name of a hub model: `owner/repo` or `owner/repo@revision`. */
export function hubModelLabel(ref: HubModelRef): string {
  return ref.revision === 'main' ? ref.repo : `${ref.repo}@${ref.revision}`;
}

/** The stored model id of a hub model converted to `dtype`: each dtype of a repo is its own stored model. */
export function hubStoredId(ref: Pick<HubModelRef, 'repo' | 'revision'>, dtype: WeightDtype): string {
  return storedModelId(`hf-${ref.repo}-${ref.revision}-${dtype}`);
}
