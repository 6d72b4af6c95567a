import { useInterventions } from './useInterventions';
import { jobLine } from './interventionsStore';
import { IdleProgressRow, JobProgressRow } from '../../components/JobProgressRow';

/**
 * The running job of the Interventions view with its ETA and Cancel (Escape does the same). The
 * row keeps its height when idle, so starting or ending a job never moves the layout.
 */
export function JobProgress() {
  const job = useInterventions((state) => state.job);
  const cancel = useInterventions((state) => state.cancel);
  if (!job) return <IdleProgressRow />;
  const { progress } = job;
  return (
    <JobProgressRow
      id="iv-job-progress"
      testId="iv-progress"
      cancelTestId="iv-cancel"
      label={jobLine(job)}
      labelTestId="iv-progress-label"
      max={progress?.total || 1}
      value={progress ? progress.done : undefined}
      cancelling={job.cancelling}
      onCancel={cancel}
    />
  );
}
