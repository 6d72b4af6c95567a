/**
 * Findings 4 (patch values), 5, 6 (means files) and 7 (manifest, shapes) of issue 9, at module
 * level: patch tensors are checked for shape and finiteness, read only from regular files inside
 * the patch file's folder with every handle closed; a failed write never replaces an older file;
 * a manifest's config and paths are validated with clear messages.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/bundle/manifest';
import { writeSafetensors } from '../../src/checkpoint/safetensorsWriter';
import { parsePatchFile } from '../../src/engine/patchFile';
import { writeFileAtomic } from '../../src/io/atomicFile';
import { checkOutputFile } from '../../src/io/outputPath';
import { nodeTensorResolver } from '../../src/io/patchTensors';
import { fullDiskWriter, readOnlyWriter, TINY_BUNDLE } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'reliability-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const d = 4;
const target = { numLayers: 2, hiddenSize: d, steps: 5, stepsPerSecond: 50 };
function saveTensor(name: string, shape: number[], values: number[]): void {
  writeFileSync(join(dir, name), writeSafetensors([{ name: 't', dtype: 'F32', shape, data: Float32Array.from(values) }]));
}
function patchWith(patch: object, allowOutside = false) {
  return parsePatchFile({ patches: [{ hook: 'blocks.1.hook_mlp_out', kind: 'replace', ...patch }] }, target, nodeTensorResolver(dir, { allowOutside }), 'p.json');
}
const ref = (file: string) => ({ file, tensor: 't' });

describe('patch values', () => {
  it('refuses NaN and Infinity in valuesFrom tensors, naming patch, field, file and index', async () => {
    saveTensor('nan.safetensors', [d], [0, 1, Number.NaN, 3]);
    await expect(patchWith({ valuesFrom: ref('nan.safetensors') })).rejects.toThrow(
      'p.json: patches[0]: valuesFrom "t" in nan.safetensors holds NaN at flat index 2; patch values must be finite',
    );
    saveTensor('inf.safetensors', [d], [0, -Infinity, 0, 0]);
    await expect(patchWith({ valuesFrom: ref('nan.safetensors'.replace('nan', 'inf')) })).rejects.toThrow(/holds -Infinity at flat index 1/);
  });

  it('refuses a scale that overflows float32 with the values, and a difference that overflows', async () => {
    saveTensor('big.safetensors', [d], [3e38, 0, 0, 0]);
    saveTensor('neg.safetensors', [d], [-3e38, 0, 0, 0]);
    await expect(parsePatchFile({ patches: [{ hook: 'blocks.0.hook_attn_out', kind: 'add', values: [10, 0, 0, 0], scale: 1e38 }] }, target, nodeTensorResolver(dir), 'p.json')).rejects.toThrow(
      'p.json: patches[0] (blocks.0.hook_attn_out): scale 1e+38 times the largest value 10 overflows float32',
    );
    await expect(patchWith({ kind: 'adjust', valuesFrom: ref('big.safetensors'), subtractFrom: ref('neg.safetensors') })).rejects.toThrow(
      'valuesFrom - subtractFrom overflows float32 at flat index 0',
    );
  });

  it('checks shapes, not only lengths: [10, 4] is not [5, 2, 4]', async () => {
    saveTensor('flat.safetensors', [10, d], new Array(40).fill(0));
    await expect(patchWith({ valuesFrom: ref('flat.safetensors') })).rejects.toThrow('valuesFrom "t" in flat.safetensors has shape [10, 4]; expected [4] or [steps, 2, 4]');
    saveTensor('good.safetensors', [5, 2, d], new Array(40).fill(0.5));
    const [spec] = await patchWith({ valuesFrom: ref('good.safetensors') });
    expect(spec.values.length).toBe(40);
  });
});

describe('patch tensor files', () => {
  it('refuses paths that leave the folder, absolute paths and links that lead out, unless allowed', async () => {
    await expect(patchWith({ valuesFrom: ref('../outside.safetensors') })).rejects.toThrow('"../outside.safetensors" leaves the folder');
    await expect(patchWith({ valuesFrom: ref('/etc/passwd') })).rejects.toThrow('"/etc/passwd" leaves the folder');
    symlinkSync('/etc/hostname', join(dir, 'link.safetensors'));
    await expect(patchWith({ valuesFrom: ref('link.safetensors') })).rejects.toThrow(/"link\.safetensors" is a link to \/etc\/hostname, outside the folder/);
    // Allowed explicitly, the outside file is read (and refused only for what it is).
    await expect(patchWith({ valuesFrom: ref('/dev/zero') }, true)).rejects.toThrow('/dev/zero is a character device, not a regular file');
  });

  it('refuses a FIFO at once instead of blocking forever', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe.safetensors')]);
    await expect(patchWith({ valuesFrom: ref('pipe.safetensors') })).rejects.toThrow('pipe.safetensors is a named pipe (FIFO), not a regular file');
  });

  it('closes every file handle it opens', async () => {
    saveTensor('mean.safetensors', [d], [1, 2, 3, 4]);
    const openFiles = () => readdirSync('/proc/self/fd').length;
    await patchWith({ valuesFrom: ref('mean.safetensors') }); // warm-up: lazily opened descriptors of the runtime
    const before = openFiles();
    for (let i = 0; i < 20; i++) await patchWith({ kind: 'adjust', valuesFrom: ref('mean.safetensors'), subtractFrom: ref('mean.safetensors') });
    expect(openFiles()).toBe(before);
  });
});

describe('means and capture files', () => {
  it('a full disk leaves the older means file byte-identical, not a 0-byte file', async () => {
    const means = join(dir, 'means.safetensors');
    writeFileSync(means, 'older means');
    await expect(writeFileAtomic(means, new Uint8Array(1000), { writer: fullDiskWriter(100) })).rejects.toThrow(
      `cannot write ${means}: no space left on the device (ENOSPC); the previous ${means} was kept unchanged`,
    );
    expect(readFileSync(means, 'utf8')).toBe('older means');
    expect(readdirSync(dir).filter((name) => name.startsWith('.means'))).toEqual([]);
  });

  it('a read-only output is refused before any work, with the right errno', async () => {
    await expect(checkOutputFile(join(dir, 'new', 'out.wav'), { writer: readOnlyWriter, label: '--out' })).rejects.toThrow(
      `--out ${join(dir, 'new')} is not writable: the file system is read-only (EROFS); nothing was written`,
    );
  });

  it('a device or a folder is refused as an output file', async () => {
    await expect(checkOutputFile('/dev/null')).rejects.toThrow('/dev/null exists and is not a regular file');
    mkdirSync(join(dir, 'folder.wav'));
    await expect(checkOutputFile(join(dir, 'folder.wav'))).rejects.toThrow('is a folder; give a file name');
  });
});

describe('bundle manifests', () => {
  const tiny = JSON.parse(readFileSync(join(TINY_BUNDLE, 'manifest.json'), 'utf8'));
  const edited = (edit: (m: any) => void) => {
    const copy = structuredClone(tiny);
    edit(copy);
    return () => parseManifest(copy, 'm.json');
  };

  it('validates the config with clear messages', () => {
    expect(parseManifest(tiny).config).toEqual(tiny.config);
    expect(edited((m) => (m.config.numCodebooks = '4'))).toThrow('m.json: config.numCodebooks must be a positive integer, got "4"');
    expect(edited((m) => (m.config.numLayers = 1e9))).toThrow('m.json: config.numLayers is 1000000000, more than the 512 this lab accepts');
    expect(edited((m) => (m.config.headDim = 3))).toThrow('config.hiddenSize');
  });

  it('keeps file paths inside the bundle folder', () => {
    expect(edited((m) => (m.graphs.embed.path = '../../../../etc/passwd'))).toThrow('graphs.embed.path "../../../../etc/passwd" leaves the bundle folder');
    expect(edited((m) => (m.graphs.head.path = '/etc/passwd'))).toThrow('leaves the bundle folder');
  });
});
