import { HUB_PRESETS } from '../../../hub/modelRef';
import { DtypeChoice } from './DtypeChoice';
import { useModels } from './useModels';

/** The hub repository field with the musicgen-small/medium/large presets and the weight format; Enter checks its size. */
export function HubModelForm() {
  const hubRepo = useModels((s) => s.hubRepo);
  const endpoint = useModels((s) => s.endpoint);
  const setHubRepo = useModels((s) => s.setHubRepo);
  const planHub = useModels((s) => s.planHub);
  const busy = useModels((s) => s.plan.status === 'planning' || s.install !== null);
  return (
    <form
      className="hub-form"
      onSubmit={(event) => {
        event.preventDefault();
        void planHub();
      }}
    >
      <label htmlFor="hub-repo">Hugging Face repository</label>
      <div className="hub-row">
        <input
          id="hub-repo"
          data-testid="hub-repo"
          value={hubRepo}
          onChange={(event) => setHubRepo(event.target.value)}
          placeholder="owner/name[@revision]"
          spellCheck={false}
          autoComplete="off"
        />
        <button type="submit" data-testid="hub-check" disabled={busy || hubRepo.trim() === ''}>
          Check size
        </button>
      </div>
      <div className="hub-presets" role="group" aria-label="Presets">
        {HUB_PRESETS.map((preset) => (
          <button key={preset.repo} type="button" className="chip" title={preset.note} onClick={() => setHubRepo(preset.repo)} aria-pressed={hubRepo === preset.repo}>
            {preset.repo.replace('facebook/', '')}
          </button>
        ))}
      </div>
      <DtypeChoice />
      <p className="hint">
        From {endpoint}. Only the decoder's part of model.safetensors is downloaded, plus the text encoder, EnCodec decoder and tokenizer of Xenova/musicgen-small; the model is converted
        here and kept in this browser's storage.
      </p>
    </form>
  );
}
