import { useLab } from '../state/useLab';

/** The bundled tiny model has random weights: say so loudly, so nobody judges MusicGen by it. */
export function DemoModelBanner({ demoBundleUrl }: { demoBundleUrl: string }) {
  const model = useLab((state) => state.model);
  if (model.status === 'idle' || model.bundleUrl !== demoBundleUrl) return null;
  const notes = model.status === 'ready' ? model.info.notes : undefined;
  return (
    <div className="demo-banner" role="note" data-testid="demo-banner">
      <strong>Demo model:</strong> this is the bundled tiny MusicGen with <em>random weights</em>. It runs the real
      pipeline end to end, but it sounds like noise. Load converted <code>facebook/musicgen-small</code> weights to hear music.
      {notes && <span className="demo-notes"> ({notes})</span>}
    </div>
  );
}
