/**
 * The lab on the command line: generate WAVs with any bundle, DecoderLens depths in one batched
 * run, interventions from a patch file, and activation capture (to build concept means).
 */
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeWav } from '../src/audio/wav';
import type { BundleFiles } from '../src/bundle/bundleFiles';
import type { BundleManifest } from '../src/bundle/manifest';
import { nodeBundleFiles } from '../src/bundle/nodeBundleFiles';
import { writeSafetensors } from '../src/checkpoint/safetensorsWriter';
import { decoderSteps } from '../src/engine/delayPattern';
import { MusicgenEngine } from '../src/engine/engine';
import type { HookName } from '../src/engine/hooks';
import { parseHookName } from '../src/engine/hooks';
import { parsePatchFile, type PatchTarget } from '../src/engine/patchFile';
import type { GenerateOptions, PatchSpec, RowSpec } from '../src/engine/types';
import { writeFileAtomic } from '../src/io/atomicFile';
import { readBundleManifest } from '../src/io/bundleInputs';
import { nativeCommandLineProblem } from '../src/io/commandLine';
import { checkOutputFile } from '../src/io/outputPath';
import { nodeTensorResolver } from '../src/io/patchTensors';
import { readRegularFile } from '../src/io/regularFile';
import { checkPromptTokens, parseDepths, parseOption, promptProblem } from '../src/options/generationOptions';
import { createRuntime, type Backend } from '../src/runtime/ort';
import { loadPromptTokenizer } from '../src/text/promptTokenizer';
import { DEFAULT_MEMORY_BUDGET } from '../src/analysis/means/run';
import { parseByteSize } from '../src/analysis/interventions/rowMemory';
import { captureMeans } from './lab/captureMean';
import { studyCommand } from './lab/study';
import { messageOf } from '../src/errorMessage';

