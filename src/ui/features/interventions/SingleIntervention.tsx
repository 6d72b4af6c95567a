import { BLOCK_MODULES } from '../../../bundle/graphContract';
import type { InterventionMethod } from '../../../analysis/interventions/kernel';
import { NumberField } from '../../components/NumberField';
import { MODULE_NAMES } from './sweepMetrics';
import { useInterventions } from './useInterventions';

const METHODS: { method: InterventionMethod; text: string }[] = [
  { method: 'replace', text: 'replace: output := mean(to)' },
  { method: 'adjust', text: 'adjust: output − mean(from) + mean(to)' },
  { method: 'steer', text: 'steer: output + α·(mean(to) − mean(from))' },
];

/** One intervention on chosen sites (layers × modules), heard next to the original, with its effect and precision. */
export function SingleIntervention({ disabled, numLayers }: { disabled: boolean; numLayers: number }) {
  const method = useInterventions((s) => s.method);
  const sites = useInterventions((s) => s.sites);
  const alpha = useInterventions((s) => s.alpha);
  const single = useInterventions((s) => s.single);
  const setMethod = useInterventions((s) => s.setMethod);
  const toggleSite = useInterventions((s) => s.toggleSite);
  const setSites = useInterventions((s) => s.setSites);
  const setAlpha = useInterventions((s) => s.setAlpha);
  const runIntervention = useInterventions((s) => s.runIntervention);
  const chosen = (layer: number, module: (typeof BLOCK_MODULES)[number]) => sites.some((s) => s.layer === layer && s.module === module);

  return (
    <details className="single-intervention" data-testid="single-intervention">
      <summary>Single intervention (choose sites, method, α)</summary>
      <div className="iv-row">
        <fieldset className="field">
          <legend>Method</legend>
          {METHODS.map(({ method: m, text }) => (
            <label key={m} className="radio">
              <input type="radio" name="iv-method" value={m} checked={method === m} disabled={disabled} onChange={() => setMethod(m)} /> {text}
            </label>
          ))}
        </fieldset>
        {method === 'steer' && <NumberField label="α" value={alpha} min={-100} max={100} step={0.5} onChange={setAlpha} />}
      </div>
      <table className="site-grid" aria-label="Sites: layers × modules">
        <thead>
          <tr>
            <th scope="col">layer</th>
            {BLOCK_MODULES.map((module) => (
              <th key={module} scope="col">
                {MODULE_NAMES[module]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: numLayers }, (_, layer) => (
            <tr key={layer}>
              <th scope="row">{layer}</th>
              {BLOCK_MODULES.map((module) => (
                <td key={module}>
                  <input type="checkbox" checked={chosen(layer, module)} disabled={disabled} onChange={() => toggleSite({ layer, module })} aria-label={`layer ${layer} ${MODULE_NAMES[module]}`} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="iv-row">
        <button type="button" className="link-button" disabled={disabled} onClick={() => setSites(BLOCK_MODULES.map((module) => ({ layer: numLayers - 1, module })))}>
          last layer
        </button>
        <button type="button" className="link-button" disabled={disabled} onClick={() => setSites(Array.from({ length: numLayers }, (_, layer) => ({ layer, module: 'mlp' as const })))}>
          every MLP
        </button>
        <button type="button" className="link-button" disabled={disabled} onClick={() => setSites([])}>
          none
        </button>
        <button type="button" className="primary" disabled={disabled || sites.length === 0} onClick={() => void runIntervention()} data-testid="run-intervention">
          Run on {sites.length} {sites.length === 1 ? 'site' : 'sites'}
        </button>
      </div>
      {single && (
        <p className="hint" data-testid="single-metrics">
          {single.title}: effect {single.effect.toFixed(3)}, precision {single.precision.toFixed(3)}
        </p>
      )}
    </details>
  );
}
