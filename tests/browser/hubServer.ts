/**
 * A local server in the Hugging Face hub's URL layout, `/<owner>/<repo>/resolve/<revision>/<path>`,
 * for the model-loading tests (Node and Chromium). Like the hub it answers HEAD with the size and,
 * for large (LFS) files, the sha256 as `X-Linked-Etag`/`ETag`; serves range requests (206 +
 * Content-Range); sends CORS headers (exposing Content-Range and the etags) and answers preflights.
 *
 * It serves:
 *   lab-test/musicgen-tiny  config.json + model.safetensors: the tiny demo checkpoint with a
 *                           text-encoder tensor in front of the decoder, as in the real file
 *   Xenova/musicgen-small   tokenizer.json, onnx/text_encoder.onnx, onnx/encodec_decode.onnx (the tiny model's)
 *
 * Faults for the tests: drop the connection mid-body, corrupt bytes, hold (stall) a range until released.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { VirtualFile } from '../../src/bench/virtualCheckpoint';
import { writeSafetensors, type WritableTensor } from '../../src/checkpoint/safetensorsWriter';
import { makeTinyCheckpoint } from '../../src/demo/tinyCheckpoint';

export const TINY_REPO = 'lab-test/musicgen-tiny';
export const SIDE_REPO = 'Xenova/musicgen-small';
/** The text-encoder tensor placed first in the checkpoint: the loader must never fetch it. */
export const TEXT_ENCODER_TENSOR = 'text_encoder.encoder.block.0.layer.0.SelfAttention.q.weight';
export const TEXT_ENCODER_TENSOR_SHAPE = [256, 256];

const TINY_DIR = fileURLToPath(new URL('../../models/tiny/', import.meta.url));

export interface HubRequest {
  method: string;
  /** Path inside the repo, e.g. `model.safetensors`. */
  file: string;
  repo: string;
  range: string | undefined;
}

interface Fault {
  repo: string;
  file: string;
  /** Applies to a GET whose range starts at or covers this offset (undefined: any GET of the file). */
  offset?: number;
}

export interface HubServer {
  /** The hub endpoint, e.g. `http://127.0.0.1:41234` (for `?hub=`). */
  url: string;
  requests: HubRequest[];
  /** Files per repo, with their bytes. */
  files: Map<string, Map<string, Uint8Array>>;
  /** Byte ranges [start, end) of a tensor in the tiny checkpoint's model.safetensors. */
  tensorRange(name: string): [number, number];
  /** Byte ranges [start, end) of the GETs of the tiny checkpoint's model.safetensors since request number `mark`. */
  checkpointRanges(mark: number): [number, number][];
  /** The next matching GET sends half its body, then the connection drops. */
  dropOnce(fault: Fault): void;
  /** Matching GETs serve flipped bytes (the etag still names the true content) until cleared. */
  corrupt(fault: Fault): void;
  /** Matching GETs wait until `release()`; `stalled` resolves once one is waiting. */
  stall(fault: Fault): { stalled: Promise<void>; release(): void };
  clearFaults(): void;
  close(): Promise<void>;
}

/** The tiny checkpoint with a text-encoder tensor first, so the decoder starts well inside the file. */
export function tinyHubCheckpoint(): { config: Uint8Array; weights: Uint8Array } {
  const { config, tensors } = makeTinyCheckpoint(42);
  const count = TEXT_ENCODER_TENSOR_SHAPE[0] * TEXT_ENCODER_TENSOR_SHAPE[1];
  const textTensor: WritableTensor = { name: TEXT_ENCODER_TENSOR, dtype: 'F32', shape: TEXT_ENCODER_TENSOR_SHAPE, data: Float32Array.from({ length: count }, (_, i) => Math.sin(i)) };
  return {
    config: new TextEncoder().encode(JSON.stringify(config, null, 2)),
    weights: writeSafetensors([textTensor, ...tensors], { format: 'pt' }),
  };
}

function matches(fault: Fault, repo: string, file: string, start: number, end: number): boolean {
  return fault.repo === repo && fault.file === file && (fault.offset === undefined || (fault.offset >= start && fault.offset < end));
}

/** Extra repositories: path → bytes, or a virtual file generated range by range (no etag). */
export type ExtraRepos = Record<string, Record<string, VirtualFile>>;

