/** Additive attention biases fed to the block graphs (0 = attend, MASKED = ignore). */
import { MASKED } from '../bundle/graphContract';

function requireCount(name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) throw new Error(`${name} must be an integer >= ${minimum}, got ${value}`);
}

/**
 * Causal self-attention bias for `t` new positions after `past` cached ones: query i sits at
 * position past + i and may see every key position <= its own.
 */
export function causalSelfAttentionBias(batch: number, t: number, past: number): Float32Array {
  requireCount('batch', batch, 1);
  requireCount('t', t, 1);
  requireCount('past', past, 0);
  const keys = past + t;
  const one = new Float32Array(t * keys); // [1, 1, t, past+t]
  for (let query = 0; query < t; query++) {
    one.fill(MASKED, query * keys + past + query + 1, (query + 1) * keys);
  }
  const bias = new Float32Array(batch * t * keys); // [b, 1, t, past+t]
  for (let row = 0; row < batch; row++) bias.set(one, row * t * keys);
  return bias;
}

/**
 * Cross-attention bias from per-row text masks (1 = token, 0 = padding). A row whose mask is all
 * zero is the null guidance branch: its keys and values are zero, so it gets no bias at all
 * (a fully masked softmax would be meaningless).
 */
export function crossAttentionBias(masks: readonly Uint8Array[] /* per batch row, [s] */, s: number): Float32Array {
  requireCount('s', s, 1);
  const bias = new Float32Array(masks.length * s); // [b, 1, 1, s]
  masks.forEach((mask, row) => {
    if (mask.length !== s) throw new Error(`masks[${row}] has length ${mask.length}, expected s=${s}`);
    let tokens = 0;
    for (let i = 0; i < s; i++) {
      if (mask[i] > 1) throw new Error(`masks[${row}][${i}] = ${mask[i]}; a mask holds only 0 (padding) or 1 (token)`);
      tokens += mask[i];
    }
    if (tokens === 0) return;
    for (let i = 0; i < s; i++) if (mask[i] === 0) bias[row * s + i] = MASKED;
  });
  return bias;
}
