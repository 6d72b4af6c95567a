import { useLab } from '../state/useLab';
import { WaveformPlayer } from './WaveformPlayer';

/** The last full-model generation. */
export function ResultPanel() {
  const clip = useLab((state) => state.clip);
  return (
    <section className="panel" aria-labelledby="result-title">
      <h2 id="result-title">Result</h2>
      {clip ? <WaveformPlayer clip={clip} /> : <p className="placeholder">Generate to hear the model.</p>}
    </section>
  );
}
