import type { KeyboardEvent } from 'react';
import { useLab } from '../state/useLab';
import { framesForSeconds, SETTING_LABELS, SETTING_LIMITS } from '../state/settings';
import { NumberField } from './NumberField';

/** Prompt and sampling settings; Enter in a field or Ctrl+Enter in the prompt generates. */
export function GenerateForm() {
  const settings = useLab((state) => state.settings);
  const update = useLab((state) => state.updateSettings);
  const generate = useLab((state) => state.generate);
  const busy = useLab((state) => state.job !== null);
  const ready = useLab((state) => state.model.status === 'ready');

  const onPromptKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.currentTarget.form?.requestSubmit();
    }
  };

  return (
    <form
      className="generate-form"
      aria-label="Generate music"
      onSubmit={(event) => {
        event.preventDefault();
        void generate();
      }}
    >
      <div className="field field-prompt">
        <label htmlFor="prompt">Prompt</label>
        <textarea
          id="prompt"
          rows={3}
          value={settings.prompt}
          onChange={(event) => update({ prompt: event.target.value })}
          onKeyDown={onPromptKey}
          aria-describedby="prompt-hint"
        />
        <small id="prompt-hint" className="hint">
          Ctrl+Enter generates, Escape cancels.
        </small>
      </div>
      <div className="field-row">
        <NumberField
          label={SETTING_LABELS.seconds}
          value={settings.seconds}
          {...SETTING_LIMITS.seconds}
          hint={Number.isFinite(settings.seconds) ? `${framesForSeconds(settings.seconds)} frames` : undefined}
          onChange={(seconds) => update({ seconds })}
        />
        <NumberField label={SETTING_LABELS.seed} value={settings.seed} {...SETTING_LIMITS.seed} onChange={(seed) => update({ seed })} />
        <NumberField label={SETTING_LABELS.topK} value={settings.topK} {...SETTING_LIMITS.topK} hint="0 = off" onChange={(topK) => update({ topK })} />
        <NumberField label={SETTING_LABELS.temperature} value={settings.temperature} {...SETTING_LIMITS.temperature} onChange={(temperature) => update({ temperature })} />
        <NumberField label={SETTING_LABELS.guidanceScale} value={settings.guidanceScale} {...SETTING_LIMITS.guidanceScale} onChange={(guidanceScale) => update({ guidanceScale })} />
      </div>
      <button type="submit" className="primary" disabled={!ready || busy} data-testid="generate">
        Generate
      </button>
    </form>
  );
}
