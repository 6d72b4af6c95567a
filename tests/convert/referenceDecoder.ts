/**
 * An independent, deliberately plain MusicGen decoder forward pass (loops over arrays, float64
 * accumulation, weights in their Hugging Face [out, in] layout) used to check the ONNX graphs.
 * Written from the math (audiocraft StreamingTransformer), not from the graph builders.
 */
import { hfNames, type MusicgenConfig } from '../../src/checkpoint/musicgenConfig';
import type { Weights } from './tinyCheckpoint';

function w(weights: Weights, name: string): Float32Array {
  const found = weights.get(name);
  if (!found) throw new Error(`reference: missing weight ${name}`);
  return found.data;
}

/** y[n, out] = x[n, in] · W[out, in]^T (+ bias). */
export function linear(x: Float32Array, rows: number, inF: number, weight: Float32Array, outF: number, bias?: Float32Array): Float32Array {
  const y = new Float32Array(rows * outF);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outF; o++) {
      let sum = bias ? bias[o] : 0;
      for (let i = 0; i < inF; i++) sum += x[r * inF + i] * weight[o * inF + i];
      y[r * outF + o] = sum;
    }
  }
  return y;
}

export function layerNorm(x: Float32Array, rows: number, d: number, scale: Float32Array, bias: Float32Array, eps: number): Float32Array {
  const y = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let i = 0; i < d; i++) mean += x[r * d + i];
    mean /= d;
    let variance = 0;
    for (let i = 0; i < d; i++) variance += (x[r * d + i] - mean) ** 2;
    variance /= d;
    const inv = 1 / Math.sqrt(variance + eps);
    for (let i = 0; i < d; i++) y[r * d + i] = (x[r * d + i] - mean) * inv * scale[i] + bias[i];
  }
  return y;
}

/** erf by Abramowitz–Stegun 7.1.26 is too coarse for 1e-4; use a series / continued fraction. */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  if (a < 3) {
    // Maclaurin series: erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
    let term = a;
    let sum = a;
    for (let n = 1; n < 100; n++) {
      term *= (-a * a) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return sign * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction for erfc at larger |x|.
  let f = 0;
  for (let n = 60; n >= 1; n--) f = (n / 2) / (a + f);
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + f);
  return sign * (1 - erfc);
}

export function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

/** ids [b, K, t] -> hidden [b, t, d]: sum of codebook embeddings + sinusoid(offset + j). */
export function referenceEmbed(weights: Weights, config: MusicgenConfig, ids: ArrayLike<number>, b: number, t: number, offset: number): Float32Array {
  const { hiddenSize: d, numCodebooks: K } = config;
  const half = d / 2;
  const out = new Float32Array(b * t * d);
  for (let row = 0; row < b; row++) {
    for (let j = 0; j < t; j++) {
      const position = offset + j;
      for (let i = 0; i < d; i++) {
        let sum = 0;
        for (let k = 0; k < K; k++) sum += w(weights, hfNames.embed(k))[ids[(row * K + k) * t + j] * d + i];
        const freqIndex = i % half;
        const phase = position / Math.pow(10000, freqIndex / (half - 1));
        sum += i < half ? Math.cos(phase) : Math.sin(phase);
        out[(row * t + j) * d + i] = sum;
      }
    }
  }
  return out;
}

/** [b, n, d] (rows of d) -> [b, h, n, hd] */
export function toHeads(x: Float32Array, b: number, n: number, h: number, hd: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let row = 0; row < b; row++)
    for (let j = 0; j < n; j++)
      for (let head = 0; head < h; head++)
        for (let c = 0; c < hd; c++) out[((row * h + head) * n + j) * hd + c] = x[(row * n + j) * h * hd + head * hd + c];
  return out;
}

/**
 * One head-wise attention: q [b, t, d] (unscaled rows), keys/values [b, h, n, hd],
 * bias(row, i, j) additive. Returns the merged context [b, t, d].
 */
