import { describe, expect, it } from 'vitest';
import { AUDIOSET_LABELS } from '../../src/classifier/audiosetLabels';
import { parseClassifierLabels, parseClassifierSpec, parsePreprocessorConfig } from '../../src/classifier/classifierConfig';

const id2label = Object.fromEntries(AUDIOSET_LABELS.map((label, i) => [String(i), label]));
// Xenova/ast-finetuned-audioset-10-10-0.4593's preprocessor_config.json.
const preprocessor = { do_normalize: true, feature_extractor_type: 'ASTFeatureExtractor', feature_size: 1, max_length: 1024, mean: -4.2677393, num_mel_bins: 128, padding_side: 'right', padding_value: 0.0, return_attention_mask: false, sampling_rate: 16000, std: 4.5689974 };
const text = (value: unknown) => JSON.stringify(value);

describe('classifier config', () => {
  it('reads the hub layout: id2label by index, AST feature settings', () => {
    const spec = parseClassifierSpec(text({ id2label }), text(preprocessor));
    expect(spec.labels).toEqual(AUDIOSET_LABELS);
    expect(spec.features).toEqual({ numMelBins: 128, maxLength: 1024, mean: -4.2677393, std: 4.5689974 });
    expect(spec.notes).toBeUndefined();
    expect(parseClassifierLabels(text({ id2label, musicgen_lab_notes: 'random' })).notes).toBe('random');
  });

  it('accepts id2label in any key order', () => {
    const shuffled = Object.fromEntries(Object.entries(id2label).reverse());
    expect(parseClassifierLabels(text({ id2label: shuffled })).labels).toEqual(AUDIOSET_LABELS);
  });

  it('refuses classifiers whose classes are not AudioSet\'s 527, in order', () => {
    expect(() => parseClassifierLabels(text({}))).toThrow('config.json has no "id2label" map');
    expect(() => parseClassifierLabels(text({ id2label: { 0: 'Speech' } }))).toThrow("config.json: the classifier has 1 classes; the lab's metrics need AudioSet's 527");
    expect(() => parseClassifierLabels(text({ id2label: { ...id2label, 140: 'Banjo' } }))).toThrow('config.json: class 140 is "Banjo", AudioSet\'s is "Guitar"');
    const { 5: _dropped, ...missing } = id2label;
    expect(() => parseClassifierLabels(text({ id2label: { ...missing, 527: 'x' } }))).toThrow(/id2label entry "527"/);
    expect(() => parseClassifierLabels('{oops')).toThrow(/config.json is not valid JSON/);
    expect(() => parseClassifierLabels('[]')).toThrow('config.json must hold a JSON object');
  });

  it('refuses feature settings the project does not implement, naming the field', () => {
    expect(() => parsePreprocessorConfig(text({ ...preprocessor, sampling_rate: 22050 }))).toThrow('preprocessor_config.json: sampling_rate 22050 is not supported; the project\'s features are for 16000 Hz');
    expect(() => parsePreprocessorConfig(text({ ...preprocessor, do_normalize: false }))).toThrow(/do_normalize false is not supported/);
    expect(() => parsePreprocessorConfig(text({ ...preprocessor, std: 0 }))).toThrow(/"std" must be positive/);
    expect(() => parsePreprocessorConfig(text({ ...preprocessor, mean: 'x' }))).toThrow('preprocessor_config.json: "mean" must be a number, got "x"');
    expect(() => parsePreprocessorConfig(text({ ...preprocessor, max_length: 0 }))).toThrow(/"max_length" must be a whole number ≥ 1/);
  });
});
