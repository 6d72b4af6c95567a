import { formatBytes } from './format';
import { useModels } from './useModels';

/** Before anything big is fetched: sizes against the storage estimate, the weight dtype, and the go button. */
export function InstallPlanView() {
  const plan = useModels((s) => s.plan);
  const installing = useModels((s) => s.install !== null);
  const confirmInstall = useModels((s) => s.confirmInstall);
  const dismissPlan = useModels((s) => s.dismissPlan);
  if (plan.status === 'idle') return null;
  if (plan.status === 'planning') return <p className="plan" data-testid="plan-status" aria-live="polite">Reading config.json and the checkpoint header of {plan.label}…</p>;
  if (plan.status === 'error') {
    return (
      <p className="plan plan-error" role="alert" data-testid="plan-error">
        {plan.error}
      </p>
    );
  }
  const p = plan.plan;
  const free = p.storage ? p.storage.quota - p.storage.usage : undefined;
  const fits = free === undefined || free >= p.neededBytes;
  return (
    <div className="plan" data-testid="plan">
      <dl className="plan-grid">
        <dt>Model</dt>
        <dd>
          {p.label} · {p.numLayers} layers · d={p.hiddenSize}
        </dd>
        <dt>Weights</dt>
        <dd data-testid="plan-dtype">{p.dtypeReason}</dd>
        <dt>Download</dt>
        <dd data-testid="plan-download">
          {formatBytes(p.downloadBytes)}
          {p.resumedBytes > 0 && ` (${formatBytes(p.resumedBytes)} already downloaded: resumes)`}
        </dd>
        <dt>{p.kind === 'bundle' ? 'Bundle' : 'Bundle (estimate)'}</dt>
        <dd>{formatBytes(p.bundleBytes)}</dd>
        <dt>Storage</dt>
        <dd data-testid="plan-storage" className={fits ? '' : 'status-error'}>
          {p.storage
            ? `needs ${formatBytes(p.neededBytes)} while installing; ${formatBytes(Math.max(0, free!))} free of ${formatBytes(p.storage.quota)}`
            : `needs ${formatBytes(p.neededBytes)}; this browser does not report its quota`}
        </dd>
      </dl>
      <div className="plan-actions">
        <button type="button" className="primary" data-testid="install" onClick={() => void confirmInstall()} disabled={installing}>
          {p.kind === 'bundle' ? 'Store and load' : 'Download and convert'}
        </button>
        <button type="button" onClick={dismissPlan} disabled={installing}>
          Close
        </button>
        <span className="hint">Asks the browser to keep the model (persistent storage).</span>
      </div>
    </div>
  );
}
