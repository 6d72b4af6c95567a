import { DemoModelBanner } from './components/DemoModelBanner';
import { ErrorBoundary } from './components/ErrorBoundary';
import { GenerateForm } from './components/GenerateForm';
import { Header } from './components/Header';
import { MessageBar } from './components/MessageBar';
import { ProgressBar } from './components/ProgressBar';
import { ResultPanel } from './components/ResultPanel';
import { ViewTabs } from './components/ViewTabs';
import { HistoryPanel } from './features/history/HistoryPanel';
import { InterventionsView } from './features/interventions/InterventionsView';
import { LensPanel } from './features/lens/LensPanel';
import { ModelsPanel } from './features/models/ModelsPanel';
import { useLab } from './state/useLab';
import { useEscapeKey } from './components/useEscapeKey';

/** The view the tabs select. */
function CurrentView() {
  const view = useLab((state) => state.view);
  switch (view) {
    case 'generate':
      return <ResultPanel />;
    case 'lens':
      return <LensPanel />;
    case 'interventions':
      return <InterventionsView />;
    case 'models':
      return <ModelsPanel />;
  }
}

/**
 * The lab page: a header (model, backend), a left column of controls (prompt, settings, job
 * progress, run history) and a right area of views. Escape cancels the running job from anywhere.
 */
export function App({ demoBundleUrl }: { demoBundleUrl: string }) {
  const cancel = useLab((state) => state.cancel);
  useEscapeKey(cancel);

  return (
    <div className="lab">
      <Header />
      <div className="lab-body">
        <aside className="controls" aria-label="Controls">
          <section className="panel" aria-labelledby="generate-title">
            <h2 id="generate-title">Prompt and settings</h2>
            <GenerateForm />
            <ProgressBar />
          </section>
          <HistoryPanel />
        </aside>
        <main className="views">
          <DemoModelBanner demoBundleUrl={demoBundleUrl} />
          <MessageBar />
          <ViewTabs />
          <div id="view-panel" role="tabpanel" aria-label="Current view">
            <ErrorBoundary>
              <CurrentView />
            </ErrorBoundary>
          </div>
        </main>
      </div>
    </div>
  );
}
