/**
 * Opens a MusicGen checkpoint for conversion (from the hub or from dropped files) and the side
 * files the bundle needs, with the lab's refusals: melody and stereo checkpoints fail with one
 * clear line before any weight is fetched.
 */
import type { RangeCache } from '../checkpoint/httpRangeSource';
import { httpRangeSource, type HttpByteSource } from '../checkpoint/httpRangeSource';
import { hubFileUrl, hubLocation, type CheckpointLocation } from '../checkpoint/location';
import { ConfigError, type MusicgenConfig } from '../checkpoint/musicgenConfig';
import { openCheckpoint, validateDecoderTensors } from '../checkpoint/openCheckpoint';
import type { ByteSource, TensorReader } from '../checkpoint/types';
import { decoderTensors, SIDE_FILES, type DecoderTensor, type SideFile } from './downloadPlan';
import { ModelRefError, SIDE_FILES_REPO, type HubModelRef } from './modelRef';

export interface OpenedModelCheckpoint {
  config: MusicgenConfig;
  reader: TensorReader;
  tensors: DecoderTensor[];
}

/** Rewords the config errors a user meets most (a melody or stereo repo under another name). */
function explainConfigError(error: unknown, name: string): unknown {
  if (!(error instanceof ConfigError)) return error;
  if (/musicgen_melody/.test(error.message)) return new ModelRefError(`${name} is a melody-conditioned MusicGen; the lab runs text-only checkpoints`);
  if (/stereo/.test(error.message)) return new ModelRefError(`${name} is a stereo MusicGen; the lab runs mono checkpoints`);
  return error;
}

export async function openModelCheckpoint(location: CheckpointLocation): Promise<OpenedModelCheckpoint> {
  let opened;
  try {
    opened = await openCheckpoint(location);
  } catch (error) {
    throw explainConfigError(error, location.name);
  }
  validateDecoderTensors(opened.config, opened.reader);
  return { config: opened.config, reader: opened.reader, tensors: decoderTensors(opened.reader, opened.config) };
}

export interface HubFetchOptions {
  fetch: typeof fetch;
  cache?: RangeCache;
  onBytes?(byteCount: number): void;
}

export function hubCheckpointLocation(ref: HubModelRef, options: HubFetchOptions): CheckpointLocation {
  return hubLocation(ref.repo, { revision: ref.revision, endpoint: ref.endpoint, ...options });
}

export interface SideFileSource {
  file: SideFile;
  source: ByteSource;
  /** Fetched over the network (and so downloaded into storage first), as opposed to a picked local file. */
  remote: boolean;
  /** The sha256 the server vouches for (hub LFS), when it sends one. */
  expectedSha256(): Promise<string | undefined>;
}

/** The side files from `Xenova/musicgen-small` on `endpoint` (the hub or its mirror). */
export function hubSideFiles(endpoint: string, options: HubFetchOptions): SideFileSource[] {
  return SIDE_FILES.map((file) => {
    const source: HttpByteSource = httpRangeSource(hubFileUrl(SIDE_FILES_REPO, file.path, { endpoint }), options);
    return { file, source, remote: true, expectedSha256: () => source.contentSha256() };
  });
}
