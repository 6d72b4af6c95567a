/**
 * The toy classifier's confusion matrices over clips the toy model generates (engine + codec graph
 * + classifier graph, as the lab runs them): each instrument over every genre, with moods and
 * tempos rotating, and each genre over every instrument. Prints two tables (README "The toy model").
 *
 *   npm run toy-confusion [-- --model models/toy]
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveLabel } from '../src/analysis/concepts/labelLookup';
import { nodeBundleFiles } from '../src/bundle/nodeBundleFiles';
import { nodeFolderLocation } from '../src/checkpoint/nodeFolderLocation';
import { loadClassifier } from '../src/classifier/loadClassifier';
import { MusicgenEngine } from '../src/engine/engine';
import { createRuntime } from '../src/runtime/ort';
import { GENRES, INSTRUMENTS, MOODS, TEMPOS, studyPrompt } from '../src/toy/concepts';
import { GENRE_LABELS, INSTRUMENT_LABELS } from '../src/toy/toyClassifier';
import { messageOf } from '../src/errorMessage';

const FRAMES = 200;

function table(title: string, names: readonly string[], counts: number[][]): string {
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const header = `${title.padEnd(width)}${names.map((n) => n.slice(0, 9).padStart(10)).join('')}`;
  return [header, ...counts.map((row, i) => `${names[i].padEnd(width)}${row.map((c) => String(c).padStart(10)).join('')}`)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string', default: 'models/toy' } } });
  const modelDir = resolve(values.model!);
  const runtime = await createRuntime('node');
  const engine = await MusicgenEngine.load(nodeBundleFiles(modelDir), runtime);
  if (!engine.manifest.classifier) throw new Error(`${modelDir}/manifest.json names no classifier`);
  const classifier = await loadClassifier(nodeFolderLocation(join(modelDir, engine.manifest.classifier)), runtime);
  const scenes = INSTRUMENTS.flatMap((instrument, i) => GENRES.map((genre, g) => ({ i, g, prompt: studyPrompt(MOODS[(i + g) % 5], genre, instrument, TEMPOS[(2 * i + g) % 5]) })));
  const result = await engine.generate({
    prompts: scenes.map((s) => s.prompt),
    frames: FRAMES,
    rows: scenes.map((_, prompt) => ({ prompt })),
    onProgress: ({ step, steps }) => step % 50 === 0 && console.log(`generate: step ${step}/${steps}`),
  });
  const audio = await engine.decodeAudio(result.rows.map((r) => r.codes), FRAMES);
  const logits = await classifier.classify(audio, { onProgress: ({ done, total }) => done % 5 === 0 && console.log(`classify: ${done}/${total}`) });
  const instrumentLabels = INSTRUMENTS.map((n) => resolveLabel(INSTRUMENT_LABELS[n][0]));
  const genreLabels = GENRES.map((n) => resolveLabel(GENRE_LABELS[n][0]));
  const instrumentCounts = INSTRUMENTS.map(() => new Array<number>(INSTRUMENTS.length).fill(0));
  const genreCounts = GENRES.map(() => new Array<number>(GENRES.length).fill(0));
  const argmax = (labels: number[], row: number) => labels.reduce((best, label, k) => (logits[row * classifier.classes + label] > logits[row * classifier.classes + labels[best]] ? k : best), 0);
  scenes.forEach((scene, row) => {
    instrumentCounts[scene.i][argmax(instrumentLabels, row)]++;
    genreCounts[scene.g][argmax(genreLabels, row)]++;
  });
  console.log(`\n${scenes.length} generated 4 s clips; rows = prompted, columns = the classifier's top label among the five (Guitar, Piano, Trumpet, "Violin, fiddle", Flute / the genre labels)\n`);
  console.log(table('instrument', INSTRUMENTS, instrumentCounts));
  console.log('');
  console.log(table('genre', GENRES, genreCounts));
  await engine.release();
}

main().catch((error: unknown) => {
  console.error(`toy-confusion: ${messageOf(error)}`);
  process.exitCode = 1;
});
