import { JobProgressRow } from '../../components/JobProgressRow';
import { useLens } from './useLens';

const JOB_LABELS = { lens: 'DecoderLens', teacher: 'Teacher-forced lens', similarity: 'Layer similarity' } as const;
const UNIT = { lens: 'step', teacher: 'depth', similarity: 'step' } as const;

/**
 * The running lens job with its Cancel button (Escape does the same). The row keeps its height when
 * idle, so nothing below it jumps when a job starts or ends.
 */
export function LensProgress() {
  const job = useLens((state) => state.job);
  const cancel = useLens((state) => state.cancel);
  const error = useLens((state) => state.error);
  const dismiss = useLens((state) => state.dismissError);
  if (!job) {
    return (
      <div className="lens-status" aria-live="polite">
        {error && (
          <p className="lens-error" role="alert" data-testid="lens-error">
            {error}{' '}
            <button type="button" className="link-button" onClick={dismiss}>
              Dismiss
            </button>
          </p>
        )}
      </div>
    );
  }
  const label = job.steps ? `${UNIT[job.kind]} ${job.step}/${job.steps}` : 'starting…';
  return (
    <JobProgressRow
      id="lens-job-progress"
      testId="lens-progress"
      cancelTestId="lens-cancel"
      className="lens-status"
      label={
        <>
          {JOB_LABELS[job.kind]}: <span data-testid="lens-progress-label">{label}</span>
        </>
      }
      max={job.steps || 1}
      value={job.steps ? job.step : undefined}
      cancelling={job.cancelling}
      onCancel={cancel}
    />
  );
}
