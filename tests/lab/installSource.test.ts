/** What an install opens from a dropped folder: a bundle is taken as converted, a broken one refused. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../src/bundle/manifest';
import type { InstallRequest } from '../../src/lab/convertApi';
import { InstallError } from '../../src/lab/installErrors';
import { bundleBytesOf, networkBytesOf, prepareInstall } from '../../src/lab/installSource';
import { createBundleStore, manifestFiles } from '../../src/storage/bundleStore';
import { memoryStorage } from '../storage/memoryDir';
import { TINY_BUNDLE_DIR } from './engineWorkerBridge';

const tinyManifest = JSON.parse(readFileSync(`${TINY_BUNDLE_DIR}manifest.json`, 'utf8')) as BundleManifest;

function bundleFolder(except: readonly string[] = [], manifestText?: string): File[] {
  return readdirSync(TINY_BUNDLE_DIR, { withFileTypes: true })
    .filter((entry) => entry.isFile() && !except.includes(entry.name))
    .map((entry) => {
      const bytes = entry.name === 'manifest.json' && manifestText !== undefined ? new TextEncoder().encode(manifestText) : readFileSync(`${TINY_BUNDLE_DIR}${entry.name}`);
      return new File([bytes], entry.name);
    });
}

function folderRequest(files: File[]): InstallRequest {
  return { source: { kind: 'files', label: 'my-bundle', files, endpoint: 'http://127.0.0.1:1' }, dtype: 'auto' };
}

async function prepare(files: File[]) {
  const store = createBundleStore(memoryStorage().root);
  const noNetwork: typeof fetch = () => Promise.reject(new Error('a dropped bundle must not touch the network'));
  return prepareInstall(folderRequest(files), false, noNetwork, store, { cache: false, onBytes: () => undefined });
}

describe('prepareInstall on a dropped folder', () => {
  it('takes a complete bundle as converted: its dtype, its bytes, nothing over the network', async () => {
    const prepared = await prepare(bundleFolder());
    expect(prepared.bundle?.manifest.name).toBe(tinyManifest.name);
    expect(prepared.dtype).toBe(tinyManifest.dtype);
    expect(prepared.dtypeReason).toBe(`${tinyManifest.dtype} weights, as converted`);
    expect(prepared.id).toMatch(/^local-my-bundle-fp32/);
    const listed = manifestFiles(tinyManifest).reduce((n, f) => n + f.bytes, 0); // graphs and side files
    expect(listed).toBeGreaterThan(tinyManifest.graphs.embed.bytes);
    expect(await bundleBytesOf(prepared)).toBe(listed);
    expect(await networkBytesOf(folderRequest([]), prepared)).toBe(0);
  });

  it('refuses a bundle that lacks a file its manifest lists, naming the file', async () => {
    const missing = tinyManifest.graphs.blocks[1].path;
    const error = await prepare(bundleFolder([missing])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstallError);
    expect((error as Error).message).toBe(`my-bundle lacks ${missing} listed in its manifest.json`);
  });

  it('refuses a manifest that is not JSON with a one-line error naming it', async () => {
    const error = await prepare(bundleFolder([], '{ not json')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstallError);
    expect((error as Error).message).toMatch(/^my-bundle\/manifest\.json: /);
  });
});
