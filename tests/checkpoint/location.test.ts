import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileListLocation, hubFileUrl, hubLocation, urlLocation } from '../../src/checkpoint/location';
import { CheckpointError } from '../../src/checkpoint/safetensors';
import { memoryFile, startServer, type TestServer } from './staticServer';

const text = (s: string) => new TextEncoder().encode(s);

let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    'org/tiny/resolve/main/config.json': memoryFile(text('{"main": true}')),
    'org/tiny/resolve/v1.0/config.json': memoryFile(text('{"tag": true}')),
    'folder/my file.json': memoryFile(text('spaced')),
  });
});
afterAll(async () => {
  await server.close();
});

async function readAll(source: { size(): Promise<number>; read(a: number, b: number): Promise<Uint8Array> }): Promise<string> {
  return new TextDecoder().decode(await source.read(0, await source.size()));
}

describe('hubLocation', () => {
  it('resolves files to the Hub URL format', async () => {
    expect(hubFileUrl('facebook/musicgen-small', 'model.safetensors')).toBe(
      'https://huggingface.co/facebook/musicgen-small/resolve/main/model.safetensors',
    );
    const location = hubLocation('facebook/musicgen-small');
    expect(location.name).toBe('facebook/musicgen-small');
    expect((await location.open('config.json')).name).toBe('https://huggingface.co/facebook/musicgen-small/resolve/main/config.json');
    const pinned = hubLocation('facebook/musicgen-small', { revision: 'refs/pr/3', endpoint: 'https://mirror.example/' });
    expect(pinned.name).toBe('facebook/musicgen-small@refs/pr/3');
    expect((await pinned.open('model.safetensors.index.json')).name).toBe(
      'https://mirror.example/facebook/musicgen-small/resolve/refs%2Fpr%2F3/model.safetensors.index.json',
    );
  });

  it('refuses a malformed repository id', () => {
    expect(() => hubLocation('https://huggingface.co/facebook/musicgen-small')).toThrow(/is not a Hugging Face repository id/);
    expect(() => hubLocation('a/b/c')).toThrow(CheckpointError);
  });

  it('reads from a Hub-like endpoint at the requested revision', async () => {
    const main = hubLocation('org/tiny', { endpoint: `${server.url}/ranged` });
    expect(await readAll(await main.open('config.json'))).toBe('{"main": true}');
    const tagged = hubLocation('org/tiny', { endpoint: `${server.url}/ranged`, revision: 'v1.0' });
    expect(await readAll(await tagged.open('config.json'))).toBe('{"tag": true}');
    expect(await main.exists!('config.json')).toBe(true);
    expect(await main.exists!('model.safetensors')).toBe(false);
  });

  it('reports a gated repository instead of calling its files missing', async () => {
    const gated = hubLocation('org/tiny', { endpoint: `${server.url}/gated` });
    await expect(gated.exists!('config.json')).rejects.toThrow(/HTTP 401.*gated or private/);
    const withToken = hubLocation('org/tiny', { endpoint: `${server.url}/gated`, headers: { Authorization: 'Bearer good-token' } });
    expect(await withToken.exists!('config.json')).toBe(true);
  });
});

describe('urlLocation', () => {
  it('joins and encodes paths under any folder URL', async () => {
    const location = urlLocation(`${server.url}/ranged/folder/`);
    expect(location.name).toBe(`${server.url}/ranged/folder`);
    const source = await location.open('my file.json');
    expect(source.name).toBe(`${server.url}/ranged/folder/my%20file.json`);
    expect(await readAll(source)).toBe('spaced');
  });

  it('checks existence with HEAD, or a range GET where HEAD is refused', async () => {
    const location = urlLocation(`${server.url}/nohead/folder`);
    expect(await location.exists!('my file.json')).toBe(true);
    expect(await location.exists!('other.json')).toBe(false);
  });

  it('refuses paths that leave the folder', async () => {
    const location = urlLocation('https://example.org/ckpt');
    await expect(location.open('../secret.json')).rejects.toThrow(/"\.\.\/secret\.json" is not a plain relative file path/);
    await expect(location.open('/etc/passwd')).rejects.toThrow(CheckpointError);
  });
});

describe('fileListLocation', () => {
  it('matches dropped files by name', async () => {
    const location = fileListLocation([new File(['{"a":1}'], 'config.json'), new File([new Uint8Array(10)], 'model.safetensors')]);
    expect(await location.exists!('config.json')).toBe(true);
    expect(await location.exists!('model.safetensors.index.json')).toBe(false);
    const config = await location.open('config.json');
    expect(config.name).toBe('config.json');
    expect(await readAll(config)).toBe('{"a":1}');
    expect(await (await location.open('model.safetensors')).size()).toBe(10);
  });

  it('lists the files it has when one is missing, and refuses ambiguous names', async () => {
    const location = fileListLocation([new File(['x'], 'config.json'), new File(['y'], 'notes.txt')]);
    const error = await location.open('model.safetensors').catch((e: unknown) => e);
    expect((error as CheckpointError).code).toBe('not-found');
    expect((error as Error).message).toBe('dropped files: no file named "model.safetensors" (files given: config.json, notes.txt)');
    const twice = fileListLocation([new File(['x'], 'config.json'), new File(['y'], 'config.json')]);
    await expect(twice.open('config.json')).rejects.toThrow(/2 files are named "config\.json"/);
  });
});
