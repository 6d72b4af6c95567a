import { WEIGHT_DTYPES } from '../../bundle/weightDtypes';
import type { Clip } from '../state/clips';

const BACKEND_NAMES = { webgpu: 'WebGPU', wasm: 'WASM' } as const;

/** How a clip was made: prompt, every setting, depth, model, its weights' dtype and backend (from its run's record). */
export function ClipProvenance({ clip }: { clip: Clip }) {
  const { run } = clip;
  const { settings } = run;
  return (
    <dl className="provenance" data-testid="provenance">
      <div className="provenance-prompt">
        <dt>Prompt</dt>
        <dd>{settings.prompt}</dd>
      </div>
      <div>
        <dt>Seed</dt>
        <dd>{settings.seed}</dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd>{settings.seconds} s</dd>
      </div>
      <div>
        <dt>Top-k</dt>
        <dd>{settings.topK}</dd>
      </div>
      <div>
        <dt>Temp.</dt>
        <dd>{settings.temperature}</dd>
      </div>
      <div>
        <dt>Guidance</dt>
        <dd>{settings.guidanceScale}</dd>
      </div>
      <div>
        <dt>Depth</dt>
        <dd>
          {clip.depth}/{run.model.numLayers}
        </dd>
      </div>
      <div>
        <dt>Model</dt>
        <dd>{run.model.name}</dd>
      </div>
      <div>
        <dt>Weights</dt>
        <dd data-testid="provenance-dtype">
          {run.model.dtype === undefined ? 'not recorded' : WEIGHT_DTYPES[run.model.dtype].quantised ? `${run.model.dtype} (quantised)` : run.model.dtype}
        </dd>
      </div>
      <div>
        <dt>Backend</dt>
        <dd title={run.backendDetail}>{BACKEND_NAMES[run.backend]}</dd>
      </div>
      <div>
        <dt>Run</dt>
        <dd title={new Date(run.createdAt).toLocaleString()}>{run.id}</dd>
      </div>
    </dl>
  );
}
