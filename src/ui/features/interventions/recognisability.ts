/**
 * The study's recognisability curve for the sweep: each prompt generated at every depth 1..L in
 * one batch, classified, NDCG of the ranking against the concept's relevant labels, averaged over
 * prompts.
 */
import { conceptPrompts, type Concept } from '../../../analysis/concepts/concept';
import { estimateEta } from '../../../analysis/means/progress';
import { lensPromptMetrics, summarizeLens, type LensRow } from '../../../analysis/study/kernel';
import { framesForSeconds } from '../../state/settings';
import type { ActionContext } from './actionContext';

export async function measureRecognisability({ deps, get, jobs }: ActionContext, concepts: readonly Concept[], promptsEach: number, numLayers: number): Promise<LensRow[]> {
  const { settings } = deps.lab.getState();
  const depths = Array.from({ length: numLayers }, (_, i) => i + 1);
  const rows: LensRow[] = [];
  for (const concept of concepts) {
    const results = [];
    for (const [index, prompt] of conceptPrompts(concept, promptsEach).entries()) {
      const title = `DecoderLens, ${concept.name}${promptsEach > 1 ? ` (prompt ${index + 1}/${promptsEach})` : ''}`;
      const started = performance.now();
      const response = await jobs.run('lens', title, (onProgress) =>
        deps.lensEngine.generate(
          { prompt, frames: framesForSeconds(get().seconds), seed: settings.seed, topK: settings.topK, temperature: settings.temperature, guidanceScale: settings.guidanceScale, depths },
          ({ step, steps }) => onProgress({ done: step, total: steps, etaSeconds: estimateEta(step, steps - step, (performance.now() - started) / 1000), label: 'steps' }),
        ),
      );
      const classified = await jobs.classify(`Classifying ${title}`, response.clips.map((clip) => clip.samples)); // depth 1 first
      const classes = classified[0].logits.length;
      const logits = new Float32Array(classified.length * classes); // [depths, classes]
      classified.forEach((clip, i) => logits.set(clip.logits, i * classes));
      results.push(lensPromptMetrics(concept.id, index, logits, classes, concept.relevantLabels));
    }
    rows.push(...summarizeLens(concept.id, numLayers, results));
  }
  return rows;
}
