/**
 * The files of an AST AudioSet classifier folder in the hub repo's layout
 * (Xenova/ast-finetuned-audioset-10-10-0.4593): config.json with AudioSet's id2label,
 * preprocessor_config.json with the feature settings, and the ONNX graph. Classifiers the project
 * builds (the tiny test one, the toy model's) are written through this, so loadClassifier reads
 * them exactly as it reads the real one.
 */
import { AST_FEATURES } from './astFeatures';
import { AUDIOSET_LABELS } from './audiosetLabels';
import { CLASSIFIER_MODEL_FILES } from './loadClassifier';

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
}

/** Every file of the folder, by path relative to it. `notes` says what the classifier is. */
export function astClassifierFolderFiles(graph: Uint8Array, notes: string): Map<string, Uint8Array> {
  const config = {
    architectures: ['ASTForAudioClassification'],
    model_type: 'audio-spectrogram-transformer',
    num_mel_bins: AST_FEATURES.numMelBins,
    max_length: AST_FEATURES.maxLength,
    musicgen_lab_notes: notes,
    id2label: Object.fromEntries(AUDIOSET_LABELS.map((label, i) => [String(i), label])),
    label2id: Object.fromEntries(AUDIOSET_LABELS.map((label, i) => [label, i])),
  };
  const preprocessor = {
    do_normalize: true,
    feature_extractor_type: 'ASTFeatureExtractor',
    feature_size: 1,
    max_length: AST_FEATURES.maxLength,
    mean: AST_FEATURES.mean,
    num_mel_bins: AST_FEATURES.numMelBins,
    padding_side: 'right',
    padding_value: 0,
    return_attention_mask: false,
    sampling_rate: 16000,
    std: AST_FEATURES.std,
  };
  return new Map([
    ['config.json', json(config)],
    ['preprocessor_config.json', json(preprocessor)],
    [CLASSIFIER_MODEL_FILES.fp32, graph],
  ]);
}
