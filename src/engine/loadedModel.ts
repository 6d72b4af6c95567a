/** Loads a lab bundle into onnxruntime sessions (the only place the engine creates sessions). */
import type { BundleFiles } from '../bundle/bundleFiles';
import { parseManifest, type BundleManifest, type FileEntry } from '../bundle/manifest';
import { sha256Hex } from '../convert/sha256';
import { BlockIO } from '../bundle/graphContract';
import type { Runtime, Session, SessionOptions } from '../runtime/ort';
import { loadPromptTokenizer, type PromptTokenizer } from '../text/promptTokenizer';
import { messageOf } from '../errorMessage';

export interface CrossKvSession {
  session: Session;
  firstLayer: number;
  lastLayer: number; // exclusive
}

export interface LoadedModel {
  manifest: BundleManifest;
  runtime: Runtime;
  embed: Session;
  blocks: Session[]; // index = layer
  crossKv: CrossKvSession[];
  head: Session;
  tokenizer?: PromptTokenizer;
  textEncoder?: Session;
  audioDecoder?: Session;
  release(): Promise<void>;
}

export interface LoadProgress {
  done: number; // files finished
  total: number;
  label: string;
}

export interface LoadOptions {
  /** Check each file's size and sha256 against the manifest (default true). */
  verify?: boolean;
  onProgress?: (progress: LoadProgress) => void;
  signal?: AbortSignal;
}

/** A cancelled operation. `reason` is what the canceller passed to `abort(reason)`, kept as given. */
export class AbortedError extends Error {
  readonly reason: unknown;

  constructor(what = 'operation', reason?: unknown) {
    super(`${what} was cancelled${describeReason(reason)}`, reason === undefined ? undefined : { cause: reason });
    this.name = 'AbortError';
    this.reason = reason;
  }
}

/** ": <reason>" for a reason the caller gave; nothing for AbortController's default DOMException. */
function describeReason(reason: unknown): string {
  if (reason === undefined) return '';
  if (reason instanceof DOMException && reason.name === 'AbortError') return '';
  const text = messageOf(reason);
  return text ? `: ${text}` : '';
}

export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AbortedError(what, signal.reason);
}

export async function loadModel(files: BundleFiles, runtime: Runtime, options: LoadOptions = {}): Promise<LoadedModel> {
  const verify = options.verify ?? true;
  const manifestBytes = await files.read('manifest.json');
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch (error) {
    throw new Error(`${files.name}/manifest.json: not valid JSON (${messageOf(error)})`);
  }
  const manifest = parseManifest(manifestJson, `${files.name}/manifest.json`);
  const { graphs } = manifest;
  const entries: FileEntry[] = [graphs.embed, ...graphs.blocks, ...graphs.crossKv.map((g) => g.file), graphs.head];
  if (manifest.text) entries.push(manifest.text.tokenizer, manifest.text.encoder);
  if (manifest.audio) entries.push(manifest.audio.decoder);
  const total = entries.length;
  let done = 0;
  const created: Session[] = [];

  async function readChecked(entry: FileEntry): Promise<Uint8Array> {
    throwIfAborted(options.signal, 'loading the model');
    options.onProgress?.({ done, total, label: entry.path });
    const bytes = await files.read(entry.path);
    if (verify) {
      if (bytes.byteLength !== entry.bytes) {
        throw new Error(`${files.name}/${entry.path}: ${bytes.byteLength} bytes, the manifest says ${entry.bytes} (incomplete download?)`);
      }
      const digest = await sha256Hex(bytes);
      if (digest !== entry.sha256) throw new Error(`${files.name}/${entry.path}: sha256 ${digest} does not match the manifest's ${entry.sha256}`);
    }
    return bytes;
  }

  async function session(entry: FileEntry, sessionOptions?: SessionOptions): Promise<Session> {
    const bytes = await readChecked(entry);
    const created_ = await runtime.createSession(entry.path, bytes, sessionOptions);
    created.push(created_);
    done++;
    options.onProgress?.({ done, total, label: entry.path });
    return created_;
  }

  try {
    const embed = await session(graphs.embed);
    const blocks: Session[] = [];
    // On WebGPU the blocks keep their KV cache on the device (see DecoderForward.createCache).
    for (const block of graphs.blocks) blocks.push(await session(block, { deviceOutputs: [BlockIO.presentKey, BlockIO.presentValue] }));
    const crossKv: CrossKvSession[] = [];
    for (const graph of graphs.crossKv) crossKv.push({ session: await session(graph.file), firstLayer: graph.firstLayer, lastLayer: graph.lastLayer });
    const head = await session(graphs.head);
    let tokenizer: PromptTokenizer | undefined;
    let textEncoder: Session | undefined;
    if (manifest.text) {
      tokenizer = loadPromptTokenizer(await readChecked(manifest.text.tokenizer), manifest.text.tokenizer.path);
      done++;
      textEncoder = await session(manifest.text.encoder);
    }
    const audioDecoder = manifest.audio ? await session(manifest.audio.decoder) : undefined;
    return {
      manifest,
      runtime,
      embed,
      blocks,
      crossKv,
      head,
      tokenizer,
      textEncoder,
      audioDecoder,
      // Idempotent: the sessions are taken out first, so a second call (or a concurrent one) releases nothing twice.
      async release() {
        await Promise.all(created.splice(0).map((s) => s.release()));
      },
    };
  } catch (error) {
    await Promise.allSettled(created.map((s) => s.release()));
    throw error;
  }
}
