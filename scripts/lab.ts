/**
 * The lab on the command line: generate WAVs with any bundle, DecoderLens depths in one batched
 * run, interventions from a patch file, and activation capture (to build concept means).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeWav } from '../src/audio/wav';
import { nodeBundleFiles } from '../src/bundle/nodeBundleFiles';
import { nodeFileSource } from '../src/checkpoint/nodeFileSource';
import { openSafetensors } from '../src/checkpoint/safetensors';
import { writeSafetensors } from '../src/checkpoint/safetensorsWriter';
import { MusicgenEngine } from '../src/engine/engine';
import type { HookName } from '../src/engine/hooks';
import { parseHookName } from '../src/engine/hooks';
import { parsePatchFile } from '../src/engine/patchFile';
import type { GenerateOptions, PatchSpec, RowSpec } from '../src/engine/types';
import { createRuntime, type Backend } from '../src/runtime/ort';
import { DEFAULT_MEMORY_BUDGET } from '../src/analysis/means/run';
import { parseByteSize } from '../src/analysis/interventions/rowMemory';
import { captureMeans } from './lab/captureMean';

const HELP = `Usage: npm run lab -- <command> [options]

Commands:
  generate   generate audio from a prompt and write WAV files
  capture    record hook activations for prompts (optionally their mean) to a .safetensors file
  info       print a bundle's model configuration and hook names

Common options:
  --model DIR          lab bundle folder (default: models/tiny, the bundled tiny demo model;
                       convert real weights with \`npm run convert\`)
  --backend node|wasm  onnxruntime-node (default) or onnxruntime-web WASM
  --threads N          compute threads
  -h, --help           show this help

generate options:
  --prompt TEXT        the text prompt (required)
  --seconds S          duration (default 4; 50 EnCodec frames per second)
  --out FILE           output WAV (default out.wav); with --layers, one file per depth: FILE-L{n}.wav
  --layers LIST        DecoderLens: comma-separated depths (1..numLayers) or "all"; all depths run
                       in one batched generation (each depth = first n blocks + final norm + heads)
  --patch FILE         apply the interventions of a patch file (JSON; see README "Patch files")
  --seed N             sampling seed (default 42; same seed, same audio)
  --top-k N            top-k (default 250; 0 = no limit)
  --temperature T      temperature (default 1)
  --guidance G         classifier-free guidance scale (default 3)
  --greedy             argmax instead of sampling

capture options:
  --prompt TEXT        a prompt; repeat the flag for several prompts
  --prompts-file FILE  one prompt per line
  --hooks LIST         comma-separated hook names, e.g. blocks.0.hook_mlp_out,blocks.3.hook_attn_out,
                       or "modules" for every attn/cross_attn/mlp output (default: modules)
  --mean               store the mean over prompts instead of one tensor per prompt: streamed into
                       running sums (memory does not grow with the prompts), in batches sized to
                       --memory-budget; after each batch the sums go to FILE.partial, and a killed
                       run started again with the same settings resumes there; a finished FILE with
                       the same model, settings, prompts and seed is reused (its key is in its metadata)
  --memory-budget SIZE KV cache one batch may use, e.g. 512MiB, 2GiB (default 1GiB)
  --seconds, --seed, --top-k, --temperature, --guidance, --greedy as for generate
  --out FILE           output .safetensors (default activations.safetensors); tensors are named by
                       hook ([steps, 2, d]: step, branch cond/null, hidden) or prompt{i}/{hook}
`;

class UsageError extends Error {}

function parseNumber(value: string | undefined, name: string, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'}, got "${value}"`);
  return n;
}

function parseDepths(value: string, numLayers: number): number[] {
  if (value === 'all') return Array.from({ length: numLayers }, (_, i) => i + 1);
  return value.split(',').map((part) => {
    const depth = Number(part.trim());
    if (!Number.isInteger(depth) || depth < 1 || depth > numLayers) throw new UsageError(`--layers: "${part}" is not a depth in 1..${numLayers}`);
    return depth;
  });
}

function parseBudget(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MEMORY_BUDGET;
  try {
    return parseByteSize(value);
  } catch (error) {
    throw new UsageError(`--memory-budget: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function loadPatches(file: string, numLayers: number): Promise<PatchSpec[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--patch ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const base = dirname(resolve(file));
  return parsePatchFile(json, numLayers, async (ref) => (await openSafetensors(nodeFileSource(join(base, ref.file)))).readFloat32(ref.tensor), file);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string', default: 'models/tiny' },
      backend: { type: 'string', default: 'node' },
      threads: { type: 'string' },
      prompt: { type: 'string', multiple: true },
      'prompts-file': { type: 'string' },
      seconds: { type: 'string' },
      out: { type: 'string' },
      layers: { type: 'string' },
      patch: { type: 'string' },
      hooks: { type: 'string' },
      mean: { type: 'boolean', default: false },
      'memory-budget': { type: 'string' },
      seed: { type: 'string' },
      'top-k': { type: 'string' },
      temperature: { type: 'string' },
      guidance: { type: 'string' },
      greedy: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(HELP);
    if (!command && !values.help) process.exitCode = 1;
    return;
  }
  if (!['generate', 'capture', 'info'].includes(command)) throw new UsageError(`unknown command "${command}" (generate, capture or info)`);
  if (values.backend !== 'node' && values.backend !== 'wasm') throw new UsageError('--backend must be node or wasm');
  const threads = values.threads === undefined ? undefined : parseNumber(values.threads, 'threads', 1, true);
  const runtime = await createRuntime(values.backend as Backend, { numThreads: threads });
  const engine = await MusicgenEngine.load(nodeBundleFiles(values.model!), runtime);
  const config = engine.manifest.config;
  try {
    if (command === 'info') {
      console.log(JSON.stringify({ name: engine.manifest.name, dtype: engine.manifest.dtype, notes: engine.manifest.notes, config, hooks: engine.manifest.hooks.length }, null, 2));
      return;
    }
    const seconds = parseNumber(values.seconds, 'seconds', 4);
    const frames = Math.round(seconds * (config.sampleRate / config.samplesPerFrame));
    if (frames < 1) throw new UsageError('--seconds is too short for one frame');
    const sampling: Partial<GenerateOptions> = {
      seed: parseNumber(values.seed, 'seed', 42, true),
      topK: parseNumber(values['top-k'], 'top-k', 250, true),
      temperature: parseNumber(values.temperature, 'temperature', 1),
      guidanceScale: parseNumber(values.guidance, 'guidance', 3),
      greedy: values.greedy,
    };
    // A live counter on a terminal; a few lines in logs.
    const progress = (p: { step: number; steps: number }) => {
      if (process.stderr.isTTY) process.stderr.write(`\rstep ${p.step}/${p.steps}`);
      else if (p.step === p.steps || p.step % Math.ceil(p.steps / 4) === 0) process.stderr.write(`step ${p.step}/${p.steps}\n`);
    };

    if (command === 'generate') {
      const prompt = values.prompt?.[0];
      if (!prompt) throw new UsageError('generate needs --prompt');
      const patches = values.patch ? await loadPatches(values.patch, config.numLayers) : [];
      const depths = values.layers ? parseDepths(values.layers, config.numLayers) : [config.numLayers];
      const rows: RowSpec[] = depths.map((depth) => ({ prompt: 0, depth, patches: patches.filter((p) => parseHookName(p.hook, config.numLayers).layer! < depth) }));
      const result = await engine.generate({ prompts: [prompt], frames, rows, ...sampling, onProgress: progress });
      if (process.stderr.isTTY) process.stderr.write('\n');
      const audio = await engine.decodeAudio(result.rows.map((r) => r.codes), frames);
      const out = values.out ?? 'out.wav';
      await mkdir(dirname(resolve(out)), { recursive: true });
      for (let i = 0; i < rows.length; i++) {
        const file = values.layers ? out.replace(/(\.wav)?$/i, `-L${depths[i]}.wav`) : out;
        await writeFile(file, encodeWav(audio[i], config.sampleRate));
        console.log(`${file}: ${(audio[i].length / config.sampleRate).toFixed(2)} s, ${depths[i]} of ${config.numLayers} layers${patches.length ? `, ${rows[i].patches!.length} patches` : ''}`);
      }
      return;
    }

    // capture
    const prompts = [...(values.prompt ?? [])];
    if (values['prompts-file']) prompts.push(...(await readFile(values['prompts-file'], 'utf8')).split('\n').map((l) => l.trim()).filter(Boolean));
    if (prompts.length === 0) throw new UsageError('capture needs --prompt or --prompts-file');
    const hooks: HookName[] = !values.hooks || values.hooks === 'modules'
      ? Array.from({ length: config.numLayers }, (_, l) => [`blocks.${l}.hook_attn_out`, `blocks.${l}.hook_cross_attn_out`, `blocks.${l}.hook_mlp_out`] as HookName[]).flat()
      : (values.hooks.split(',').map((h) => h.trim()) as HookName[]);
    hooks.forEach((h) => parseHookName(h, config.numLayers));
    if (values.mean) {
      const { seed, topK, temperature, guidanceScale, greedy } = sampling as Required<GenerateOptions>;
      await captureMeans(engine, { prompts, hooks, settings: { frames, topK, temperature, guidanceScale, greedy }, seed, out: values.out ?? 'activations.safetensors', budgetBytes: parseBudget(values['memory-budget']) });
      return;
    }
    const result = await engine.generate({ prompts, frames, rows: prompts.map((_, prompt) => ({ prompt })), capture: hooks, ...sampling, onProgress: progress });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const shape = [result.steps, 2, config.hiddenSize];
    const tensors = result.rows.flatMap((row, i) => hooks.map((hook) => ({ name: `prompt${i}/${hook}`, dtype: 'F32' as const, shape, data: row.captures[hook]! })));
    const out = values.out ?? 'activations.safetensors';
    await writeFile(out, writeSafetensors(tensors, { prompts: JSON.stringify(prompts), seed: String(sampling.seed), frames: String(frames) }));
    console.log(`${out}: ${tensors.length} tensors [${shape.join(', ')}] from ${prompts.length} prompt(s)`);
  } finally {
    await engine.release();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`lab: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