function attention(q: Float32Array, keys: Float32Array, values: Float32Array, b: number, t: number, n: number, h: number, hd: number, bias: (row: number, i: number, j: number) => number): Float32Array {
  const d = h * hd;
  const context = new Float32Array(b * t * d);
  const scale = 1 / Math.sqrt(hd);
  const scores = new Float64Array(n);
  for (let row = 0; row < b; row++) {
    for (let head = 0; head < h; head++) {
      for (let i = 0; i < t; i++) {
        let max = -Infinity;
        for (let j = 0; j < n; j++) {
          let dot = 0;
          for (let c = 0; c < hd; c++) dot += q[(row * t + i) * d + head * hd + c] * scale * keys[((row * h + head) * n + j) * hd + c];
          scores[j] = dot + bias(row, i, j);
          max = Math.max(max, scores[j]);
        }
        let total = 0;
        for (let j = 0; j < n; j++) total += scores[j] = Math.exp(scores[j] - max);
        for (let c = 0; c < hd; c++) {
          let sum = 0;
          for (let j = 0; j < n; j++) sum += (scores[j] / total) * values[((row * h + head) * n + j) * hd + c];
          context[(row * t + i) * d + head * hd + c] = sum;
        }
      }
    }
  }
  return context;
}

export interface BlockInputs {
  b: number;
  t: number;
  p: number;
  s: number;
  residPre: Float32Array; // [b, t, d]
  pastKey: Float32Array; // [b, h, p, hd]
  pastValue: Float32Array; // [b, h, p, hd]
  selfAttnBias: Float32Array; // [b, 1, t, p+t]
  crossKey: Float32Array; // [b, h, s, hd]
  crossValue: Float32Array; // [b, h, s, hd]
  crossAttnBias: Float32Array; // [b, 1, 1, s]
  keep: Record<'attn' | 'cross_attn' | 'mlp', Float32Array>; // [b, t, d]
  add: Record<'attn' | 'cross_attn' | 'mlp', Float32Array>; // [b, t, d]
}

export interface BlockOutputs {
  resid_post: Float32Array;
  present_key: Float32Array;
  present_value: Float32Array;
  attn_out: Float32Array;
  cross_attn_out: Float32Array;
  mlp_out: Float32Array;
}

/** Concatenates [b, h, p, hd] and [b, h, t, hd] along positions. */
function concatPositions(past: Float32Array, fresh: Float32Array, b: number, h: number, p: number, t: number, hd: number): Float32Array {
  const out = new Float32Array(b * h * (p + t) * hd);
  for (let bh = 0; bh < b * h; bh++) {
    out.set(past.subarray(bh * p * hd, (bh + 1) * p * hd), bh * (p + t) * hd);
    out.set(fresh.subarray(bh * t * hd, (bh + 1) * t * hd), (bh * (p + t) + p) * hd);
  }
  return out;
}

