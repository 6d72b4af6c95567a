import type { ReactNode } from 'react';

export interface JobProgressRowProps {
  /** The <progress> element's id (its <label> points at it). */
  id: string;
  testId: string;
  cancelTestId: string;
  className?: string;
  /** What runs and how far, inside the <label>. */
  label: ReactNode;
  labelTestId?: string;
  /** Bar maximum and value; no value draws an indeterminate bar. */
  max: number;
  value: number | undefined;
  cancelling: boolean;
  onCancel(): void;
}

/** A running job's row: label, progress bar and Cancel (the Generate, DecoderLens and Interventions rows). */
export function JobProgressRow({ id, testId, cancelTestId, className, label, labelTestId, max, value, cancelling, onCancel }: JobProgressRowProps) {
  return (
    <div className={className ? `${className} progress` : 'progress'} data-testid={testId}>
      <label htmlFor={id} data-testid={labelTestId}>
        {label}
      </label>
      <progress id={id} max={max} value={value} />
      <button type="button" onClick={onCancel} disabled={cancelling} data-testid={cancelTestId}>
        {cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}

/** The row's idle state: it keeps its height, so starting or ending a job never moves the layout. */
export function IdleProgressRow() {
  return (
    <div className="progress progress-idle" aria-hidden="true">
      <span className="hint">No job running</span>
    </div>
  );
}
