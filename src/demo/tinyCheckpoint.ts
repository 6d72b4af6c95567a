/**
 * The tiny demo checkpoint: every decoder tensor of a Hugging Face MusicGen checkpoint under its
 * real name and shape (see ../shared/fixtures/golden-tiny), filled with seeded random values.
 *
 * Scales keep activations sane through the pre-LN blocks (projections ~1/sqrt(fan_in), layer-norm
 * weights near 1) while the lm heads are wide enough that logits spread over several units, so
 * top-k sampling is visibly non-uniform. Text-encoder and EnCodec weights are not included: the
 * tiny bundle ships those sides as ready-made ONNX graphs.
 */
import { hfNames, parseMusicgenConfig } from '../checkpoint/musicgenConfig';
import type { WritableTensor } from '../checkpoint/safetensorsWriter';
import { SeededRandom } from './seededRandom';
import { tinyMusicgenConfig } from './tinyConfig';

export interface TinyCheckpoint {
  /** HF-style config.json object. */
  config: Record<string, unknown>;
  /** Float32 tensors in checkpoint order, under Hugging Face names. */
  tensors: WritableTensor[];
}

/** Standard deviations of the random weights, per kind. */
export const TINY_WEIGHT_SCALE = {
  embedding: 0.4, // four codebook embeddings summed: comparable to the ±1 sinusoidal positions
  lmHead: 0.3, // logits std ≈ 0.3·sqrt(d) ≈ 2.4 after the final layer norm
  layerNormWeightJitter: 0.1, // weight = 1 + jitter
  layerNormBias: 0.05,
  selfAttnOutProj: 0.1,
  crossAttnOutProj: 0.25, // cross-attention averages similar values; a wider out_proj keeps the prompt's effect visible
  encToDecBias: 0.02,
} as const;

const ATTENTION_PROJECTIONS = ['q_proj', 'k_proj', 'v_proj', 'out_proj'] as const;
const ATTENTIONS = ['self_attn', 'encoder_attn'] as const;
const LAYER_NORMS = ['self_attn_layer_norm', 'encoder_attn_layer_norm', 'final_layer_norm'] as const;

/** Builds the checkpoint for `seed`; each tensor has its own random stream keyed by its name. */
export function makeTinyCheckpoint(seed: number): TinyCheckpoint {
  const config = tinyMusicgenConfig();
  const { hiddenSize: d, numLayers, ffnDim, codebookSize: vocab, numCodebooks, textHiddenSize: textD } = parseMusicgenConfig(config, 'tiny config');
  const tensors: WritableTensor[] = [];

  const normal = (name: string, shape: number[], std: number, mean = 0) => {
    const count = shape.reduce((a, b) => a * b, 1);
    tensors.push({ name, dtype: 'F32', shape, data: new SeededRandom(seed, name).normalArray(count, std, mean) });
  };
  const layerNorm = (prefix: (part: 'weight' | 'bias') => string) => {
    normal(prefix('weight'), [d], TINY_WEIGHT_SCALE.layerNormWeightJitter, 1); // [d]
    normal(prefix('bias'), [d], TINY_WEIGHT_SCALE.layerNormBias); // [d]
  };

  for (let k = 0; k < numCodebooks; k++) {
    normal(hfNames.embed(k), [vocab + 1, d], TINY_WEIGHT_SCALE.embedding); // [V+1, d]: row V is the start token
  }
  for (let layer = 0; layer < numLayers; layer++) {
    for (const attention of ATTENTIONS) {
      for (const projection of ATTENTION_PROJECTIONS) {
        const outStd = attention === 'self_attn' ? TINY_WEIGHT_SCALE.selfAttnOutProj : TINY_WEIGHT_SCALE.crossAttnOutProj;
        const std = projection === 'out_proj' ? outStd : 1 / Math.sqrt(d);
        normal(hfNames.layer(layer, `${attention}.${projection}.weight`), [d, d], std); // [out d, in d], no bias
      }
    }
    for (const norm of LAYER_NORMS) layerNorm((part) => hfNames.layer(layer, `${norm}.${part}`));
    normal(hfNames.layer(layer, 'fc1.weight'), [ffnDim, d], 1 / Math.sqrt(d)); // [ffn, d]
    normal(hfNames.layer(layer, 'fc2.weight'), [d, ffnDim], 1 / Math.sqrt(ffnDim)); // [d, ffn]
  }
  layerNorm(hfNames.finalNorm);
  for (let k = 0; k < numCodebooks; k++) {
    normal(hfNames.lmHead(k), [vocab, d], TINY_WEIGHT_SCALE.lmHead); // [V, d]
  }
  normal(hfNames.encToDec('weight'), [d, textD], 1 / Math.sqrt(textD)); // [d, textD]
  normal(hfNames.encToDec('bias'), [d], TINY_WEIGHT_SCALE.encToDecBias); // [d]

  return { config, tensors };
}
