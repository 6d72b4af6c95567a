/**
 * npm run convert -- <checkpoint-dir> <out-dir> [options]
 * Converts a Hugging Face MusicGen checkpoint folder into a lab bundle (per-layer ONNX graphs +
 * manifest.json). The conversion itself is src/convert/convertCheckpoint.ts; this is the Node shell.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ManifestError, type WeightDtype } from '../src/bundle/manifest';
import { ConfigError } from '../src/checkpoint/musicgenConfig';
import { nodeFolderLocation } from '../src/checkpoint/nodeFolderLocation';
import { openCheckpoint, validateDecoderTensors } from '../src/checkpoint/openCheckpoint';
import { CheckpointError } from '../src/checkpoint/safetensors';
import { bundleFileNames, convertCheckpoint } from '../src/convert/convertCheckpoint';

const USAGE = `Usage: npm run convert -- <checkpoint-dir> <out-dir> [options]

Converts a Hugging Face MusicGen checkpoint (config.json + model.safetensors) into a
MusicGen Lab bundle: embed.onnx, block_{l}.onnx, cross_kv_{i}.onnx, head.onnx, manifest.json.

Options:
  --dtype fp32|fp16         weight storage (default fp32; compute stays float32)
  --name NAME               bundle name (default: the checkpoint folder's name)
  --notes TEXT              notes shown to users of the bundle
  --tokenizer FILE          T5 tokenizer.json to include (needs --text-encoder)
  --text-encoder FILE       text_encoder.onnx to include (needs --tokenizer)
  --audio-decoder FILE      encodec_decode.onnx to include
  -h, --help                show this help`;

/** A mistake in how the command was called: reported as one line, no stack. */
class UsageError extends Error {}

interface CliOptions {
  checkpointDir: string;
  outDir: string;
  dtype: WeightDtype;
  name: string;
  notes?: string;
  tokenizer?: string;
  textEncoder?: string;
  audioDecoder?: string;
}

function parseCli(args: string[]): CliOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        dtype: { type: 'string', default: 'fp32' },
        name: { type: 'string' },
        notes: { type: 'string' },
        tokenizer: { type: 'string' },
        'text-encoder': { type: 'string' },
        'audio-decoder': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 2) throw new UsageError(`expected <checkpoint-dir> <out-dir>, got ${positionals.length} argument(s) (see --help)`);
  if (values.dtype !== 'fp32' && values.dtype !== 'fp16') throw new UsageError(`--dtype must be fp32 or fp16, got "${values.dtype}"`);
  if ((values.tokenizer === undefined) !== (values['text-encoder'] === undefined)) {
    throw new UsageError('--tokenizer and --text-encoder must be given together');
  }
  const [checkpointDir, outDir] = positionals;
  return {
    checkpointDir,
    outDir,
    dtype: values.dtype,
    name: values.name ?? basename(resolve(checkpointDir)),
    notes: values.notes,
    tokenizer: values.tokenizer,
    textEncoder: values['text-encoder'],
    audioDecoder: values['audio-decoder'],
  };
}

async function readExtra(path: string | undefined, flag: string): Promise<Uint8Array | undefined> {
  if (path === undefined) return undefined;
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new UsageError(`${flag} ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

async function prepareOutDir(outDir: string): Promise<void> {
  const existing = await stat(outDir).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new UsageError(`${outDir} exists and is not a folder`);
  await mkdir(outDir, { recursive: true });
}

async function run(options: CliOptions, signal: AbortSignal): Promise<void> {
  const extras = {
    tokenizer: await readExtra(options.tokenizer, '--tokenizer'),
    textEncoder: await readExtra(options.textEncoder, '--text-encoder'),
    audioDecoder: await readExtra(options.audioDecoder, '--audio-decoder'),
  };
  const checkpoint = await openCheckpoint(nodeFolderLocation(options.checkpointDir));
  try {
    validateDecoderTensors(checkpoint.config, checkpoint.reader);
    const { numLayers, hiddenSize } = checkpoint.config;
    console.log(`${options.checkpointDir}: ${numLayers} layers, hidden ${hiddenSize}; writing ${options.dtype} bundle "${options.name}" to ${options.outDir}`);
    await prepareOutDir(options.outDir);
    const sizes = new Map<string, number>();
    const started = Date.now();
    const manifest = await convertCheckpoint({
      reader: checkpoint.reader,
      config: checkpoint.config,
      dtype: options.dtype,
      name: options.name,
      checkpointLabel: options.checkpointDir,
      extras,
      notes: options.notes,
      signal,
      writeFile: async (path, bytes) => {
        await writeFile(join(options.outDir, path), bytes);
        sizes.set(path, bytes.byteLength);
      },
      onProgress: ({ done, total, label }) => {
        const width = String(total).length;
        console.log(`[${String(done).padStart(width)}/${total}] ${label.padEnd(20)} ${formatBytes(sizes.get(label) ?? 0).padStart(9)}`);
      },
    });
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    console.log(
      `done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${resolve(options.outDir)} ` +
        `(${sizes.size} files, ${formatBytes(total)}; ${manifest.graphs.blocks.length} blocks, ${manifest.graphs.crossKv.length} cross_kv graph(s), ${bundleFileNames.manifest})`,
    );
  } finally {
    await checkpoint.close();
  }
}

const USER_ERRORS = [UsageError, CheckpointError, ConfigError, ManifestError];

/** Runs the CLI; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    const options = parseCli(args);
    if (options === 'help') {
      console.log(USAGE);
      return 0;
    }
    await run(options, controller.signal);
    return 0;
  } catch (error) {
    const err = error as Error;
    if (err?.name === 'AbortError') console.error('convert: interrupted; the output folder is incomplete (no manifest.json written)');
    else if (USER_ERRORS.some((type) => error instanceof type)) console.error(`convert: ${err.message}`);
    else console.error('convert: unexpected failure\n', error);
    return 1;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
