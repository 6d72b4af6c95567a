import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { AUDIOSET_LABELS } from '../../../classifier/audiosetLabels';
import { useInterventions } from '../interventions/useInterventions';
import { searchLabels } from './labelSearch';

/**
 * A concept of the user's: a name, prompts pasted one per line, and relevant AudioSet labels found
 * by search (the first chosen is the one the effect metric reads). Errors say what to fix.
 */
export function CustomConceptForm({ onDone }: { onDone(): void }) {
  const addCustomConcept = useInterventions((state) => state.addCustomConcept);
  const id = useId();
  const [name, setName] = useState('');
  const [promptsText, setPromptsText] = useState('');
  const [query, setQuery] = useState('');
  const [labels, setLabels] = useState<number[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const matches = useMemo(() => searchLabels(query).filter((match) => !labels.includes(match.index)), [query, labels]);
  const promptLines = promptsText.split('\n').filter((line) => line.trim() !== '').length;

  const choose = (index: number) => {
    setLabels([...labels, index]);
    setQuery('');
  };
  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' && matches[0]) {
      event.preventDefault();
      choose(matches[0].index);
    }
  };
  const save = () => {
    const error = addCustomConcept({ name, promptsText, labels });
    setProblem(error);
    if (!error) onDone();
  };

  return (
    <fieldset className="custom-concept-form" data-testid="custom-concept-form">
      <legend>Your own concept</legend>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} value={name} onChange={(event) => setName(event.target.value)} placeholder="e.g. sitar" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-prompts`}>Prompts, one per line ({promptLines})</label>
        <textarea id={`${id}-prompts`} rows={4} value={promptsText} onChange={(event) => setPromptsText(event.target.value)} placeholder="Compose a calm folk piece, with a sitar melody. Use a slow tempo." />
      </div>
      <div className="field">
        <label htmlFor={`${id}-labels`}>Relevant AudioSet labels (the first one is the effect metric's)</label>
        <input
          id={`${id}-labels`}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={onSearchKey}
          placeholder="search the 527 classes, e.g. sitar"
          role="combobox"
          aria-expanded={matches.length > 0}
          aria-controls={`${id}-matches`}
          autoComplete="off"
        />
        {matches.length > 0 && (
          <ul id={`${id}-matches`} className="label-matches" role="listbox">
            {matches.map((match) => (
              <li key={match.index} role="option" aria-selected={false}>
                <button type="button" className="link-button" onClick={() => choose(match.index)}>
                  {match.name} <span className="hint">#{match.index}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {query.trim() !== '' && matches.length === 0 && <small className="hint">No AudioSet class matches “{query}”.</small>}
      </div>
      <ul className="label-chips" aria-label="Chosen labels">
        {labels.length === 0 && <li className="hint">No label chosen yet.</li>}
        {labels.map((index, i) => (
          <li key={index} className="chip">
            {i === 0 ? '★ ' : ''}
            {AUDIOSET_LABELS[index]}
            <button type="button" className="link-button" onClick={() => setLabels(labels.filter((l) => l !== index))} aria-label={`Remove the label ${AUDIOSET_LABELS[index]}`}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {problem && (
        <p className="message message-error" role="alert">
          {problem}
        </p>
      )}
      <div className="iv-row">
        <button type="button" className="primary" onClick={save}>
          Add concept
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}
