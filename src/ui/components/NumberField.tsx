import { useId, useState } from 'react';

interface NumberFieldProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  hint?: string;
  onChange(value: number): void;
}

/**
 * A labelled number input. It keeps the typed text as a draft, so a half-typed value ("", "0.")
 * stays editable; the store gets Number(draft) (NaN when empty), which validation reports.
 */
export function NumberField({ label, value, min, max, step, hint, onChange }: NumberFieldProps) {
  const id = useId();
  const [draft, setDraft] = useState(String(value));
  const shown = Number(draft) === value ? draft : String(value); // the store changed it (e.g. a reset)
  const invalid = !Number.isFinite(value) || value < min || value > max;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={min}
        max={max}
        step={step}
        value={Number.isNaN(value) ? draft : shown}
        aria-invalid={invalid}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(event) => {
          setDraft(event.target.value);
          onChange(event.target.value.trim() === '' ? Number.NaN : Number(event.target.value));
        }}
      />
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
    </div>
  );
}
