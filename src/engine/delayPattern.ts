/**
 * MusicGen's delay pattern (audiocraft DelayedPatternProvider, delays [0, 1, ..., K-1]).
 *
 * A delayed sequence has K rows and frames + K columns. Column 0 is the start column; codebook k's
 * frame f sits at column f + 1 + k. Every other ("invalid") cell holds the special token
 * (= codebook size). Decoder step s feeds column s and produces column s + 1, so a generation of
 * `frames` frames takes frames + K - 1 steps.
 */

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
}

function requireToken(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer token id, got ${value}`);
}

function requireSequence(sequence: Int32Array, frames: number, K: number): void {
  const expected = K * (frames + K);
  if (sequence.length !== expected) {
    throw new Error(`sequence has length ${sequence.length}, expected ${expected} ([K=${K}, frames+K=${frames + K}])`);
  }
}

/** Number of columns of a delayed sequence: the start column plus frames + K - 1 generated ones. */
export function sequenceLength(frames: number, K: number): number {
  requirePositiveInteger('frames', frames);
  requirePositiveInteger('K', K);
  return frames + K;
}

/** Number of decoder steps that generate `frames` frames of K codebooks. */
export function decoderSteps(frames: number, K: number): number {
  return sequenceLength(frames, K) - 1;
}

function cellHoldsCode(k: number, column: number, frames: number): boolean {
  const frame = column - 1 - k;
  return frame >= 0 && frame < frames;
}

/** Whether cell (k, column) holds a real code, i.e. 0 <= column - 1 - k < frames. */
export function isValidCell(k: number, column: number, frames: number): boolean {
  if (!Number.isInteger(k) || k < 0) throw new Error(`k must be a non-negative integer codebook index, got ${k}`);
  if (!Number.isInteger(column) || column < 0) throw new Error(`column must be a non-negative integer, got ${column}`);
  requirePositiveInteger('frames', frames);
  return cellHoldsCode(k, column, frames);
}

/** A delayed sequence with every cell set to the special token. */
export function emptySequence(frames: number, K: number, special: number): Int32Array {
  const columns = sequenceLength(frames, K);
  requireToken('special', special);
  return new Int32Array(K * columns).fill(special); // [K, frames+K]
}

/** Tokens fed at decoder step `column` (one per codebook). */
export function stepInput(sequence: Int32Array /* [K, frames+K] */, column: number, K: number, frames: number): Int32Array {
  const columns = sequenceLength(frames, K);
  requireSequence(sequence, frames, K);
  if (!Number.isInteger(column) || column < 0 || column >= columns - 1) {
    throw new Error(`column must be an integer in [0, ${columns - 1}) (a decoder step), got ${column}`);
  }
  const tokens = new Int32Array(K); // [K]
  for (let k = 0; k < K; k++) tokens[k] = sequence[k * columns + column];
  return tokens;
}

/**
 * Writes the tokens sampled at the step that produces `column`; cells outside the pattern get the
 * special token instead, as in audiocraft's generate loop.
 */
export function writeStep(
  sequence: Int32Array, // [K, frames+K]
  column: number,
  tokens: Int32Array | readonly number[], // [K]
  frames: number,
  K: number,
  special: number,
): void {
  const columns = sequenceLength(frames, K);
  requireSequence(sequence, frames, K);
  requireToken('special', special);
  if (!Number.isInteger(column) || column < 1 || column >= columns) {
    throw new Error(`column must be an integer in [1, ${columns}) (a generated column), got ${column}`);
  }
  if (tokens.length !== K) throw new Error(`tokens has length ${tokens.length}, expected K=${K}`);
  for (let k = 0; k < K; k++) {
    if (!cellHoldsCode(k, column, frames)) {
      sequence[k * columns + column] = special;
      continue;
    }
    const token = tokens[k];
    if (!Number.isInteger(token) || token < 0 || token >= special) {
      throw new Error(`tokens[${k}] = ${token} is not a code in [0, ${special})`);
    }
    sequence[k * columns + column] = token;
  }
}

/** Reads the codes back from the valid cells. */
export function undelay(sequence: Int32Array /* [K, frames+K] */, frames: number, K: number): Int32Array {
  const columns = sequenceLength(frames, K);
  requireSequence(sequence, frames, K);
  const codes = new Int32Array(K * frames); // [K, frames]
  for (let k = 0; k < K; k++) {
    const from = k * columns + 1 + k;
    codes.set(sequence.subarray(from, from + frames), k * frames);
  }
  return codes;
}

/** Lays codes out in the delay pattern (the inverse of `undelay`), for teacher forcing and tests. */
export function delay(codes: Int32Array /* [K, frames] */, frames: number, K: number, special: number): Int32Array {
  const sequence = emptySequence(frames, K, special); // [K, frames+K]
  if (codes.length !== K * frames) {
    throw new Error(`codes has length ${codes.length}, expected ${K * frames} ([K=${K}, frames=${frames}])`);
  }
  const columns = frames + K;
  for (let k = 0; k < K; k++) {
    for (let f = 0; f < frames; f++) {
      const code = codes[k * frames + f];
      if (code < 0 || code >= special) throw new Error(`codes[${k}, ${f}] = ${code} is not a code in [0, ${special})`);
      sequence[k * columns + f + 1 + k] = code;
    }
  }
  return sequence;
}
