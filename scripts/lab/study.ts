/**
 * `npm run lab -- study`: the paper's figures for one concept pair, headless. Means of both
 * concepts, DecoderLens recognisability per depth for both, and the replace/adjust sweep over every
 * site, scored by an AST AudioSet classifier; every prompt's result is kept in --out as it
 * finishes, so a killed run started again with the same options continues where it stopped.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { conceptPrompts, type Concept } from '../../src/analysis/concepts/concept';
import { parseConceptsFile } from '../../src/analysis/concepts/conceptsFile';
import { findStudyConcept, STUDY_CONCEPTS } from '../../src/analysis/concepts/studyConcepts';
import { allSites, siteHook } from '../../src/analysis/interventions/kernel';
import { formatBytes, parseByteSize } from '../../src/analysis/interventions/rowMemory';
import { bundleDigest } from '../../src/analysis/means/key';
import { formatEta } from '../../src/analysis/means/progress';
import { DEFAULT_MEMORY_BUDGET } from '../../src/analysis/means/run';
import { lensCsv, sweepCsv } from '../../src/analysis/study/csv';
import { lensFigureSvg, sweepFigureSvg } from '../../src/analysis/study/figures';
import { runStudy, type StudyStore } from '../../src/analysis/study/run';
import { parseManifest } from '../../src/bundle/manifest';
import { nodeBundleFiles } from '../../src/bundle/nodeBundleFiles';
import { TINY_CLASSIFIER_DIR } from '../../src/demo/tinyClassifier';
import { nodeFolderLocation } from '../../src/checkpoint/nodeFolderLocation';
import { loadClassifier } from '../../src/classifier/loadClassifier';
import { MusicgenEngine } from '../../src/engine/engine';
import { writeFileAtomic } from '../../src/io/atomicFile';
import { readRegularFile } from '../../src/io/regularFile';
import { checkWritableFolder } from '../../src/io/outputPath';
import { parseOption } from '../../src/options/generationOptions';
import { createRuntime, type Backend, type Runtime } from '../../src/runtime/ort';
import type { NodeFileSource } from '../../src/checkpoint/nodeFileSource';
import { captureMeans, progressPrinter } from './captureMean';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TINY_MODEL = join(ROOT, 'models/tiny');
/** The page's demo model (src/main.tsx opens models/toy/), so the default run and the page agree. */
const DEFAULT_MODEL = join(ROOT, 'models/toy');
/** Bounds what a wrong --concepts file can make us read (a custom concept is at most 1000 prompts of 1000 characters). */
const MAX_CONCEPTS_FILE_BYTES = 16 << 20;

/** The classifier a bundle names for itself (manifest.json `classifier`, e.g. the toy model's), as a folder. */
async function bundleClassifierDir(modelDir: string): Promise<string | undefined> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(join(modelDir, 'manifest.json'), 'utf8'));
  } catch {
    return undefined; // loading the bundle reports a missing or broken manifest properly
  }
  const { classifier } = parseManifest(manifest, `${modelDir}/manifest.json`);
  return classifier === undefined || /^https?:/.test(classifier) ? undefined : join(modelDir, classifier);
}
const TINY_CLASSIFIER = join(ROOT, TINY_CLASSIFIER_DIR);

const STUDY_IDS = STUDY_CONCEPTS.map((c) => c.id).join(', ');

