import { useEffect } from 'react';
import { DemoModelBanner } from './components/DemoModelBanner';
import { ErrorBoundary } from './components/ErrorBoundary';
import { GenerateForm } from './components/GenerateForm';
import { Header } from './components/Header';
import { MessageBar } from './components/MessageBar';
import { ProgressBar } from './components/ProgressBar';
import { ResultPanel } from './components/ResultPanel';
import { InterventionsView } from './features/interventions/InterventionsView';
import { LensPanel } from './features/lens/LensPanel';
import { useLab } from './state/useLab';

/** The lab page. Escape cancels the running job from anywhere on the page. */
export function App({ demoBundleUrl }: { demoBundleUrl: string }) {
  const cancel = useLab((state) => state.cancel);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') cancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [cancel]);

  return (
    <div className="lab">
      <Header />
      <main>
        <DemoModelBanner demoBundleUrl={demoBundleUrl} />
        <MessageBar />
        <ErrorBoundary>
          <section className="panel" aria-labelledby="generate-title">
            <h2 id="generate-title">Generate</h2>
            <GenerateForm />
            <ProgressBar />
          </section>
          <ResultPanel />
          <LensPanel />
          <InterventionsView />
        </ErrorBoundary>
      </main>
    </div>
  );
}
