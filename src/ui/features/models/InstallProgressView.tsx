import type { InstallPhase } from '../../../lab/convertApi';
import { useLab } from '../../state/useLab';
import { formatBytes, formatDuration } from './format';
import { useModels } from './useModels';
import { useEscapeKey } from '../../components/useEscapeKey';

const PHASE_NAMES: Record<InstallPhase, string> = { prepare: 'Preparing', download: 'Downloading', convert: 'Converting', verify: 'Verifying' };

/** Progress per phase (download bytes, speed and ETA; conversion per graph; verification), with Cancel (or Escape); then session creation. */
export function InstallProgressView() {
  const install = useModels((s) => s.install);
  const cancel = useModels((s) => s.cancelInstall);
  const active = useModels((s) => s.active);
  const model = useLab((s) => s.model);
  useEscapeKey(cancel, install !== null); // as it cancels every other running job of the page
  if (install === null) {
    if (active === null || model.status !== 'loading') return null;
    const p = model.progress;
    return (
      <div className="install-progress" data-testid="session-progress">
        <label htmlFor="session-bar">
          Creating sessions{p ? `: ${p.done}/${p.total} ${p.label}` : '…'}
        </label>
        <progress id="session-bar" max={p?.total || 1} value={p ? p.done : undefined} />
      </div>
    );
  }
  const progress = install.progress;
  const download = progress?.download;
  const phase = progress ? PHASE_NAMES[progress.phase] : 'Starting';
  const showBytes = download !== undefined && download.totalBytes > 0;
  return (
    <div className="install-progress" data-testid="install-progress">
      <label htmlFor="install-bar">
        {install.label}: <span data-testid="install-phase">{phase}</span>
        {progress && progress.phase !== 'download' && ` ${progress.label} (${progress.done}/${progress.total})`}
      </label>
      <progress
        id="install-bar"
        max={progress?.phase === 'download' || !progress ? download?.totalBytes || 1 : progress.total}
        value={progress === null ? undefined : progress.phase === 'download' ? download?.bytes : progress.done}
      />
      <span className="install-bytes" data-testid="install-bytes">
        {showBytes
          ? `${formatBytes(download.bytes)} of ${formatBytes(download.totalBytes)} · ${formatBytes(download.bytesPerSecond)}/s · ${formatDuration(download.etaSeconds)} left`
          : download
            ? 'nothing left to download'
            : 'starting…'}
      </span>
      <button type="button" onClick={cancel} disabled={install.cancelling} data-testid="install-cancel">
        {install.cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}