export const STUDY_HELP = `Usage: npm run lab -- study --from CONCEPT --to CONCEPT --out DIR [options]

The study's two experiments for one concept pair ("Exploring the Inner Mechanisms of Large
Generative Music Models", ISMIR 2024), headless: concept means of both concepts, DecoderLens
recognisability (NDCG per depth) of both, and the replace/adjust sweep over every site
(layers × self-attention, cross-attention, MLP) on the --from concept's prompts, scored by an AST
AudioSet classifier (effect and precision per site, averaged over prompts with n and std).

Options:
  --from CONCEPT       the original concept: one of the study's ten
                       (${STUDY_IDS}),
                       or a custom one from --concepts, by name
  --to CONCEPT         the desired concept (the same choices)
  --concepts FILE      custom concepts, as the page's custom concept form makes them. JSON:
                         [{"name": "lo-fi", "prompts": ["a lo-fi hip hop beat", "..."],
                           "labels": ["Hip hop music", 137]}]
                       labels are AudioSet display names or indices 0..526, most characteristic
                       first (effect reads the first; NDCG counts all); names must differ from
                       each other and from the study's; a custom concept needs at least --prompts
                       prompts, used in the file's order
  --out DIR            output folder (required): sweep.csv, lens.csv, study.json, sweep-effect.svg,
                       sweep-precision.svg, lens.svg; means-CONCEPT.safetensors and results/
                       (one JSON per finished prompt) make a killed run resumable: start it again
                       with the same options and it continues where it stopped
  --model DIR          lab bundle (default models/toy, the page's demo model: a constructed
                       MusicGen whose mechanism is known; models/tiny is the random test model)
  --classifier DIR     AST AudioSet folder (config.json, preprocessor_config.json, onnx/model.onnx
                       or onnx/model_quantized.onnx, e.g. Xenova/ast-finetuned-audioset-10-10-0.4593);
                       default: the classifier the bundle names (the toy model's own), or for the
                       tiny demo model models/classifiers/ast-tiny (random weights)
  --prompts N          prompts per concept: 1..125 for the study's, up to the file's count for
                       custom ones (default 100, as in the paper)
  --seconds S          clip length (default 4, as in the paper)
  --seed, --top-k, --temperature, --guidance, --greedy   sampling, as for generate (study defaults)
  --memory-budget SIZE KV cache one batch may use (default 1GiB); sweeps and lens runs are chunked
  --backend node|wasm, --threads N   as for the other commands
`;

class StudyUsageError extends Error {}

/** A concept by id or name: the study's, else one of the concepts file's (case-insensitive). */
function concept(flag: string, value: string | undefined, custom: readonly Concept[], conceptsFile: string | undefined): Concept {
  const choices = `one of ${STUDY_IDS}${custom.length ? `, or of ${conceptsFile}: ${custom.map((c) => c.id).join(', ')}` : ''}`;
  if (!value) throw new StudyUsageError(`study needs ${flag} CONCEPT (${choices})`);
  const wanted = value.trim().toLowerCase();
  const found = findStudyConcept(value) ?? custom.find((c) => c.id === wanted || c.name.toLowerCase() === wanted);
  if (!found) throw new StudyUsageError(`${flag}: "${value}" is not a study concept (${choices})${conceptsFile ? '' : '; custom concepts come from --concepts FILE'}`);
  return found;
}

async function readConcepts(file: string): Promise<Concept[]> {
  let text: string;
  try {
    text = new TextDecoder().decode(await readRegularFile(file, MAX_CONCEPTS_FILE_BYTES));
  } catch (error) {
    throw new StudyUsageError(`--concepts: ${(error as Error).message}`);
  }
  try {
    return parseConceptsFile(text, file);
  } catch (error) {
    throw new StudyUsageError(`--concepts ${(error as Error).message}`);
  }
}

/** Per-prompt results as JSON files under DIR/results/. */
function folderStore(dir: string): StudyStore {
  const pathOf = (name: string) => join(dir, 'results', `${name}.json`);
  return {
    async get(name) {
      const path = pathOf(name);
      if (!existsSync(path)) return undefined;
      try {
        return JSON.parse(await readFile(path, 'utf8')) as unknown;
      } catch {
        return undefined; // damaged (cannot happen with atomic writes, but then recompute it)
      }
    },
    async put(name, value) {
      await mkdir(dirname(pathOf(name)), { recursive: true });
      await writeFileAtomic(pathOf(name), new TextEncoder().encode(`${JSON.stringify(value)}\n`));
    },
  };
}

/** loadClassifier over a local folder, closing the files it opened (it reads each one whole). */
async function loadClassifierClosingFiles(dir: string, runtime: Runtime) {
  const folder = nodeFolderLocation(dir);
  const opened: NodeFileSource[] = [];
  const location = { ...folder, open: async (path: string) => {
    const source = await folder.open(path);
    opened.push(source);
    return source;
  } };
  try {
    return await loadClassifier(location, runtime);
  } finally {
    await Promise.all(opened.map((source) => source.close()));
  }
}

