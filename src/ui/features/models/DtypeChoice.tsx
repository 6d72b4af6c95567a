import type { WeightDtype } from '../../../bundle/manifest';
import { WEIGHT_DTYPES } from '../../../bundle/weightDtypes';
import { DTYPE_CHOICES, type DtypeChoice as Choice } from '../../../hub/downloadPlan';
import { hubModelLabel, hubStoredId, parseHubRepo, type HubModelRef } from '../../../hub/modelRef';
import type { StoredModel } from '../../../lab/convertApi';
import { formatBytes, formatSpeed } from './format';
import type { DtypeSizes } from './modelsStore';
import { referenceSpeed } from './referenceSpeeds';
import { useModels } from './useModels';

function parsedRepo(text: string, endpoint: string): HubModelRef | null {
  try {
    return parseHubRepo(text, endpoint);
  } catch {
    return null;
  }
}

interface OptionFacts {
  /** The dtype the option installs (auto: what auto means here, once known). */
  dtype: WeightDtype | undefined;
  size: string;
  measured: string | null;
  reference: string | null;
}

function factsOf(choice: Choice, ref: HubModelRef | null, sizes: DtypeSizes | null, stored: readonly StoredModel[]): OptionFacts {
  const known = ref !== null && sizes !== null && sizes.label === hubModelLabel(ref) ? sizes : null;
  const dtype = choice === 'auto' ? known?.autoDtype : choice;
  if (dtype === undefined) return { dtype, size: '', measured: null, reference: null };
  const storedModel = ref && stored.find((model) => model.id === hubStoredId(ref, dtype));
  const reference = ref && referenceSpeed(ref.repo, dtype);
  return {
    dtype,
    size: known ? formatBytes(known.bytes[dtype]) : '',
    measured: formatSpeed(storedModel?.speed),
    reference: reference ? `${reference.stepsPerSecond} steps/s measured on the project's benchmark machine (${reference.where}, ${reference.date})` : null,
  };
}

/**
 * The weight format to install: auto (fp16 on shader-f16 GPUs, else fp32), fp32, fp16, q8, q4, each
 * with its estimated bundle size for the repository above (once its header was read) and its
 * speed: measured here on a stored copy, or the README's benchmark figure. Radio buttons: arrow keys
 * move between them.
 */
export function DtypeChoice() {
  const dtype = useModels((s) => s.dtype);
  const setDtype = useModels((s) => s.setDtype);
  const sizes = useModels((s) => s.dtypeSizes);
  const stored = useModels((s) => s.stored);
  const hubRepo = useModels((s) => s.hubRepo);
  const endpoint = useModels((s) => s.endpoint);
  // Not disabled while planning: that would drop the keyboard focus at every arrow press.
  const installing = useModels((s) => s.install !== null);
  const ref = parsedRepo(hubRepo, endpoint);
  const sized = ref !== null && sizes?.label === hubModelLabel(ref);
  return (
    <fieldset className="dtype-choice" data-testid="dtype-choice" disabled={installing}>
      <legend>Weights</legend>
      {DTYPE_CHOICES.map((choice) => {
        const facts = factsOf(choice, ref, sizes, stored);
        const info = choice === 'auto' ? undefined : WEIGHT_DTYPES[choice];
        return (
          <label key={choice} className="dtype-option" data-testid={`dtype-${choice}`} title={info?.summary ?? 'fp16 where the GPU has shader-f16, else fp32'}>
            <input type="radio" name="weight-dtype" value={choice} checked={dtype === choice} onChange={() => void setDtype(choice)} />
            <span className="dtype-name">
              {info?.label ?? `auto${facts.dtype ? ` (${facts.dtype} here)` : ''}`}
              {info?.quantised && <span className="quantised-tag">quantised</span>}
            </span>
            <span className="dtype-size" data-testid="dtype-size">
              {facts.size}
            </span>
            <span className="dtype-speed" data-testid="dtype-speed">
              {[facts.measured && `${facts.measured} here`, facts.reference].filter(Boolean).join('; ')}
            </span>
          </label>
        );
      })}
      <p className="hint">
        {sized ? `Bundle sizes are estimates for ${hubModelLabel(ref)}. ` : 'Check size to see each bundle size. '}
        q8 and q4 store quantised weights: every DecoderLens and intervention figure is then computed on the quantised model, not on MusicGen's own weights.
      </p>
    </fieldset>
  );
}
