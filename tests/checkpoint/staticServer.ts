/**
 * A real node:http file server on 127.0.0.1 for the HTTP tests. The first path segment picks how it
 * behaves, the rest names the file:
 *  /ranged/...    HEAD + Range support (206 with Content-Range)
 *  /plain/...     ignores Range: always 200 with the whole file
 *  /nohead/...    HEAD answers 405; Range supported
 *  /gated/...     401 unless `Authorization: Bearer good-token`, then like /ranged
 *  /forbidden/... 403
 *  /badrange/...  206 with a Content-Range that does not match the request
 *  /nocr/...      206 without Content-Range (as a browser sees it when CORS does not expose the header)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  size: number;
  bytes(start: number, end: number): Uint8Array;
}

export function memoryFile(data: Uint8Array): ServedFile {
  return { size: data.length, bytes: (start, end) => data.subarray(start, end) };
}

/** A large file that is never held in memory: byte i is (7i + 3) mod 256. */
export function patternFile(size: number): ServedFile {
  return { size, bytes: (start, end) => Uint8Array.from({ length: end - start }, (_, i) => (7 * (start + i) + 3) & 255) };
}

export interface LoggedRequest {
  method: string;
  path: string;
  range: string | undefined;
}

export interface TestServer {
  url: string;
  requests: LoggedRequest[];
  close(): Promise<void>;
}

const CHUNK = 1 << 20;

async function writeBody(res: ServerResponse, file: ServedFile, start: number, end: number): Promise<void> {
  for (let at = start; at < end && !res.destroyed; at += CHUNK) {
    if (!res.write(file.bytes(at, Math.min(end, at + CHUNK)))) {
      await new Promise<void>((done) => {
        res.once('drain', done);
        res.once('close', done);
      });
    }
  }
  res.end();
}

function handle(files: Record<string, ServedFile>, req: IncomingMessage, res: ServerResponse): Promise<void> | void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const [, mode, ...rest] = decodeURIComponent(url.pathname).split('/');
  const file = files[rest.join('/')];
  const range = req.headers.range;
  if (mode === 'forbidden') return void res.writeHead(403).end('forbidden');
  if (mode === 'gated' && req.headers.authorization !== 'Bearer good-token') return void res.writeHead(401).end('unauthorized');
  if (file === undefined) return void res.writeHead(404).end('not found');
  if (req.method === 'HEAD') {
    if (mode === 'nohead') return void res.writeHead(405).end();
    return void res.writeHead(200, { 'Content-Length': file.size, 'Accept-Ranges': mode === 'plain' ? 'none' : 'bytes' }).end();
  }
  const match = range === undefined || mode === 'plain' ? null : /^bytes=(\d+)-(\d*)$/.exec(range);
  if (match === null) {
    res.writeHead(200, { 'Content-Length': file.size });
    return writeBody(res, file, 0, file.size);
  }
  const start = Number(match[1]);
  const end = Math.min(match[2] === '' ? file.size - 1 : Number(match[2]), file.size - 1); // inclusive
  if (start >= file.size) return void res.writeHead(416, { 'Content-Range': `bytes */${file.size}` }).end();
  const shown = mode === 'badrange' ? `bytes ${start + 1}-${end + 1}/${file.size}` : `bytes ${start}-${end}/${file.size}`;
  res.writeHead(206, mode === 'nocr' ? { 'Content-Length': end - start + 1 } : { 'Content-Length': end - start + 1, 'Content-Range': shown });
  return writeBody(res, file, start, end + 1);
}

export async function startServer(files: Record<string, ServedFile>): Promise<TestServer> {
  const requests: LoggedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', range: req.headers.range });
    Promise.resolve(handle(files, req, res)).catch(() => res.destroy());
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
