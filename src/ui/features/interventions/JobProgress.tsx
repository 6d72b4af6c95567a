import { useInterventions } from './useInterventions';
import { jobLine } from './interventionsStore';

/**
 * The running job of the Interventions view with its ETA and Cancel (Escape does the same). The
 * row keeps its height when idle, so starting or ending a job never moves the layout.
 */
export function JobProgress() {
  const job = useInterventions((state) => state.job);
  const cancel = useInterventions((state) => state.cancel);
  if (!job) {
    return (
      <div className="progress progress-idle" aria-hidden="true">
        <span className="hint">No job running</span>
      </div>
    );
  }
  const { progress } = job;
  return (
    <div className="progress" data-testid="iv-progress">
      <label htmlFor="iv-job-progress" data-testid="iv-progress-label">
        {jobLine(job)}
      </label>
      <progress id="iv-job-progress" max={progress?.total || 1} value={progress ? progress.done : undefined} />
      <button type="button" onClick={cancel} disabled={job.cancelling} data-testid="iv-cancel">
        {job.cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}
