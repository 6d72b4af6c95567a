import { failure } from './expectCheckpointError';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRangeSource, MAX_UNRANGED_BYTES, rangeCacheKey, sha256FromEtag, type RangeCache } from '../../src/checkpoint/httpRangeSource';
import { startHubServer, TINY_REPO } from '../browser/hubServer';
import { openSafetensors } from '../../src/checkpoint/safetensors';
import { makeSafetensors, ramp, type TensorBytes } from './makeSafetensors';
import { memoryFile, patternFile, startServer, type TestServer } from './staticServer';

const tensors: TensorBytes[] = Array.from({ length: 6 }, (_, i) => ({ name: `layer.${i}.weight`, dtype: 'F32', shape: [64, 16], data: ramp(1024, i) }));
const checkpoint = makeSafetensors(tensors, { padTo: 8 });
const BIG_SIZE = MAX_UNRANGED_BYTES + 16 * 1024 * 1024;

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ 'model.safetensors': memoryFile(checkpoint), 'big.bin': patternFile(BIG_SIZE) });
});
afterAll(async () => {
  await server.close();
});

function requestsSince(mark: number) {
  return server.requests.slice(mark);
}


describe('httpRangeSource against a server with range support', () => {
  it('gets the size from HEAD and fetches just the header and one tensor', async () => {
    const mark = server.requests.length;
    const url = `${server.url}/ranged/model.safetensors`;
    const source = httpRangeSource(url);
    expect(source.name).toBe(url);
    const reader = await openSafetensors(source);
    const info = reader.info('layer.3.weight');
    const values = await reader.readFloat32('layer.3.weight', [64, 16]);
    expect(values[0]).toBe(3);
    expect(values[1023]).toBe(3 + 0.5 * 1023);
    const log = requestsSince(mark);
    expect(log[0]).toMatchObject({ method: 'HEAD', range: undefined });
    expect(log.slice(1).map((r) => r.range)).toEqual([
      'bytes=0-7',
      `bytes=8-${reader.info('layer.0.weight').byteOffset - 1}`,
      `bytes=${info.byteOffset}-${info.byteOffset + info.byteLength - 1}`,
    ]);
    expect(log.every((r) => r.method === 'HEAD' || r.range !== undefined)).toBe(true);
  });

  it('falls back to a 1-byte range request when HEAD is not allowed', async () => {
    const mark = server.requests.length;
    const source = httpRangeSource(`${server.url}/nohead/model.safetensors`);
    expect(await source.size()).toBe(checkpoint.length);
    expect(requestsSince(mark).map((r) => [r.method, r.range])).toEqual([
      ['HEAD', undefined],
      ['GET', 'bytes=0-0'],
    ]);
    expect(Array.from(await source.read(100, 104))).toEqual(Array.from(checkpoint.subarray(100, 104)));
  });

  it('uses the given fetch and headers (an access token for a gated file)', async () => {
    let calls = 0;
    const countingFetch: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    const url = `${server.url}/gated/model.safetensors`;
    const denied = await failure(httpRangeSource(url, { fetch: countingFetch }).size());
    expect(denied.code).toBe('access');
    expect(denied.message).toContain(`${url}: HTTP 401`);
    expect(denied.message).toMatch(/gated or private.*Authorization/);
    const allowed = httpRangeSource(url, { fetch: countingFetch, headers: { Authorization: 'Bearer good-token' } });
    expect(Array.from(await allowed.read(0, 8))).toEqual(Array.from(checkpoint.subarray(0, 8)));
    expect(calls).toBeGreaterThanOrEqual(3);
  });

  it('serves repeated ranges from a RangeCache, keyed by URL and range', async () => {
    const store = new Map<string, Uint8Array>();
    const cache: RangeCache = {
      get: async (key) => store.get(key)?.slice(),
      put: async (key, bytes) => void store.set(key, bytes.slice()),
    };
    const url = `${server.url}/ranged/model.safetensors`;
    expect(Array.from(await httpRangeSource(url, { cache }).read(16, 20))).toEqual(Array.from(checkpoint.subarray(16, 20)));
    expect([...store.keys()]).toEqual([`${url}#bytes=16-19`]);
    expect(rangeCacheKey(url, 16, 20)).toBe(`${url}#bytes=16-19`);
    const mark = server.requests.length;
    expect(Array.from(await httpRangeSource(url, { cache }).read(16, 20))).toEqual(Array.from(checkpoint.subarray(16, 20)));
    expect(requestsSince(mark).filter((r) => r.range !== undefined)).toEqual([]);
  });

  it('rejects reads past the end without a request', async () => {
    const source = httpRangeSource(`${server.url}/ranged/model.safetensors`);
    await source.size();
    const mark = server.requests.length;
    await expect(source.read(0, checkpoint.length + 1)).rejects.toThrow(/passes the end/);
    expect(requestsSince(mark)).toEqual([]);
  });

  it('accepts a 206 of the right length whose Content-Range is hidden (CORS)', async () => {
    expect(Array.from(await httpRangeSource(`${server.url}/nocr/model.safetensors`).read(30, 34))).toEqual(Array.from(checkpoint.subarray(30, 34)));
  });

  it('refuses a response whose Content-Range does not match the request', async () => {
    const error = await failure(httpRangeSource(`${server.url}/badrange/model.safetensors`).read(10, 20));
    expect(error.message).toMatch(/asked for bytes 10-19 but the server answered Content-Range "bytes 11-20\/\d+"/);
  });
});

