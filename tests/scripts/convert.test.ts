import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseManifest } from '../../src/bundle/manifest';
import { main } from '../../scripts/convert';
import { buildTinyAudioDecoder } from '../../src/demo/tinyAudioDecoder';

const FIXTURE = fileURLToPath(new URL('../../../shared/fixtures/golden-tiny', import.meta.url));

describe('scripts/convert.ts', () => {
  let dir: string;
  let log: ReturnType<typeof vi.spyOn>;
  let error: ReturnType<typeof vi.spyOn>;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'convert-cli-'));
    log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  it('converts a checkpoint folder into a bundle folder with a progress line per file', async () => {
    const out = join(dir, 'bundle');
    const audio = join(dir, 'decoder.onnx');
    await writeFile(audio, buildTinyAudioDecoder(1, 5, 2, 8));
    expect(await main([FIXTURE, out, '--dtype', 'fp16', '--name', 'tiny', '--audio-decoder', audio])).toBe(0);
    const manifest = parseManifest(JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')));
    expect(manifest.name).toBe('tiny');
    expect(manifest.dtype).toBe('fp16');
    expect(manifest.graphs.blocks.map((b) => b.path)).toEqual(['block_0.onnx', 'block_1.onnx', 'block_2.onnx']);
    for (const entry of [manifest.graphs.embed, ...manifest.graphs.blocks, manifest.graphs.head, manifest.audio!.decoder]) {
      const bytes = await readFile(join(out, entry.path));
      expect(createHash('sha256').update(bytes).digest('hex'), entry.path).toBe(entry.sha256);
    }
    const lines = log.mock.calls.map((call: unknown[]) => String(call[0]));
    expect(lines.filter((line: string) => /^\[\s*\d+\/7\] /.test(line))).toHaveLength(7);
    expect(lines.at(-1)).toContain(out);
    expect(error).not.toHaveBeenCalled();
  });

  it('reports user errors as one line and exit code 1', async () => {
    expect(await main([FIXTURE])).toBe(1);
    expect(await main([FIXTURE, join(dir, 'x'), '--dtype', 'int4'])).toBe(1);
    expect(await main([FIXTURE, join(dir, 'x'), '--tokenizer', 'tok.json'])).toBe(1);
    expect(await main([join(dir, 'missing'), join(dir, 'x')])).toBe(1);
    const messages = error.mock.calls.map((call: unknown[]) => String(call[0]));
    expect(messages).toEqual([
      expect.stringContaining('expected <checkpoint-dir> <out-dir>'),
      expect.stringContaining('--dtype must be one of fp32, fp16, q8, q4, got "int4"'),
      expect.stringContaining('--tokenizer and --text-encoder must be given together'),
      expect.stringMatching(/missing has no file "config.json"/),
    ]);
    expect(messages.every((m: string) => !m.includes('\n'))).toBe(true);
  });

  it('prints the usage for --help', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(String(log.mock.calls[0][0])).toContain('Usage: npm run convert');
  });
});
