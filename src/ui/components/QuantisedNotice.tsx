import { WEIGHT_DTYPES } from '../../bundle/weightDtypes';
import { useLab } from '../state/useLab';

/**
 * Says plainly, where figures are read, that the loaded model runs on quantised weights (a q8 or q4
 * bundle): its lens measures, effects and precisions describe the quantised model, which can differ
 * from MusicGen's own. Nothing for fp32 and fp16 (float32 compute).
 */
export function QuantisedNotice() {
  const dtype = useLab((state) => (state.model.status === 'ready' ? state.model.info.dtype : undefined));
  if (dtype === undefined || !WEIGHT_DTYPES[dtype].quantised) return null;
  return (
    <p className="quantised-notice" role="note" data-testid="quantised-notice" data-dtype={dtype}>
      <strong>Quantised weights ({WEIGHT_DTYPES[dtype].label}).</strong> Every figure here is computed on the quantised model, not on MusicGen's original weights: load an fp32 or
      fp16 copy to check a finding.
    </p>
  );
}
