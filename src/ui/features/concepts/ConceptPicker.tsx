import { useId, useState } from 'react';
import { STUDY_CONCEPTS } from '../../../analysis/concepts/studyConcepts';
import { AUDIOSET_LABELS } from '../../../classifier/audiosetLabels';
import { NumberField } from '../../components/NumberField';
import { useInterventions } from '../interventions/useInterventions';
import { PROMPT_COUNT_LIMITS, SECONDS_LIMITS } from './conceptsSlice';
import { CustomConceptForm } from './CustomConceptForm';

interface ConceptSelectProps {
  label: string;
  value: string;
  disabled: boolean;
  testId: string;
  onChange(id: string): void;
}

function ConceptSelect({ label, value, disabled, testId, onChange }: ConceptSelectProps) {
  const id = useId();
  const custom = useInterventions((state) => state.customConcepts);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} disabled={disabled} onChange={(event) => onChange(event.target.value)} data-testid={testId}>
        <optgroup label="The study's concepts">
          {STUDY_CONCEPTS.map((concept) => (
            <option key={concept.id} value={concept.id}>
              {concept.name}
            </option>
          ))}
        </optgroup>
        {custom.length > 0 && (
          <optgroup label="Your concepts">
            {custom.map((concept) => (
              <option key={concept.id} value={concept.id}>
                {concept.name}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </div>
  );
}

/**
 * The concept pair of an intervention (original → desired), prompts per mean and seconds per clip,
 * and the user's own concepts (add, remove).
 */
export function ConceptPicker({ disabled }: { disabled: boolean }) {
  const fromId = useInterventions((state) => state.fromId);
  const toId = useInterventions((state) => state.toId);
  const promptCount = useInterventions((state) => state.promptCount);
  const seconds = useInterventions((state) => state.seconds);
  const custom = useInterventions((state) => state.customConcepts);
  const setFrom = useInterventions((state) => state.setFrom);
  const setTo = useInterventions((state) => state.setTo);
  const swap = useInterventions((state) => state.swapConcepts);
  const setPromptCount = useInterventions((state) => state.setPromptCount);
  const setSeconds = useInterventions((state) => state.setSeconds);
  const removeCustom = useInterventions((state) => state.removeCustomConcept);
  const [adding, setAdding] = useState(false);
  const labelNames = (labels: readonly number[]) => labels.map((index) => AUDIOSET_LABELS[index]).join(', ');

  return (
    <div className="concept-picker" data-testid="concept-picker">
      <div className="iv-row">
        <ConceptSelect label="From (original)" value={fromId} disabled={disabled} onChange={setFrom} testId="concept-from" />
        <button type="button" className="swap-button" onClick={swap} disabled={disabled} aria-label="Swap the two concepts" title="Swap">
          ⇄
        </button>
        <ConceptSelect label="To (desired)" value={toId} disabled={disabled} onChange={setTo} testId="concept-to" />
        <NumberField label="Prompts per concept" value={promptCount} min={PROMPT_COUNT_LIMITS.min} max={PROMPT_COUNT_LIMITS.max} step={1} hint="the paper: 100" onChange={setPromptCount} />
        <NumberField label="Seconds per clip" value={seconds} min={SECONDS_LIMITS.min} max={SECONDS_LIMITS.max} step={0.1} hint="the paper: 4" onChange={setSeconds} />
      </div>
      {custom.length > 0 && (
        <ul className="custom-concepts" aria-label="Your concepts">
          {custom.map((concept) => (
            <li key={concept.id}>
              <strong>{concept.name}</strong> · {concept.source.kind === 'custom' ? concept.source.prompts.length : 0} prompts · labels: {labelNames(concept.relevantLabels)}
              <button type="button" className="link-button" onClick={() => removeCustom(concept.id)} disabled={disabled} aria-label={`Remove the concept ${concept.name}`}>
                remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {adding ? (
        <CustomConceptForm onDone={() => setAdding(false)} />
      ) : (
        <button type="button" className="link-button" onClick={() => setAdding(true)} disabled={disabled} data-testid="add-concept">
          + Add your own concept (prompts, name, labels)
        </button>
      )}
    </div>
  );
}
