import { useLab } from '../state/useLab';

/**
 * Decoder steps of the running job, with its Cancel button (Escape does the same). The row is
 * always there (idle when no job runs), so starting or ending a job never moves the layout.
 */
export function ProgressBar() {
  const job = useLab((state) => state.job);
  const cancel = useLab((state) => state.cancel);
  if (!job) {
    return (
      <div className="progress progress-idle" aria-hidden="true">
        <span className="hint">No job running</span>
      </div>
    );
  }
  const label = job.steps ? `step ${job.step}/${job.steps}` : 'encoding prompt…';
  return (
    <div className="progress" data-testid="progress">
      <label htmlFor="job-progress">
        Generating: <span data-testid="progress-label">{label}</span>
      </label>
      <progress id="job-progress" max={job.steps || 1} value={job.steps ? job.step : undefined} />
      <button type="button" onClick={cancel} disabled={job.cancelling} data-testid="cancel">
        {job.cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}