const HELP = `Usage: npm run lab -- <command> [options]

Commands:
  generate   generate audio from a prompt and write WAV files
  capture    record hook activations for prompts (optionally their mean) to a .safetensors file
  info       print a bundle's model configuration and hook names
  study      the paper's experiments for one concept pair: means, DecoderLens recognisability and
             the replace/adjust sweep, scored by a classifier; writes sweep.csv, lens.csv, JSON
             and SVG figures (npm run lab -- study --from guitar --to piano --out DIR; custom
             concepts with --concepts FILE; its model defaults to models/toy, the page's demo
             model; \`npm run lab -- study --help\` for its options)

Common options:
  --model DIR          lab bundle folder (default for generate, capture and info: models/tiny,
                       the tiny random test model; study: models/toy, the page's demo model;
                       convert real weights with \`npm run convert\`)
  --backend node|wasm  onnxruntime-node (default) or onnxruntime-web WASM
  --threads N          compute threads (1..32)
  -h, --help           show this help

generate options:
  --prompt TEXT        the text prompt (required, or --prompt-file)
  --prompt-file FILE   read the prompt from a file (for long prompts: very long command lines crash
                       onnxruntime-node)
  --seconds S          duration (default 4; 50 EnCodec frames per second)
  --out FILE           output WAV (default out.wav); with --layers, one file per depth: FILE-L{n}.wav
  --layers LIST        DecoderLens: comma-separated depths (1..numLayers) or "all"; all depths run
                       in one batched generation (each depth = first n blocks + final norm + heads)
  --patch FILE         apply the interventions of a patch file (JSON; see README "Patch files")
  --allow-outside-paths  let the patch file reference tensor files outside its own folder
  --seconds S          0.02..30
  --seed N             sampling seed (default 42; 0..4294967295; same seed, same audio)
  --top-k N            top-k (default 250; 0..2048, 0 = no limit)
  --temperature T      temperature (default 1; 0.05..5; use --greedy for argmax)
  --guidance G         classifier-free guidance scale (default 3; 0..20)
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

/** Text files given on the command line: regular files only, at most 1 MB. */
async function readTextFile(file: string, flag: string): Promise<string> {
  try {
    return new TextDecoder().decode(await readRegularFile(file, 1 << 20));
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
}

function parseBudget(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MEMORY_BUDGET;
  try {
    return parseByteSize(value);
  } catch (error) {
    throw new UsageError(`--memory-budget: ${messageOf(error)}`);
  }
}

async function loadPatches(file: string, target: PatchTarget, allowOutside: boolean): Promise<PatchSpec[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readTextFile(file, '--patch'));
  } catch (error) {
    throw new UsageError(error instanceof UsageError ? error.message : `--patch ${file}: ${(error as Error).message}`);
  }
  return parsePatchFile(json, target, nodeTensorResolver(dirname(resolve(file)), { allowOutside }), file);
}

async function checkPromptsFit(files: BundleFiles, manifest: BundleManifest, prompts: readonly string[], flag: string): Promise<void> {
  prompts.forEach((prompt) => {
    const problem = promptProblem(prompt, flag);
    if (problem) throw new UsageError(problem);
  });
  if (!manifest.text) return;
  const tokenizer = loadPromptTokenizer(await files.read(manifest.text.tokenizer.path), manifest.text.tokenizer.path);
  checkPromptTokens(tokenizer, prompts, flag);
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'study') return studyCommand(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string', default: 'models/tiny' },
      backend: { type: 'string', default: 'node' },
      threads: { type: 'string' },
      prompt: { type: 'string', multiple: true },
      'prompt-file': { type: 'string' },
      'prompts-file': { type: 'string' },
      'allow-outside-paths': { type: 'boolean', default: false },
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
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  // onnxruntime-web's WASM build never finished creating a session with 64 threads here (32 worked).
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 32)) throw new UsageError(`--threads must be a whole number in 1..32 (got "${values.threads}")`);
  // Everything is checked before the first onnxruntime session: options, prompts, patches, output paths.
  const seconds = parseOption('seconds', values.seconds, 4);
  const budgetBytes = parseBudget(values['memory-budget']);
  const sampling: Partial<GenerateOptions> = {
    seed: parseOption('seed', values.seed, 42),
    topK: parseOption('topK', values['top-k'], 250),
    temperature: parseOption('temperature', values.temperature, 1),
    guidanceScale: parseOption('guidanceScale', values.guidance, 3),
    greedy: values.greedy,
  };
  const files = nodeBundleFiles(values.model!);
  const manifest = await readBundleManifest(values.model!);
  const config = manifest.config;
  const frames = Math.max(1, Math.round(seconds * (config.sampleRate / config.samplesPerFrame)));
  const steps = decoderSteps(frames, config.numCodebooks);
  const prompts = [...(values.prompt ?? [])];
  if (values['prompt-file']) prompts.push((await readTextFile(values['prompt-file'], '--prompt-file')).trim());
  if (values['prompts-file']) prompts.push(...(await readTextFile(values['prompts-file'], '--prompts-file')).split('\n').map((l) => l.trim()).filter(Boolean));
  let patches: PatchSpec[] = [];
  let depths: number[] = [config.numLayers];
  const outputs: string[] = [];
  const wavBytes = 44 + 2 * frames * config.samplesPerFrame;
  if (command === 'generate') {
    if (prompts.length !== 1) throw new UsageError(prompts.length === 0 ? 'generate needs --prompt or --prompt-file' : 'generate takes one prompt (--prompt or --prompt-file)');
    await checkPromptsFit(files, manifest, prompts, '--prompt');
    if (values.layers) depths = parseDepths(values.layers, config.numLayers);
    if (values.patch) {
      const target = { numLayers: config.numLayers, hiddenSize: config.hiddenSize, steps, stepsPerSecond: config.sampleRate / config.samplesPerFrame };
      patches = await loadPatches(values.patch, target, values['allow-outside-paths']);
    }
    const out = values.out ?? 'out.wav';
    outputs.push(...depths.map((depth) => (values.layers ? out.replace(/(\.wav)?$/i, `-L${depth}.wav`) : out)));
    for (const file of outputs) await checkOutputFile(file, { label: '--out', expectedBytes: wavBytes });
  } else if (command === 'capture') {
    if (prompts.length === 0) throw new UsageError('capture needs --prompt or --prompts-file');
    await checkPromptsFit(files, manifest, prompts, '--prompt');
    outputs.push(values.out ?? 'activations.safetensors');
    await checkOutputFile(outputs[0], { label: '--out' });
  }
  const problem = values.backend === 'node' ? nativeCommandLineProblem() : null;
  if (problem) throw new UsageError(problem);

  const runtime = await createRuntime(values.backend as Backend, { numThreads: threads });
  const engine = await MusicgenEngine.load(files, runtime);
  try {
    if (command === 'info') {
      console.log(JSON.stringify({ name: engine.manifest.name, dtype: engine.manifest.dtype, notes: engine.manifest.notes, config, hooks: engine.manifest.hooks.length }, null, 2));
      return;
    }
    // A live counter on a terminal; a few lines in logs.
    const progress = (p: { step: number; steps: number }) => {
      if (process.stderr.isTTY) process.stderr.write(`\rstep ${p.step}/${p.steps}`);
      else if (p.step === p.steps || p.step % Math.ceil(p.steps / 4) === 0) process.stderr.write(`step ${p.step}/${p.steps}\n`);
    };

    if (command === 'generate') {
      const prompt = prompts[0];
      const rows: RowSpec[] = depths.map((depth) => ({ prompt: 0, depth, patches: patches.filter((p) => parseHookName(p.hook, config.numLayers).layer! < depth) }));
      const result = await engine.generate({ prompts: [prompt], frames, rows, ...sampling, onProgress: progress });
      if (process.stderr.isTTY) process.stderr.write('\n');
      const audio = await engine.decodeAudio(result.rows.map((r) => r.codes), frames);
      for (let i = 0; i < rows.length; i++) {
        const file = outputs[i];
        await writeFileAtomic(file, encodeWav(audio[i], config.sampleRate));
        console.log(`${file}: ${(audio[i].length / config.sampleRate).toFixed(2)} s, ${depths[i]} of ${config.numLayers} layers${patches.length ? `, ${rows[i].patches!.length} patches` : ''}`);
      }
      return;
    }

    // capture
    const hooks: HookName[] = !values.hooks || values.hooks === 'modules'
      ? Array.from({ length: config.numLayers }, (_, l) => [`blocks.${l}.hook_attn_out`, `blocks.${l}.hook_cross_attn_out`, `blocks.${l}.hook_mlp_out`] as HookName[]).flat()
      : (values.hooks.split(',').map((h) => h.trim()) as HookName[]);
    hooks.forEach((h) => parseHookName(h, config.numLayers));
    if (values.mean) {
      const { seed, topK, temperature, guidanceScale, greedy } = sampling as Required<GenerateOptions>;
      await captureMeans(engine, { prompts, hooks, settings: { frames, topK, temperature, guidanceScale, greedy }, seed, out: outputs[0], budgetBytes });
      return;
    }
    const result = await engine.generate({ prompts, frames, rows: prompts.map((_, prompt) => ({ prompt })), capture: hooks, ...sampling, onProgress: progress });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const shape = [result.steps, 2, config.hiddenSize];
    const tensors = result.rows.flatMap((row, i) => hooks.map((hook) => ({ name: `prompt${i}/${hook}`, dtype: 'F32' as const, shape, data: row.captures[hook]! })));
    const out = outputs[0];
    await writeFileAtomic(out, writeSafetensors(tensors, { prompts: JSON.stringify(prompts), seed: String(sampling.seed), frames: String(frames) }));
    console.log(`${out}: ${tensors.length} tensors [${shape.join(', ')}] from ${prompts.length} prompt(s)`);
  } finally {
    await engine.release();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // One line: parser messages may quote a file's text, newlines included.
  console.error(`lab: ${messageOf(error).replace(/\s*\n\s*/g, ' ')}`);
  process.exitCode = 1;
});
