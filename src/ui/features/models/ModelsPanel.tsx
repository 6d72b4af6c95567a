import './models.css';
import { HubModelForm } from './HubModelForm';
import { InstallPlanView } from './InstallPlanView';
import { InstallProgressView } from './InstallProgressView';
import { LocalFilesPicker } from './LocalFilesPicker';
import { StoredModelsList } from './StoredModelsList';
import { useModels } from './useModels';

/** The Models panel: the bundled demo, MusicGen from the hub, local folders, and what is stored. */
export function ModelsPanel() {
  const message = useModels((s) => s.message);
  const dismiss = useModels((s) => s.dismissMessage);
  return (
    <section className="panel models-panel" aria-labelledby="models-title" data-testid="models-panel">
      <h2 id="models-title">Models</h2>
      <div className="models-columns">
        <div className="models-source">
          <HubModelForm />
          <LocalFilesPicker />
        </div>
        <StoredModelsList />
      </div>
      <InstallPlanView />
      <InstallProgressView />
      {message && (
        <div className={`message message-${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="models-message">
          <span>{message.text}</span>
          <button type="button" className="link-button" onClick={dismiss} aria-label="Dismiss message">
            ×
          </button>
        </div>
      )}
    </section>
  );
}
