/**
 * The AST AudioSet classifier shell: 32 kHz clips in, logits [clips, 527] out. Features are the
 * project's own (astFeatures.ts); the session is any graph with the contract
 * `input_values` [b, maxLength, numMelBins] → `logits` [b, classes]. Clips run in batches, with
 * progress after each batch and cancellation between batches.
 */
import { AbortedError } from '../engine/loadedModel';
import type { Session } from '../runtime/ort';
import { audioFeatures } from './astFeatures';
import type { ClassifierSpec } from './classifierConfig';

export const ClassifierIO = { inputValues: 'input_values', logits: 'logits' } as const;

/** Clips per session run: AST's 1212 tokens × 12 layers stay well inside a browser's memory at 4. */
export const DEFAULT_CLASSIFIER_BATCH = 4;

export interface ClassifyProgress {
  done: number; // clips classified
  total: number;
}

export interface ClassifyOptions {
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ClassifyProgress) => void;
}

export class AudioClassifier {
  constructor(
    readonly spec: ClassifierSpec,
    private readonly session: Session,
    /** Which graph file was loaded, e.g. `onnx/model_quantized.onnx`. */
    readonly modelFile: string,
  ) {
    for (const [kind, names, wanted] of [['input', session.inputNames, ClassifierIO.inputValues], ['output', session.outputNames, ClassifierIO.logits]] as const) {
      if (!names.includes(wanted)) throw new Error(`${modelFile}: the classifier graph has no ${kind} "${wanted}" (it has ${names.join(', ') || 'none'}); expected the AST contract input_values → logits`);
    }
  }

  get classes(): number {
    return this.spec.labels.length;
  }

  /** Logits of each 32 kHz mono clip: [clips.length, classes], row-major. */
  async classify(clips32k: readonly Float32Array[], options: ClassifyOptions = {}): Promise<Float32Array> {
    const batchSize = options.batchSize ?? DEFAULT_CLASSIFIER_BATCH;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`classifier batch size must be a whole number ≥ 1, got ${batchSize}`);
    if (clips32k.length === 0) throw new Error('classify needs at least one clip');
    const { maxLength, numMelBins } = this.spec.features;
    const frameValues = maxLength * numMelBins;
    const logits = new Float32Array(clips32k.length * this.classes); // [clips, classes]
    for (let start = 0; start < clips32k.length; start += batchSize) {
      if (options.signal?.aborted) throw new AbortedError('classification');
      const batch = clips32k.slice(start, start + batchSize);
      const inputValues = new Float32Array(batch.length * frameValues); // [b, maxLength, numMelBins]
      batch.forEach((clip, i) => inputValues.set(audioFeatures(clip, this.spec.features, `clip ${start + i}`), i * frameValues));
      const fetched = await this.session.run({ [ClassifierIO.inputValues]: { type: 'float32', data: inputValues, dims: [batch.length, maxLength, numMelBins] } }, [ClassifierIO.logits]);
      const out = fetched[ClassifierIO.logits];
      if (out.type !== 'float32' || out.dims.length !== 2 || out.dims[0] !== batch.length || out.dims[1] !== this.classes) {
        throw new Error(`${this.modelFile}: the classifier returned logits ${out.type}[${out.dims.join(', ')}], expected float32[${batch.length}, ${this.classes}]`);
      }
      logits.set(out.data as Float32Array, start * this.classes);
      options.onProgress?.({ done: start + batch.length, total: clips32k.length });
    }
    return logits;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
