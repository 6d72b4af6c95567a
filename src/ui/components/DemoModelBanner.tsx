import { useLab } from '../state/useLab';

/** The bundled tiny model has random weights: say so loudly, so nobody judges MusicGen by it. */
export function DemoModelBanner({ demoBundleUrl }: { demoBundleUrl: string }) {
  const model = useLab((state) => state.model);
  if (model.status === 'idle' || model.bundleUrl !== demoBundleUrl) return null;
  const notes = model.status === 'ready' ? model.info.notes : undefined;
  return (
    <div className="demo-banner" role="note" data-testid="demo-banner">
      <strong>Demo model with random weights: it sounds like noise.</strong>{' '}
      {notes ?? (
        <>
          The bundled tiny model runs the real pipeline end to end, nothing more. Load converted <code>facebook/musicgen-small</code> weights to
          hear music.
        </>
      )}
    </div>
  );
}
