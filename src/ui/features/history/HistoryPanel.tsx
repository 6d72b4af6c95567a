import { useLab } from '../../state/useLab';
import type { RunRecord } from './runRecord';

const TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

/** Saves a text document through a temporary link (no server round trip). */
function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The click has started the download; the URL can go on the next turn.
  setTimeout(() => URL.revokeObjectURL(url));
}

/** A DecoderLens run's depths, each a button that plays that depth in the Generate view. */
function DepthChips({ run, selectedDepth }: { run: RunRecord; selectedDepth: number | null }) {
  const openClip = useLab((state) => state.openClip);
  const setView = useLab((state) => state.setView);
  return (
    <div className="depth-chips" role="group" aria-label={`Depths of run ${run.id}`}>
      {run.depths.map((depth) => (
        <button
          key={depth}
          type="button"
          className={depth === selectedDepth ? 'chip chip-selected' : 'chip'}
          aria-pressed={depth === selectedDepth}
          title={`Play depth ${depth} of ${run.model.numLayers} in the Generate view`}
          onClick={() => {
            setView('generate');
            void openClip({ runId: run.id, depth });
          }}
          data-testid={`run-depth-${depth}`}
        >
          {depth}
        </button>
      ))}
    </div>
  );
}

function RunItem({ run, selected, selectedDepth }: { run: RunRecord; selected: boolean; selectedDepth: number | null }) {
  const openClip = useLab((state) => state.openClip);
  const deleteRun = useLab((state) => state.deleteRun);
  const exportRun = useLab((state) => state.exportRun);
  const busy = useLab((state) => state.job !== null);
  const { settings } = run;
  const what = run.kind === 'lens' ? `DecoderLens · ${run.depths.length} depths` : 'Generate';
  return (
    <li className={selected ? 'run run-selected' : 'run'} data-testid="run" data-run={run.id}>
      <button type="button" className="run-open" onClick={() => void openClip({ runId: run.id, depth: null }, { restoreSettings: true })} disabled={busy} aria-current={selected} title="Re-open: show its audio and put its settings in the form">
        <span className="run-prompt">{settings.prompt}</span>
        <span className="run-meta">
          {what} · {settings.seconds} s · seed {settings.seed} · {run.backend === 'webgpu' ? 'WebGPU' : 'WASM'} · {TIME.format(run.createdAt)}
        </span>
      </button>
      {run.kind === 'lens' && <DepthChips run={run} selectedDepth={selected ? selectedDepth : null} />}
      <div className="run-actions">
        <button
          type="button"
          className="link-button"
          onClick={async () => {
            const json = await exportRun(run.id);
            if (json) download(`musicgen-lab-${run.id}.json`, json);
          }}
          aria-label={`Export run ${run.id} as JSON with its WAVs`}
          data-testid="run-export"
        >
          Export
        </button>
        <button type="button" className="link-button danger" onClick={() => void deleteRun(run.id)} disabled={busy} aria-label={`Delete run ${run.id}`} data-testid="run-delete">
          Delete
        </button>
      </div>
    </li>
  );
}

/** Every stored run, newest first: re-open, export (one JSON with base64 WAVs), delete. */
export function HistoryPanel() {
  const runs = useLab((state) => state.runs);
  const status = useLab((state) => state.historyStatus);
  const selected = useLab((state) => state.selectedClip);
  return (
    <section className="panel history" aria-labelledby="history-title">
      <h2 id="history-title">
        Run history <span className="count">{runs.length}</span>
      </h2>
      {status === 'unavailable' && <p className="hint">This browser does not allow IndexedDB here: runs are kept until you reload.</p>}
      {runs.length === 0 ? (
        <p className="empty-state-inline" data-testid="history-empty">
          {status === 'loading' ? 'Reading the history…' : 'No runs yet. Every generation is kept here, across reloads.'}
        </p>
      ) : (
        <ol className="runs" data-testid="runs">
          {runs.map((run) => (
            <RunItem key={run.id} run={run} selected={run.id === selected?.runId} selectedDepth={selected?.depth ?? null} />
          ))}
        </ol>
      )}
    </section>
  );
}