export async function studyCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      concepts: { type: 'string' },
      model: { type: 'string', default: DEFAULT_MODEL },
      classifier: { type: 'string' },
      prompts: { type: 'string', default: '100' },
      seconds: { type: 'string' },
      seed: { type: 'string' },
      'top-k': { type: 'string' },
      temperature: { type: 'string' },
      guidance: { type: 'string' },
      greedy: { type: 'boolean', default: false },
      'memory-budget': { type: 'string' },
      backend: { type: 'string', default: 'node' },
      threads: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(STUDY_HELP);
    return;
  }
  // Everything is checked before any model is loaded.
  const custom = values.concepts === undefined ? [] : await readConcepts(values.concepts);
  const from = concept('--from', values.from, custom, values.concepts);
  const to = concept('--to', values.to, custom, values.concepts);
  if (from.id === to.id) throw new StudyUsageError(`--from and --to are both "${from.id}": pick two different concepts`);
  if (!values.out) throw new StudyUsageError('study needs --out DIR');
  const prompts = Number(values.prompts);
  for (const c of [from, to]) {
    try {
      conceptPrompts(c, prompts);
    } catch (error) {
      throw new StudyUsageError(`--prompts: ${(error as Error).message}`);
    }
  }
  const seconds = parseOption('seconds', values.seconds, 4);
  const seed = parseOption('seed', values.seed, 42);
  const sampling = { topK: parseOption('topK', values['top-k'], 250), temperature: parseOption('temperature', values.temperature, 1), guidanceScale: parseOption('guidanceScale', values.guidance, 3), greedy: values.greedy };
  let budgetBytes = DEFAULT_MEMORY_BUDGET;
  if (values['memory-budget'] !== undefined) {
    try {
      budgetBytes = parseByteSize(values['memory-budget']);
    } catch (error) {
      throw new StudyUsageError(`--memory-budget: ${(error as Error).message}`);
    }
  }
  if (values.backend !== 'node' && values.backend !== 'wasm') throw new StudyUsageError('--backend must be node or wasm');
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 256)) throw new StudyUsageError(`--threads must be a whole number in 1..256 (got "${values.threads}")`);
  const classifierDir = values.classifier ?? (await bundleClassifierDir(values.model!)) ?? (resolve(values.model!) === TINY_MODEL ? TINY_CLASSIFIER : undefined);
  if (!classifierDir) throw new StudyUsageError('--classifier DIR is needed with a real model: the AST AudioSet folder (Xenova/ast-finetuned-audioset-10-10-0.4593)');
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
  await checkWritableFolder(out, { label: '--out' });

  const runtime = await createRuntime(values.backend as Backend, { numThreads: threads });
  const engine = await MusicgenEngine.load(nodeBundleFiles(values.model!), runtime);
  const classifier = await loadClassifierClosingFiles(classifierDir, runtime);
  try {
    const { config } = engine.manifest;
    const frames = Math.max(1, Math.round(seconds * (config.sampleRate / config.samplesPerFrame)));
    const settings = { frames, ...sampling };
    const hooks = allSites(config.numLayers).map(siteHook);
    const classifierFile = join(classifierDir, classifier.modelFile);
    const classifierId = `${classifier.modelFile}:${(await stat(classifierFile)).size}:${classifier.classes}`;
    const print = progressPrinter();
    console.log(`study: ${from.name} → ${to.name}, ${prompts} prompts each, ${seconds} s clips, ${engine.manifest.name} (${config.numLayers} layers), classifier ${classifierFile}; memory budget ${formatBytes(budgetBytes)}`);
    const result = await runStudy(engine, classifier, {
      from, to, prompts, settings, seed, budgetBytes,
      modelId: await bundleDigest(engine.manifest),
      classifierId,
      store: folderStore(out),
      means: (c, conceptPromptList, onProgress) =>
        captureMeans(engine, { prompts: [...conceptPromptList], hooks, settings, seed, out: join(out, `means-${c.id}.safetensors`), budgetBytes, log: (line) => print(line, true), onProgress: (p) => onProgress(p.done) }),
      onProgress: (p) => print(`study [${p.phase}] ${p.done}/${p.total} rows, ${p.label}, ${formatEta(p.etaSeconds)}`),
    });
    print(`study: ${result.sweep.length} sweep cells and ${result.lens.length} lens points over ${prompts} prompts`, true);
    const files: [string, string][] = [
      ['sweep.csv', sweepCsv(result.sweep)],
      ['lens.csv', lensCsv(result.lens)],
      ['study.json', `${JSON.stringify({ ...result, concepts: { from, to } }, null, 1)}\n`],
      ['sweep-effect.svg', sweepFigureSvg(result.sweep, 'effect')],
      ['sweep-precision.svg', sweepFigureSvg(result.sweep, 'precision')],
      ['lens.svg', lensFigureSvg(result.lens)],
    ];
    for (const [name, text] of files) await writeFileAtomic(join(out, name), new TextEncoder().encode(text));
    console.log(`${out}: ${files.map(([name]) => name).join(', ')}`);
  } finally {
    await classifier.release();
    await engine.release();
  }
}
