import { useLab } from '../state/useLab';
import { WaveformPlayer } from './WaveformPlayer';

/** The Generate view: the selected clip (the last run, or one re-opened from the history). */
export function ResultPanel() {
  const clip = useLab((state) => state.clip);
  const selected = useLab((state) => state.selectedClip);
  const ready = useLab((state) => state.model.status === 'ready');
  return (
    <section className="panel view-panel" aria-labelledby="result-title">
      <h2 id="result-title">Result</h2>
      {clip ? (
        <WaveformPlayer clip={clip} />
      ) : (
        <div className="empty-state" data-testid="result-empty">
          {selected ? (
            <p>
              Run <code>{selected.runId}</code> is not available here. The settings from the link are in the form: generate to make it again (same seed, same audio).
            </p>
          ) : (
            <>
              <p className="empty-title">No clip yet</p>
              <p>{ready ? 'Write a prompt on the left and press Generate (Ctrl+Enter). The clip appears here with its waveform, mel spectrogram and the settings that made it.' : 'The model is loading; Generate becomes available once it is ready.'}</p>
            </>
          )}
        </div>
      )}
    </section>
  );
}
