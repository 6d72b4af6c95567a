import { useLab } from '../state/useLab';
import { IdleProgressRow, JobProgressRow } from './JobProgressRow';

/**
 * Decoder steps of the running job, with its Cancel button (Escape does the same). The row is
 * always there (idle when no job runs), so starting or ending a job never moves the layout.
 */
export function ProgressBar() {
  const job = useLab((state) => state.job);
  const cancel = useLab((state) => state.cancel);
  if (!job) return <IdleProgressRow />;
  const label = job.steps ? `step ${job.step}/${job.steps}` : 'encoding prompt…';
  return (
    <JobProgressRow
      id="job-progress"
      testId="progress"
      cancelTestId="cancel"
      label={
        <>
          Generating: <span data-testid="progress-label">{label}</span>
        </>
      }
      max={job.steps || 1}
      value={job.steps ? job.step : undefined}
      cancelling={job.cancelling}
      onCancel={cancel}
    />
  );
}