describe('httpRangeSource against a server that ignores Range', () => {
  it('accepts the whole body of a small file once and slices it', async () => {
    const mark = server.requests.length;
    const reader = await openSafetensors(httpRangeSource(`${server.url}/plain/model.safetensors`));
    expect((await reader.readFloat32('layer.5.weight'))[2]).toBe(6);
    expect((await reader.readFloat32('layer.1.weight'))[0]).toBe(1);
    const gets = requestsSince(mark).filter((r) => r.method === 'GET');
    expect(gets.length).toBe(1); // the first ranged GET came back whole; later reads reuse it
  });

  it('refuses a large file with a clear error', async () => {
    const url = `${server.url}/plain/big.bin`;
    const source = httpRangeSource(url);
    expect(await source.size()).toBe(BIG_SIZE);
    const error = await failure(source.read(0, 8));
    expect(error.message).toContain(url);
    expect(error.message).toMatch(/does not support range requests/);
    // The same file is readable from a server that supports ranges.
    expect(Array.from(await httpRangeSource(`${server.url}/ranged/big.bin`).read(BIG_SIZE - 2, BIG_SIZE))).toEqual([
      (7 * (BIG_SIZE - 2) + 3) & 255,
      (7 * (BIG_SIZE - 1) + 3) & 255,
    ]);
  });
});

describe('httpRangeSource errors', () => {
  it('says what to do about 404 and 403', async () => {
    const missing = `${server.url}/ranged/nothing.safetensors`;
    const notFound = await failure(httpRangeSource(missing).size());
    expect(notFound.code).toBe('not-found');
    expect(notFound.message).toContain(`${missing}: HTTP 404`);
    expect(notFound.message).toMatch(/check the repository or folder URL, the revision and the file name/);
    const forbidden = await failure(httpRangeSource(`${server.url}/forbidden/model.safetensors`).read(0, 8));
    expect(forbidden.code).toBe('access');
    expect(forbidden.message).toMatch(/HTTP 403.*access denied/);
  });

  it('names the URL on a network failure', async () => {
    const closed = await startServer({});
    const url = `${closed.url}/ranged/model.safetensors`;
    await closed.close();
    const error = await failure(httpRangeSource(url).size());
    expect(error.code).toBe('network');
    expect(error.message).toContain(`network error fetching ${url}`);
  });
});

describe('httpRangeSource: retries, byte progress, content hash (hub-layout server)', () => {
  it('fetches a range again after the connection drops mid-body, counting bytes as they arrive', async () => {
    const hub = await startHubServer();
    try {
      const url = `${hub.url}/${TINY_REPO}/resolve/main/model.safetensors`;
      const file = hub.files.get(TINY_REPO)!.get('model.safetensors')!;
      let received = 0;
      const source = httpRangeSource(url, { onBytes: (n) => (received += n) });
      hub.dropOnce({ repo: TINY_REPO, file: 'model.safetensors', offset: 1000 });
      const bytes = await source.read(1000, 5000);
      expect(Array.from(bytes)).toEqual(Array.from(file.subarray(1000, 5000)));
      expect(hub.requests.filter((r) => r.range === 'bytes=1000-4999')).toHaveLength(2);
      expect(received).toBeGreaterThan(4000); // the half body of the dropped attempt counts too
      expect(await source.contentSha256()).toMatch(/^[0-9a-f]{64}$/);

      hub.dropOnce({ repo: TINY_REPO, file: 'model.safetensors', offset: 0 });
      hub.dropOnce({ repo: TINY_REPO, file: 'model.safetensors', offset: 0 });
      await expect(httpRangeSource(url, { retries: 1 }).read(0, 4000)).rejects.toThrow(/download interrupted/);

      const controller = new AbortController();
      const stall = hub.stall({ repo: TINY_REPO, file: 'model.safetensors', offset: 8000 });
      const aborted = httpRangeSource(url, { fetch: (input, init) => fetch(input, { ...init, signal: controller.signal }) }).read(8000, 9000);
      await stall.stalled;
      controller.abort();
      await expect(aborted).rejects.toMatchObject({ name: 'AbortError' }); // an abort is never retried or reworded
      stall.release();
    } finally {
      await hub.close();
    }
  });

  it('reads the sha256 from X-Linked-Etag or a sha256 ETag, never from a git sha1', async () => {
    const sha = 'a'.repeat(64);
    expect(sha256FromEtag(`"${sha}"`)).toBe(sha);
    expect(sha256FromEtag(`W/"${sha.toUpperCase()}"`)).toBe(sha);
    expect(sha256FromEtag(`"${'b'.repeat(40)}"`)).toBeUndefined();
    expect(sha256FromEtag(null)).toBeUndefined();
  });
});
