/**
 * npm run convert -- <checkpoint-dir> <out-dir> [options]
 * Converts a Hugging Face MusicGen checkpoint folder into a lab bundle (per-layer ONNX graphs +
 * manifest.json). The conversion itself is src/convert/convertCheckpoint.ts; this is the Node shell.
 */
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ManifestError, type WeightDtype } from '../src/bundle/manifest';
import { ALL_WEIGHT_DTYPES, isWeightDtype, WEIGHT_DTYPES } from '../src/bundle/weightDtypes';
import { ConfigError } from '../src/checkpoint/musicgenConfig';
import { nodeFolderLocation } from '../src/checkpoint/nodeFolderLocation';
import { openCheckpoint, validateDecoderTensors } from '../src/checkpoint/openCheckpoint';
import { CheckpointError, DTYPE_BYTES } from '../src/checkpoint/safetensors';
import type { TensorReader } from '../src/checkpoint/types';
import { ExtraFileError } from '../src/convert/checkExtras';
import { bundleFileNames, convertCheckpoint } from '../src/convert/convertCheckpoint';
import { WeightValueError } from '../src/convert/finiteWeights';
import { stageBundle, type StagedBundle } from '../src/io/bundleFolder';
import type { FileWriter } from '../src/io/fileWriter';
import { OutputError } from '../src/io/outputError';
import { InputFileError, readRegularFile } from '../src/io/regularFile';

const USAGE = `Usage: npm run convert -- <checkpoint-dir> <out-dir> [options]

Converts a Hugging Face MusicGen checkpoint (config.json + model.safetensors) into a
MusicGen Lab bundle: embed.onnx, block_{l}.onnx, cross_kv_{i}.onnx, head.onnx, manifest.json.

Options:
  --dtype fp32|fp16|q8|q4   weight storage (default fp32). fp16: float16 storage, float32
                            compute. q8: int8 projections, one scale per output channel
                            (DynamicQuantizeLinear + MatMulInteger). q4: 4-bit blocks of 32
                            (MatMulNBits). q8/q4 keep embeddings, norms and enc_to_dec_proj in
                            float32; every figure computed on them is the quantised model's
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
  if (!isWeightDtype(values.dtype)) throw new UsageError(`--dtype must be one of ${ALL_WEIGHT_DTYPES.join(', ')}, got "${values.dtype}"`);
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
    return await readRegularFile(path);
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
}

/** Bytes the bundle's graphs will take: every decoder-side tensor at its stored width. */
function estimateBundleBytes(reader: TensorReader, dtype: WeightDtype): number {
  const floatWidth = dtype === 'fp16' ? 2 : 4;
  let total = 0;
  for (const name of reader.names()) {
    if (!name.startsWith('decoder.') && !name.startsWith('enc_to_dec_proj.')) continue;
    // q8/q4 quantise the decoder's projection matrices only (src/convert/graphs/linear.ts).
    const quantised = WEIGHT_DTYPES[dtype].quantised && name.startsWith('decoder.') && /(_proj|fc1|fc2|lm_heads\.\d+)\.weight$/.test(name);
    const info = reader.info(name);
    total += (info.byteLength / DTYPE_BYTES[info.dtype]) * (quantised ? WEIGHT_DTYPES[dtype].bytesPerWeight : floatWidth);
  }
  return total;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

/** A failure after the output was staged: the message already says what was kept. */
class KeptError extends Error {}

/** Test seams: the writer every output byte goes through (a full or read-only disk). */
export interface ConvertDeps {
  writer?: FileWriter;
}

async function run(options: CliOptions, signal: AbortSignal, deps: ConvertDeps): Promise<void> {
  const extras = {
    tokenizer: await readExtra(options.tokenizer, '--tokenizer'),
    textEncoder: await readExtra(options.textEncoder, '--text-encoder'),
    audioDecoder: await readExtra(options.audioDecoder, '--audio-decoder'),
  };
  const checkpoint = await openCheckpoint(nodeFolderLocation(options.checkpointDir));
  let staged: StagedBundle | undefined;
  try {
    validateDecoderTensors(checkpoint.config, checkpoint.reader);
    const { numLayers, hiddenSize } = checkpoint.config;
    const extraBytes = [extras.tokenizer, extras.textEncoder, extras.audioDecoder].reduce((n, b) => n + (b?.byteLength ?? 0), 0);
    staged = await stageBundle(options.outDir, { writer: deps.writer, expectedBytes: estimateBundleBytes(checkpoint.reader, options.dtype) + extraBytes });
    console.log(`${options.checkpointDir}: ${numLayers} layers, hidden ${hiddenSize}; writing ${options.dtype} bundle "${options.name}" to ${options.outDir}`);
    const sizes = new Map<string, number>();
    const started = Date.now();
    const manifest = await convertCheckpoint({
      reader: checkpoint.reader,
      config: checkpoint.config,
      dtype: options.dtype,
      name: options.name,
      checkpointLabel: options.checkpointDir,
      extras,
      extraLabels: { tokenizer: options.tokenizer, textEncoder: options.textEncoder, audioDecoder: options.audioDecoder },
      notes: options.notes,
      signal,
      writeFile: async (path, bytes) => {
        await staged!.writeFile(path, bytes);
        sizes.set(path, bytes.byteLength);
      },
      onProgress: ({ done, total, label }) => {
        const width = String(total).length;
        console.log(`[${String(done).padStart(width)}/${total}] ${label.padEnd(20)} ${formatBytes(sizes.get(label) ?? 0).padStart(9)}`);
      },
    });
    const entries = [manifest.graphs.embed, ...manifest.graphs.blocks, ...manifest.graphs.crossKv.map((g) => g.file), manifest.graphs.head];
    if (manifest.text) entries.push(manifest.text.tokenizer, manifest.text.encoder);
    if (manifest.audio) entries.push(manifest.audio.decoder);
    await staged.commit(entries, signal);
    staged = undefined;
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    console.log(
      `done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${resolve(options.outDir)} ` +
        `(${sizes.size} files, ${formatBytes(total)}; ${manifest.graphs.blocks.length} blocks, ${manifest.graphs.crossKv.length} cross_kv graph(s), ${bundleFileNames.manifest})`,
    );
  } catch (error) {
    if (staged === undefined || error instanceof OutputError) throw error;
    await staged.discard();
    const reason = (error as Error)?.name === 'AbortError' ? 'interrupted' : (error as Error)?.message ?? String(error);
    throw new KeptError(`${reason}; ${staged.keptNote}`, { cause: error });
  } finally {
    await staged?.discard();
    await checkpoint.close();
  }
}

const USER_ERRORS = [UsageError, CheckpointError, ConfigError, ManifestError, OutputError, InputFileError, WeightValueError, ExtraFileError, KeptError];
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Runs the CLI; returns the exit code. */
export async function main(args: string[], deps: ConvertDeps = {}): Promise<number> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  for (const signal of STOP_SIGNALS) process.once(signal, onInterrupt);
  try {
    const options = parseCli(args);
    if (options === 'help') {
      console.log(USAGE);
      return 0;
    }
    await run(options, controller.signal, deps);
    return 0;
  } catch (error) {
    const err = error as Error;
    if (err?.name === 'AbortError') console.error('convert: interrupted before anything was written');
    else if (USER_ERRORS.some((type) => error instanceof type)) console.error(`convert: ${err.message}`);
    else console.error(`convert: unexpected failure: ${err?.message ?? String(error)}`);
    if (process.env.DEBUG && err?.stack) console.error(err.stack);
    return 1;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onInterrupt);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
