/**
 * Renders the toy model's instruments and genres through the engine and its codec: one WAV and
 * one spectrogram PNG per clip, for ears and eyes (README "The toy model").
 *
 *   npm run toy-render [-- --out out/toy-render --seconds 4]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeWav } from '../src/audio/wav';
import { nodeBundleFiles } from '../src/bundle/nodeBundleFiles';
import { MusicgenEngine } from '../src/engine/engine';
import { createRuntime } from '../src/runtime/ort';
import { GENRES, INSTRUMENTS, studyPrompt } from '../src/toy/concepts';
import { spectrogramPng } from '../src/toy/spectrogramPng';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'out/toy-render' }, model: { type: 'string', default: 'models/toy' }, seconds: { type: 'string', default: '4' } } });
  const seconds = Number(values.seconds);
  if (!(seconds > 0 && seconds <= 10)) throw new Error(`toy-render: --seconds must be in (0, 10], got ${values.seconds}`);
  const outDir = resolve(values.out!);
  await mkdir(outDir, { recursive: true });
  const clips = [
    ...INSTRUMENTS.map((instrument) => ({ name: instrument, prompt: studyPrompt('happy', 'pop', instrument, 'medium') })),
    ...GENRES.map((genre) => ({ name: `genre-${genre}`, prompt: studyPrompt('energetic', genre, 'piano', 'medium') })),
  ];
  const engine = await MusicgenEngine.load(nodeBundleFiles(values.model!), await createRuntime('node'));
  const frames = Math.round(seconds * 50);
  const result = await engine.generate({ prompts: clips.map((c) => c.prompt), frames, rows: clips.map((_, prompt) => ({ prompt })), onProgress: ({ step, steps }) => { if (step % 50 === 0 || step === steps) console.log(`step ${step}/${steps}`); } });
  process.stdout.write('\n');
  const audio = await engine.decodeAudio(result.rows.map((r) => r.codes), frames);
  for (const [i, clip] of clips.entries()) {
    await writeFile(join(outDir, `${clip.name}.wav`), encodeWav(audio[i], engine.manifest.config.sampleRate));
    await writeFile(join(outDir, `${clip.name}.png`), spectrogramPng(audio[i]));
    console.log(`${clip.name}: "${clip.prompt}" -> ${clip.name}.wav, ${clip.name}.png`);
  }
  await engine.release();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