export async function startHubServer(extraRepos: ExtraRepos = {}): Promise<HubServer> {
  const checkpoint = tinyHubCheckpoint();
  const files = new Map<string, Map<string, Uint8Array>>([
    [TINY_REPO, new Map([['config.json', checkpoint.config], ['model.safetensors', checkpoint.weights]])],
    [
      SIDE_REPO,
      new Map([
        ['tokenizer.json', new Uint8Array(readFileSync(`${TINY_DIR}tokenizer.json`))],
        ['onnx/text_encoder.onnx', new Uint8Array(readFileSync(`${TINY_DIR}text_encoder.onnx`))],
        ['onnx/encodec_decode.onnx', new Uint8Array(readFileSync(`${TINY_DIR}encodec_decode.onnx`))],
      ]),
    ],
  ]);
  const header = JSON.parse(new TextDecoder().decode(checkpoint.weights.subarray(8, 8 + Number(new DataView(checkpoint.weights.buffer, checkpoint.weights.byteOffset).getBigUint64(0, true))))) as Record<string, { data_offsets: [number, number] }>;
  const dataStart = 8 + Number(new DataView(checkpoint.weights.buffer, checkpoint.weights.byteOffset).getBigUint64(0, true));
  const sha = new Map<Uint8Array, string>();
  const sha256 = (bytes: Uint8Array) => {
    if (!sha.has(bytes)) sha.set(bytes, createHash('sha256').update(bytes).digest('hex'));
    return sha.get(bytes)!;
  };

  const requests: HubRequest[] = [];
  let drops: Fault[] = [];
  let corruptions: Fault[] = [];
  let stalls: { fault: Fault; waiting: () => void; gate: Promise<void>; release: () => void }[] = [];

  const cors = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Headers': 'Range, Authorization, Content-Type',
    'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
    'Access-Control-Expose-Headers': 'Content-Range, Content-Length, Accept-Ranges, ETag, X-Linked-Etag, X-Linked-Size, X-Repo-Commit',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(decodeURIComponent(url.pathname));
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    if (match === null) return void res.writeHead(404, cors).end('Not found');
    const [, repo, , file] = match;
    requests.push({ method: req.method ?? '', repo, file, range: req.headers.range });
    const virtual = extraRepos[repo]?.[file];
    if (virtual !== undefined) return serveVirtual(req, res, virtual);
    const bytes = files.get(repo)?.get(file);
    if (bytes === undefined) {
      // The hub answers 401 for repositories that do not exist (or are private), 404 for missing files.
      return void res.writeHead(files.has(repo) ? 404 : 401, { ...cors, 'Content-Type': 'text/plain' }).end(files.has(repo) ? 'Entry not found' : 'Repository not found');
    }
    const lfs = file.endsWith('.safetensors') || file.endsWith('.onnx');
    const identity = lfs
      ? { ETag: `"${sha256(bytes)}"`, 'X-Linked-Etag': `"${sha256(bytes)}"`, 'X-Linked-Size': String(bytes.length) }
      : { ETag: `"${createHash('sha1').update(bytes).digest('hex')}"` };
    const common = { ...cors, ...identity, 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream' };
    if (req.method === 'HEAD') return void res.writeHead(200, { ...common, 'Content-Length': bytes.length }).end();
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range ? Math.min(range[2] === '' ? bytes.length : Number(range[2]) + 1, bytes.length) : bytes.length;
    if (start >= bytes.length && bytes.length > 0) return void res.writeHead(416, { ...common, 'Content-Range': `bytes */${bytes.length}` }).end();

    const stall = stalls.find((s) => matches(s.fault, repo, file, start, end));
    if (stall) {
      stall.waiting();
      await stall.gate;
      if (res.destroyed) return;
    }
    let body = bytes.subarray(start, end);
    if (corruptions.some((f) => matches(f, repo, file, start, end))) body = body.map((b, i) => (i % 97 === 0 ? b ^ 0xff : b));
    res.writeHead(range ? 206 : 200, { ...common, 'Content-Length': body.length, ...(range ? { 'Content-Range': `bytes ${start}-${end - 1}/${bytes.length}` } : {}) });
    const drop = drops.find((f) => matches(f, repo, file, start, end));
    if (drop) {
      drops = drops.filter((f) => f !== drop);
      res.write(body.subarray(0, body.length >> 1));
      setTimeout(() => res.destroy(), 20); // the half body reaches the client, then the connection drops
      return;
    }
    res.end(body);
  };

  const serveVirtual = async (req: IncomingMessage, res: ServerResponse, file: VirtualFile): Promise<void> => {
    const common = { ...cors, 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream' };
    if (req.method === 'HEAD') return void res.writeHead(200, { ...common, 'Content-Length': file.size }).end();
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (range === null) return void res.writeHead(416, { ...common, 'Content-Range': `bytes */${file.size}` }).end();
    const start = Number(range[1]);
    const end = Math.min(Number(range[2]) + 1, file.size);
    res.writeHead(206, { ...common, 'Content-Length': end - start, 'Content-Range': `bytes ${start}-${end - 1}/${file.size}` });
    res.end(file.bytes(start, end));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    files,
    tensorRange(name) {
      const entry = header[name];
      if (entry === undefined) throw new Error(`no tensor ${name} in the tiny checkpoint`);
      return [dataStart + entry.data_offsets[0], dataStart + entry.data_offsets[1]];
    },
    checkpointRanges(mark) {
      return requests
        .slice(mark)
        .filter((r) => r.repo === TINY_REPO && r.method === 'GET' && r.file === 'model.safetensors')
        .map((r) => {
          const [, a, b] = /bytes=(\d+)-(\d+)/.exec(r.range ?? '')!;
          return [Number(a), Number(b) + 1];
        });
    },
    dropOnce: (fault) => void drops.push(fault),
    corrupt: (fault) => void corruptions.push(fault),
    stall(fault) {
      let release!: () => void;
      let waiting!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const stalled = new Promise<void>((resolve) => (waiting = resolve));
      const releaseStall = () => {
        stalls = stalls.filter((s) => s.gate !== gate);
        release();
      };
      stalls.push({ fault, waiting, gate, release: releaseStall });
      return { stalled, release: releaseStall };
    },
    clearFaults() {
      drops = [];
      corruptions = [];
      for (const s of [...stalls]) s.release();
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** GETs of checkpoint weights or side-file graphs: what "zero weight requests" counts. */
export function weightRequests(requests: readonly HubRequest[]): HubRequest[] {
  return requests.filter((r) => r.method === 'GET' && (r.file.endsWith('.safetensors') || r.file.endsWith('.onnx')));
}
