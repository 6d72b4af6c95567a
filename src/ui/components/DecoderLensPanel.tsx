import { useLab } from '../state/useLab';
import { WaveformPlayer } from './WaveformPlayer';

/**
 * DecoderLens: generate with only the first d decoder blocks (then the final norm and heads), for
 * every chosen depth d, in one batched run; one small player per depth.
 */
export function DecoderLensPanel() {
  const model = useLab((state) => state.model);
  const depths = useLab((state) => state.lensDepths);
  const toggle = useLab((state) => state.toggleLensDepth);
  const setDepths = useLab((state) => state.setLensDepths);
  const generateLens = useLab((state) => state.generateLens);
  const busy = useLab((state) => state.job !== null);
  const clips = useLab((state) => state.lensClips);
  const numLayers = model.status === 'ready' ? model.info.numLayers : 0;
  const all = Array.from({ length: numLayers }, (_, i) => i + 1);

  return (
    <section className="panel" aria-labelledby="lens-title">
      <h2 id="lens-title">DecoderLens</h2>
      <p className="hint">Stop the decoder after d blocks and listen: how the music takes shape through the layers. All depths run as one batch.</p>
      <fieldset className="depths" disabled={numLayers === 0}>
        <legend>Depths</legend>
        {all.map((depth) => (
          <label key={depth} className="depth-choice">
            <input type="checkbox" checked={depths.includes(depth)} onChange={() => toggle(depth)} data-testid={`depth-${depth}`} />
            {depth}
          </label>
        ))}
        <button type="button" className="link-button" onClick={() => setDepths(all)}>
          All
        </button>
        <button type="button" className="link-button" onClick={() => setDepths([])}>
          None
        </button>
      </fieldset>
      <button type="button" className="primary" onClick={() => void generateLens()} disabled={numLayers === 0 || busy || depths.length === 0} data-testid="generate-lens">
        Generate {depths.length} {depths.length === 1 ? 'depth' : 'depths'}
      </button>
      <div className="lens-players" data-testid="lens-players">
        {clips.map((clip) => (
          <WaveformPlayer key={clip.depth} clip={clip} compact />
        ))}
      </div>
    </section>
  );
}
