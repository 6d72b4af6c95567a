import type { KeyboardEvent } from 'react';
import { LAB_VIEWS, type LabView } from '../features/url/experimentUrl';
import { useLab } from '../state/useLab';

export const VIEW_NAMES: Record<LabView, string> = { generate: 'Generate', lens: 'DecoderLens', interventions: 'Interventions', models: 'Models' };

/** The view switcher: a tab list (arrow keys move between tabs, as ARIA tabs do). */
export function ViewTabs() {
  const view = useLab((state) => state.view);
  const setView = useLab((state) => state.setView);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const offset = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!offset) return;
    event.preventDefault();
    const next = LAB_VIEWS[(LAB_VIEWS.indexOf(view) + offset + LAB_VIEWS.length) % LAB_VIEWS.length];
    setView(next);
    document.getElementById(`tab-${next}`)?.focus();
  };
  return (
    <div className="view-tabs" role="tablist" aria-label="Views" onKeyDown={onKeyDown}>
      {LAB_VIEWS.map((name) => (
        <button
          key={name}
          id={`tab-${name}`}
          type="button"
          role="tab"
          aria-selected={view === name}
          aria-controls="view-panel"
          tabIndex={view === name ? 0 : -1}
          className={view === name ? 'tab tab-active' : 'tab'}
          onClick={() => setView(name)}
          data-testid={`tab-${name}`}
        >
          {VIEW_NAMES[name]}
        </button>
      ))}
    </div>
  );
}
