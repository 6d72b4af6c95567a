/**
 * Closed-form ridge regression: W = (ZᵀZ + λI)⁻¹ Zᵀ(Y − ȳ) on standardised inputs Z, returned in
 * the raw inputs' units (y ≈ x·W + b). Pure float64; no training framework.
 */

export interface LinearModel {
  inputs: number;
  outputs: number;
  weight: Float64Array; // [inputs, outputs]
  bias: Float64Array; // [outputs]
}

/** Solves A X = B for symmetric positive definite A [n, n], B [n, m] (Cholesky), in place of B. */
function choleskySolve(a: Float64Array, b: Float64Array, n: number, m: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j];
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(sum > 0)) throw new Error('ridge: the normal matrix is not positive definite (raise lambda)');
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / l[j * n + j];
      }
    }
  }
  const x = Float64Array.from(b);
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      let sum = x[i * m + c];
      for (let k = 0; k < i; k++) sum -= l[i * n + k] * x[k * m + c];
      x[i * m + c] = sum / l[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = x[i * m + c];
      for (let k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k * m + c];
      x[i * m + c] = sum / l[i * n + i];
    }
  }
  return x;
}

/** Fits y ≈ x·W + b. `x` [samples, inputs], `y` [samples, outputs], row-major; λ on standardised inputs. */
export function fitRidge(x: ArrayLike<number>, y: ArrayLike<number>, samples: number, inputs: number, outputs: number, lambda: number): LinearModel {
  if (x.length !== samples * inputs || y.length !== samples * outputs) throw new Error('ridge: x or y does not match samples × inputs / outputs');
  if (samples < 2) throw new Error('ridge: at least two samples are needed');
  const mean = new Float64Array(inputs);
  const scale = new Float64Array(inputs);
  for (let j = 0; j < inputs; j++) {
    let s = 0;
    for (let i = 0; i < samples; i++) s += x[i * inputs + j];
    mean[j] = s / samples;
    let v = 0;
    for (let i = 0; i < samples; i++) v += (x[i * inputs + j] - mean[j]) ** 2;
    scale[j] = Math.sqrt(v / samples) || 1; // a constant input gets weight 0 anyway
  }
  const yMean = new Float64Array(outputs);
  for (let c = 0; c < outputs; c++) {
    for (let i = 0; i < samples; i++) yMean[c] += y[i * outputs + c] / samples;
  }
  const z = new Float64Array(samples * inputs); // [samples, inputs], standardised
  for (let i = 0; i < samples; i++) for (let j = 0; j < inputs; j++) z[i * inputs + j] = (x[i * inputs + j] - mean[j]) / scale[j];
  const gram = new Float64Array(inputs * inputs); // ZᵀZ + λI
  for (let a = 0; a < inputs; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < samples; i++) s += z[i * inputs + a] * z[i * inputs + b];
      gram[a * inputs + b] = gram[b * inputs + a] = s;
    }
    gram[a * inputs + a] += lambda;
  }
  const rhs = new Float64Array(inputs * outputs); // Zᵀ(Y − ȳ)
  for (let i = 0; i < samples; i++) {
    for (let a = 0; a < inputs; a++) {
      const za = z[i * inputs + a];
      for (let c = 0; c < outputs; c++) rhs[a * outputs + c] += za * (y[i * outputs + c] - yMean[c]);
    }
  }
  const standardised = choleskySolve(gram, rhs, inputs, outputs);
  const weight = new Float64Array(inputs * outputs);
  const bias = Float64Array.from(yMean);
  for (let a = 0; a < inputs; a++) {
    for (let c = 0; c < outputs; c++) {
      weight[a * outputs + c] = standardised[a * outputs + c] / scale[a];
      bias[c] -= mean[a] * weight[a * outputs + c];
    }
  }
  return { inputs, outputs, weight, bias };
}

/** x·W + b for one input row. */
export function predict(model: LinearModel, x: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(model.bias);
  for (let a = 0; a < model.inputs; a++) {
    const xa = x[a];
    for (let c = 0; c < model.outputs; c++) out[c] += xa * model.weight[a * model.outputs + c];
  }
  return out;
}
