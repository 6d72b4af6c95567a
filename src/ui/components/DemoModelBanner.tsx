import { useLab } from '../state/useLab';

/**
 * The default demo is the toy model, a constructed MusicGen whose mechanism is known: say what it
 * is and what to try, so nobody takes it for MusicGen itself, and link to its written mechanism.
 */
export function DemoModelBanner({ demoBundleUrl }: { demoBundleUrl: string }) {
  const model = useLab((state) => state.model);
  if (model.status === 'idle' || model.bundleUrl !== demoBundleUrl) return null;
  return (
    <div className="demo-banner" role="note" data-testid="demo-banner">
      <strong>Demo: a toy MusicGen whose mechanism is known by design</strong> (6 layers, weights written by code, a synth band for a codec). The
      instrument appears at depth 5: run DecoderLens and hear depths 1–4 play a plain sine. In Interventions, replace{' '}
      <code>blocks.4.hook_mlp_out</code> from guitar to piano and hear the guitar become a piano.{' '}
      <a href={`${demoBundleUrl}manifest.json`} target="_blank" rel="noreferrer">
        Its mechanism
      </a>{' '}
      (manifest.json, <code>mechanism</code>). Load real MusicGen weights in the Models view.
    </div>
  );
}