export function referenceBlock(weights: Weights, config: MusicgenConfig, layer: number, x: BlockInputs): BlockOutputs {
  const { hiddenSize: d, numHeads: h, headDim: hd, ffnDim: f, layerNormEps: eps } = config;
  const { b, t, p, s } = x;
  const rows = b * t;
  const L = (rest: string) => w(weights, hfNames.layer(layer, rest));
  const patch = (raw: Float32Array, module: 'attn' | 'cross_attn' | 'mlp') => raw.map((v, i) => v * x.keep[module][i] + x.add[module][i]);
  const plus = (a: Float32Array, c: Float32Array) => a.map((v, i) => v + c[i]);

  // Self-attention.
  const a = layerNorm(x.residPre, rows, d, L('self_attn_layer_norm.weight'), L('self_attn_layer_norm.bias'), eps);
  const q = linear(a, rows, d, L('self_attn.q_proj.weight'), d);
  const k = toHeads(linear(a, rows, d, L('self_attn.k_proj.weight'), d), b, t, h, hd);
  const v = toHeads(linear(a, rows, d, L('self_attn.v_proj.weight'), d), b, t, h, hd);
  const presentKey = concatPositions(x.pastKey, k, b, h, p, t, hd);
  const presentValue = concatPositions(x.pastValue, v, b, h, p, t, hd);
  const selfContext = attention(q, presentKey, presentValue, b, t, p + t, h, hd, (row, i, j) => x.selfAttnBias[(row * t + i) * (p + t) + j]);
  const attnOut = patch(linear(selfContext, rows, d, L('self_attn.out_proj.weight'), d), 'attn');
  const afterAttn = plus(x.residPre, attnOut);

  // Cross-attention.
  const c = layerNorm(afterAttn, rows, d, L('encoder_attn_layer_norm.weight'), L('encoder_attn_layer_norm.bias'), eps);
  const cq = linear(c, rows, d, L('encoder_attn.q_proj.weight'), d);
  const crossContext = attention(cq, x.crossKey, x.crossValue, b, t, s, h, hd, (row, _i, j) => x.crossAttnBias[row * s + j]);
  const crossOut = patch(linear(crossContext, rows, d, L('encoder_attn.out_proj.weight'), d), 'cross_attn');
  const afterCross = plus(afterAttn, crossOut);

  // MLP.
  const m = layerNorm(afterCross, rows, d, L('final_layer_norm.weight'), L('final_layer_norm.bias'), eps);
  const hidden = linear(m, rows, d, L('fc1.weight'), f).map(gelu);
  const mlpOut = patch(linear(hidden, rows, f, L('fc2.weight'), d), 'mlp');
  return {
    resid_post: plus(afterCross, mlpOut),
    present_key: presentKey,
    present_value: presentValue,
    attn_out: attnOut,
    cross_attn_out: crossOut,
    mlp_out: mlpOut,
  };
}

/** states [b, s, textD], mask [b, s] -> per layer K and V [b, h, s, hd]. */
export function referenceCrossKv(weights: Weights, config: MusicgenConfig, states: Float32Array, mask: Float32Array, b: number, s: number): { key: Float32Array; value: Float32Array }[] {
  const { hiddenSize: d, textHiddenSize: textD, numHeads: h, headDim: hd } = config;
  const projected = linear(states, b * s, textD, w(weights, hfNames.encToDec('weight')), d, w(weights, hfNames.encToDec('bias')));
  const memory = projected.map((value, i) => value * mask[Math.floor(i / d)]);
  return Array.from({ length: config.numLayers }, (_, l) => ({
    key: toHeads(linear(memory, b * s, d, w(weights, hfNames.layer(l, 'encoder_attn.k_proj.weight')), d), b, s, h, hd),
    value: toHeads(linear(memory, b * s, d, w(weights, hfNames.layer(l, 'encoder_attn.v_proj.weight')), d), b, s, h, hd),
  }));
}

/** resid [b, t, d] -> normalized [b, t, d], logits [b, K, t, V]. */
export function referenceHead(weights: Weights, config: MusicgenConfig, resid: Float32Array, b: number, t: number): { normalized: Float32Array; logits: Float32Array } {
  const { hiddenSize: d, numCodebooks: K, codebookSize: V, layerNormEps: eps } = config;
  const normalized = layerNorm(resid, b * t, d, w(weights, hfNames.finalNorm('weight')), w(weights, hfNames.finalNorm('bias')), eps);
  const logits = new Float32Array(b * K * t * V);
  for (let k = 0; k < K; k++) {
    const perCodebook = linear(normalized, b * t, d, w(weights, hfNames.lmHead(k)), V); // [b*t, V]
    for (let row = 0; row < b; row++) logits.set(perCodebook.subarray(row * t * V, (row + 1) * t * V), (row * K + k) * t * V);
  }
  return { normalized, logits };
}

/** Additive causal bias [b, 1, t, p+t]: query i (absolute p+i) sees keys j <= p+i. */
export function causalBias(b: number, t: number, p: number, masked = -1e9): Float32Array {
  const bias = new Float32Array(b * t * (p + t));
  for (let row = 0; row < b; row++)
    for (let i = 0; i < t; i++)
      for (let j = 0; j < p + t; j++) bias[(row * t + i) * (p + t) + j] = j <= p + i ? 0 : masked;
  return bias;
}
