import { useCallback, useMemo } from 'react';
import { Heatmap } from '../../components/charts/Heatmap';
import { useLab } from '../../state/useLab';
import { similarityPromptList } from './lensStore';
import { useLens } from './useLens';

const formatDistance = (value: number) => value.toFixed(value >= 100 ? 0 : 2);

/** The study's layer self-similarity: Euclidean distances of time-averaged resid_post, over a prompt list. */
export function SimilarityView({ disabled }: { disabled: boolean }) {
  const text = useLens((state) => state.similarityPrompts);
  const setText = useLens((state) => state.setSimilarityPrompts);
  const run = useLens((state) => state.runSimilarity);
  const similarity = useLens((state) => state.similarity);
  const currentPrompt = useLab((state) => state.settings.prompt);
  const count = similarityPromptList(text, currentPrompt).length;
  const L = similarity?.result.numLayers ?? 0;
  const labels = useMemo(() => Array.from({ length: L }, (_, i) => `layer ${i + 1}`), [L]);
  const columnLabel = useCallback((column: number) => String(column + 1), []);
  const describeCell = useCallback((row: number, column: number, value: number) => `layer ${row + 1} ↔ layer ${column + 1}: ${formatDistance(value)}`, []);

  return (
    <div className="lens-similarity" data-testid="similarity">
      <h3>Layer self-similarity</h3>
      <p className="hint">
        Euclidean distance between the time-averaged outputs (resid_post, conditional branch) of every pair of layers, averaged over the prompts, as in the study.
      </p>
      <div className="lens-similarity-body">
        <div className="lens-similarity-form">
          <label htmlFor="similarity-prompts">Prompts, one per line (empty: the prompt above)</label>
          <textarea id="similarity-prompts" rows={4} value={text} placeholder={currentPrompt} onChange={(event) => setText(event.target.value)} data-testid="similarity-prompts" />
          <button type="button" onClick={() => void run()} disabled={disabled} data-testid="run-similarity">
            Compare layers over {count} {count === 1 ? 'prompt' : 'prompts'}
          </button>
        </div>
        <div className="lens-similarity-plot">
          {similarity ? (
            <>
              <Heatmap
                values={similarity.result.distances}
                rows={L}
                columns={L}
                rowLabels={labels}
                columnLabel={columnLabel}
                label={`Layer self-similarity over ${similarity.prompts.length} prompts`}
                scale="sequential"
                legendLabel="distance"
                formatValue={formatDistance}
                describeCell={describeCell}
                square
                maxWidth={420}
                testId="similarity-heatmap"
              />
              <p className="hint">
                Averaged over {similarity.prompts.length} {similarity.prompts.length === 1 ? 'prompt' : 'prompts'}.
              </p>
            </>
          ) : (
            <p className="placeholder">Compare layers to see which ones compute alike (the study found the last layer far from all others).</p>
          )}
        </div>
      </div>
    </div>
  );
}
