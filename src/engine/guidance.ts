/**
 * Classifier-free guidance, computed as torch does in float32: uncond + scale * (cond - uncond),
 * each operation rounded to float32 (cond - uncond, then times scale, then plus uncond).
 */

function requireScale(scale: number): number {
  if (!Number.isFinite(scale)) throw new Error(`scale must be a finite number, got ${scale}`);
  return Math.fround(scale); // torch casts the Python scalar to the tensor's float32
}

function requireOut(out: Float32Array | undefined, length: number): Float32Array {
  if (out === undefined) return new Float32Array(length);
  if (out.length !== length) throw new Error(`out has length ${out.length}, expected ${length}`);
  return out;
}

/** uncond + scale * (cond - uncond), elementwise; writes into `out` when given (may alias an input). */
export function applyGuidance(
  cond: Float32Array, // [n]
  uncond: Float32Array, // [n]
  scale: number,
  out?: Float32Array, // [n]
): Float32Array {
  if (cond.length !== uncond.length) throw new Error(`cond has length ${cond.length} but uncond has length ${uncond.length}`);
  const scale32 = requireScale(scale);
  const guided = requireOut(out, cond.length); // [n]
  for (let i = 0; i < cond.length; i++) {
    const difference = Math.fround(cond[i] - uncond[i]);
    guided[i] = Math.fround(Math.fround(difference * scale32) + uncond[i]);
  }
  return guided;
}

/**
 * Guidance over a batch laid out as guidance pairs (batch row 2i = cond, 2i + 1 = null), e.g.
 * head logits [2n, K, 1, V] with rowSize = K·V; returns [n, rowSize].
 */
export function applyGuidanceToPairs(
  batch: Float32Array, // [2n, rowSize]
  pairs: number,
  rowSize: number,
  scale: number,
  out?: Float32Array, // [n, rowSize]
): Float32Array {
  if (!Number.isInteger(pairs) || pairs < 0) throw new Error(`pairs must be a non-negative integer, got ${pairs}`);
  if (!Number.isInteger(rowSize) || rowSize < 1) throw new Error(`rowSize must be a positive integer, got ${rowSize}`);
  if (batch.length !== 2 * pairs * rowSize) {
    throw new Error(`batch has length ${batch.length}, expected ${2 * pairs * rowSize} ([2·pairs=${2 * pairs}, rowSize=${rowSize}])`);
  }
  const guided = requireOut(out, pairs * rowSize); // [n, rowSize]
  for (let pair = 0; pair < pairs; pair++) {
    const condStart = 2 * pair * rowSize;
    applyGuidance(
      batch.subarray(condStart, condStart + rowSize),
      batch.subarray(condStart + rowSize, condStart + 2 * rowSize),
      scale,
      guided.subarray(pair * rowSize, (pair + 1) * rowSize),
    );
  }
  return guided;
}
