import { useLab } from '../../state/useLab';

/** Which DecoderLens depths to generate (the lab store keeps them, so the URL can too). */
export function DepthPicker({ numLayers, disabled }: { numLayers: number; disabled: boolean }) {
  const depths = useLab((state) => state.lensDepths);
  const toggle = useLab((state) => state.toggleLensDepth);
  const setDepths = useLab((state) => state.setLensDepths);
  const all = Array.from({ length: numLayers }, (_, i) => i + 1);
  return (
    <fieldset className="depths" disabled={disabled || numLayers === 0}>
      <legend>Depths</legend>
      {all.map((depth) => (
        <label key={depth} className="depth-choice">
          <input type="checkbox" checked={depths.includes(depth)} onChange={() => toggle(depth)} data-testid={`depth-${depth}`} />
          {depth}
        </label>
      ))}
      <button type="button" className="link-button" onClick={() => setDepths(all)}>
        All
      </button>
      <button type="button" className="link-button" onClick={() => setDepths([])}>
        None
      </button>
    </fieldset>
  );
}
