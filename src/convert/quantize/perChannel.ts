/**
 * Symmetric int8 quantisation with one scale per output channel: w ≈ q · scale, zero point 0,
 * stored as [k, n] (the transposed Hugging Face weight, ready for MatMulInteger's B).
 * `reduceRange` uses 7 bits ([-64, 64]) as onnxruntime's quantize_dynamic(reduce_range=True) does;
 * otherwise [-127, 127]. Rounding is half to even, like numpy's in onnxruntime's quantiser.
 */

export interface PerChannelInt8 {
  n: number; // output features
  k: number; // input features
  values: Int8Array; // [k, n]
  scales: Float32Array; // [n]
}

/** Round half to even (numpy.round). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Quantises a row-major Hugging Face linear weight [n, k] (one row per output feature). */
export function quantizeInt8PerChannel(weight: Float32Array, n: number, k: number, options: { reduceRange?: boolean } = {}): PerChannelInt8 {
  if (weight.length !== n * k) throw new Error(`quantizeInt8PerChannel: ${weight.length} values do not form a [${n}, ${k}] matrix`);
  const qmax = options.reduceRange ? 64 : 127;
  const values = new Int8Array(k * n);
  const scales = new Float32Array(n);
  for (let row = 0; row < n; row++) {
    let peak = 0;
    for (let c = 0; c < k; c++) peak = Math.max(peak, Math.abs(weight[row * k + c]));
    const scale = peak === 0 ? 1 : Math.fround(peak / qmax); // an all-zero row: any scale is exact
    scales[row] = scale;
    for (let c = 0; c < k; c++) values[c * n + row] = Math.max(-qmax, Math.min(qmax, roundHalfEven(weight[row * k + c] / scale)));
  }
  return { n, k, values, scales };
}

/** The float matrix a PerChannelInt8 stands for, row-major [n, k] (tests and drift checks). */
export function dequantizeInt8PerChannel(q: PerChannelInt8): Float32Array {
  const out = new Float32Array(q.n * q.k);
  for (let row = 0; row < q.n; row++) for (let c = 0; c < q.k; c++) out[row * q.k + c] = q.values[c * q.n + row] * q.scales[row];
  return out;
}
