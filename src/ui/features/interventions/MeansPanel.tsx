import { useRef } from 'react';
import { formatBytes } from '../../../analysis/interventions/rowMemory';
import type { MeansStatus } from '../../../lab/interventionsApi';
import { conceptById } from '../concepts/conceptsSlice';
import { saveFile } from './download';
import { useInterventions } from './useInterventions';

function describe(status: MeansStatus | null | undefined): string {
  if (!status) return 'checking…';
  if (status.state === 'done') return `ready: ${status.total} prompts, ${formatBytes(status.bytes)} (reused; nothing to compute)`;
  const size = `${formatBytes(status.bytes)} for ${status.total} prompts × ${status.steps} steps, ${status.promptsPerBatch >= status.total ? 'one batch' : `batches of ${status.promptsPerBatch}`}`;
  if (status.state === 'partial') return `${status.count} of ${status.total} prompts done (kept from an earlier run); ${size}`;
  return `not computed: ${size}`;
}

/** Means of the two chosen concepts: their size before computing, compute/resume, export and import. */
export function MeansPanel({ disabled }: { disabled: boolean }) {
  const fromId = useInterventions((s) => s.fromId);
  const toId = useInterventions((s) => s.toId);
  const customConcepts = useInterventions((s) => s.customConcepts);
  const meansStatus = useInterventions((s) => s.meansStatus);
  const computeMeans = useInterventions((s) => s.computeMeans);
  const exportMeans = useInterventions((s) => s.exportMeans);
  const importMeans = useInterventions((s) => s.importMeans);
  const fileInput = useRef<HTMLInputElement>(null);
  const ids = [fromId, toId];
  const statuses = ids.map((id) => meansStatus[id]);
  const allDone = statuses.every((s) => s?.state === 'done');
  const anyPartial = statuses.some((s) => s?.state === 'partial');

  const onExport = async (id: string) => {
    const file = await exportMeans(id);
    if (file) saveFile(file.bytes as BlobPart, file.fileName, 'application/octet-stream');
  };

  return (
    <div className="means-panel" data-testid="means-panel">
      <h3>Concept means</h3>
      <p className="hint">Mean activation of every self-attention, cross-attention and MLP output, per step and guidance branch, over each concept's prompts. Stored in this browser and reused.</p>
      <table className="means-table">
        <tbody>
          {ids.map((id, i) => {
            const status = statuses[i];
            return (
              <tr key={`${i}-${id}`} data-testid={`means-${i === 0 ? 'from' : 'to'}`} data-state={status?.state ?? 'unknown'}>
                <th scope="row">{conceptById({ customConcepts }, id)?.name ?? id}</th>
                <td>{describe(status)}</td>
                <td>
                  <button type="button" className="link-button" disabled={disabled || !status || status.state === 'none'} onClick={() => void onExport(id)} data-testid={`export-means-${i === 0 ? 'from' : 'to'}`}>
                    Export
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="iv-row">
        <button type="button" className="primary" onClick={() => void computeMeans()} disabled={disabled || allDone} data-testid="compute-means">
          {allDone ? 'Means ready' : anyPartial ? 'Resume means' : 'Compute means'}
        </button>
        <button type="button" onClick={() => fileInput.current?.click()} disabled={disabled} data-testid="import-means">
          Import means file…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".safetensors"
          hidden
          data-testid="import-means-input"
          aria-label="Means file to import"
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = ''; // the same file can be chosen again
            if (file) void importMeans(file);
          }}
        />
      </div>
    </div>
  );
}
