/**
 * Findings 1, 3, 4 (weights), 6 (convert) and 7 of issue 9: re-conversion over an existing bundle
 * never destroys it, absurd sizes fail fast, bad weights and inconsistent inputs are refused with
 * messages that name what is wrong.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../scripts/convert';
import { buildTinyTextEncoder } from '../../src/demo/tinyTextEncoder';
import { brokenCheckpoint, fullDiskWriter, GOLDEN, readOnlyWriter, snapshot, writerWithHook } from './helpers';

let root: string;
let bundle: string;
let before: Record<string, string>;
let errors: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'reliability-convert-'));
  bundle = join(root, 'bundle');
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  expect(await main([GOLDEN, bundle])).toBe(0);
  before = await snapshot(bundle);
  vi.restoreAllMocks();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  errors = [];
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation((message: unknown) => void errors.push(String(message)));
});
afterEach(async () => {
  vi.restoreAllMocks();
  // Whatever failed, the old bundle is byte-identical and no staging folder is left beside it.
  expect(await snapshot(bundle)).toEqual(before);
  expect((await readdir(root)).filter((name) => name.startsWith('.'))).toEqual([]);
});

/** Runs the converter CLI and returns its one error line. */
async function failing(args: string[], deps = {}): Promise<string> {
  expect(await main(args, deps)).toBe(1);
  expect(errors).toHaveLength(1);
  expect(errors[0]).not.toContain('\n');
  return errors[0];
}

describe('re-converting over an existing bundle', () => {
  it('keeps the bundle byte-identical when interrupted mid-way (Ctrl-C), and says so', async () => {
    const message = await failing([GOLDEN, bundle, '--dtype', 'fp16'], { writer: writerWithHook(3, () => process.emit('SIGINT')) });
    expect(message).toBe(`convert: interrupted; the previous bundle in ${bundle} was kept unchanged`);
  });

  it('keeps the bundle when the disk fills up', async () => {
    const message = await failing([GOLDEN, bundle, '--dtype', 'fp16'], { writer: fullDiskWriter(50_000) });
    expect(message).toMatch(/^convert: cannot write .+\.onnx for .+: no space left on the device \(ENOSPC\); the previous bundle in .+ was kept unchanged$/);
  });

  it('keeps the bundle when the checkpoint fails mid-way (a NaN in the last layer)', async () => {
    const broken = await brokenCheckpoint(join(root, 'nan-ckpt'), { tensor: 'decoder.model.decoder.layers.2.fc1.weight', index: 70 });
    const message = await failing([broken, bundle]);
    expect(message).toContain('tensor "decoder.model.decoder.layers.2.fc1.weight" holds NaN at [1, 6] (flat index 70)');
    expect(message).toContain(`the previous bundle in ${bundle} was kept unchanged`);
    await rm(broken, { recursive: true });
  });

  it('keeps the bundle on a read-only file system, with the right errno and no stack', async () => {
    const message = await failing([GOLDEN, bundle], { writer: readOnlyWriter });
    expect(message).toMatch(/is not writable: the file system is read-only \(EROFS\); nothing was written$/);
  });

  it('refuses a folder that holds files other than a bundle', async () => {
    const other = join(root, 'mine');
    await rm(other, { recursive: true, force: true });
    execFileSync('mkdir', ['-p', other]);
    await writeFile(join(other, 'notes.txt'), 'keep me');
    const message = await failing([GOLDEN, other]);
    expect(message).toContain('holds files that are not part of a lab bundle (notes.txt)');
    expect(await snapshot(other)).toEqual({ 'notes.txt': expect.any(String) });
    await rm(other, { recursive: true });
  });
});

describe('weights', () => {
  it('refuses Infinity in a weight, naming the tensor and the index', async () => {
    const broken = await brokenCheckpoint(join(root, 'inf-ckpt'), { tensor: 'decoder.lm_heads.1.weight', index: 3, value: Infinity });
    const message = await failing([broken, join(root, 'inf-out')]);
    expect(message).toContain('tensor "decoder.lm_heads.1.weight" holds Infinity at [0, 3] (flat index 3)');
    expect(message).toContain(`nothing was written at ${join(root, 'inf-out')}`);
    await rm(broken, { recursive: true });
  });

  it('reports float16 overflow for --dtype fp16 and converts the same weights in fp32', async () => {
    const broken = await brokenCheckpoint(join(root, 'big-ckpt'), { tensor: 'decoder.model.decoder.layers.0.fc2.weight', index: 5, value: 1e5 });
    const message = await failing([broken, join(root, 'big-out'), '--dtype', 'fp16']);
    expect(message).toContain('tensor "decoder.model.decoder.layers.0.fc2.weight" holds 100000 at [0, 5] (flat index 5), beyond float16\'s ±65504; convert with --dtype fp32');
    expect(await main([broken, join(root, 'big-out')])).toBe(0);
    await rm(join(root, 'big-out'), { recursive: true });
    await rm(broken, { recursive: true });
  });
});

describe('config and extra files', () => {
  it('fails fast on absurd sizes in config.json', async () => {
    const layers = await brokenCheckpoint(join(root, 'huge-layers'), { config: (c) => (c.decoder.num_hidden_layers = 1e9) });
    expect(await failing([layers, join(root, 'x')])).toContain('decoder.num_hidden_layers is 1000000000, more than the 512 this lab accepts');
    errors.length = 0;
    const codebooks = await brokenCheckpoint(join(root, 'huge-codebooks'), { config: (c) => (c.decoder.num_codebooks = 1e9) });
    expect(await failing([codebooks, join(root, 'x')])).toContain('decoder.num_codebooks is 1000000000, more than the 64 this lab accepts');
    await rm(layers, { recursive: true });
    await rm(codebooks, { recursive: true });
  });

  it('refuses a config whose layer count disagrees with the checkpoint, naming both', async () => {
    const fewer = await brokenCheckpoint(join(root, 'two-layers'), { config: (c) => (c.decoder.num_hidden_layers = 2) });
    expect(await failing([fewer, join(root, 'x')])).toMatch(/config\.json says num_hidden_layers = 2, but .*model\.safetensors holds 3 decoder layers/);
    await rm(fewer, { recursive: true });
  });

  it('refuses a foreign tokenizer or text encoder before copying anything', async () => {
    const encoder = join(root, 'text_encoder.onnx');
    await writeFile(encoder, buildTinyTextEncoder(1, 40, 48));
    expect(await failing([GOLDEN, join(root, 'x'), '--tokenizer', '/etc/hostname', '--text-encoder', encoder])).toMatch(/\/etc\/hostname: not valid JSON/);
    errors.length = 0;
    const notTokenizer = join(root, 'other.json');
    await writeFile(notTokenizer, '{"hello": "world"}');
    expect(await failing([GOLDEN, join(root, 'x'), '--tokenizer', notTokenizer, '--text-encoder', encoder])).toContain('not a tokenizer.json');
    errors.length = 0;
    expect(await failing([GOLDEN, join(root, 'x'), '--audio-decoder', encoder])).toMatch(/lacks input "audio_codes", output "audio_values"/);
    await rm(encoder);
    await rm(notTokenizer);
  });

  it('refuses FIFOs and devices as extra files without blocking', async () => {
    const fifo = join(root, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    expect(await failing([GOLDEN, join(root, 'x'), '--audio-decoder', fifo])).toContain(`${fifo} is a named pipe (FIFO), not a regular file`);
    errors.length = 0;
    expect(await failing([GOLDEN, join(root, 'x'), '--audio-decoder', '/dev/zero'])).toContain('/dev/zero is a character device, not a regular file');
    await rm(fifo);
  });
});
