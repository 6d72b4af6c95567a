/**
 * Power spectrum of a real frame by an iterative radix-2 FFT (float64). Pure; the twiddle and
 * bit-reversal tables are cached per size, since every frame of a clip has the same size.
 */

interface FftTables {
  cos: Float64Array; // [n/2]
  sin: Float64Array; // [n/2]
  reversed: Uint32Array; // [n] bit-reversed index
}

const tablesBySize = new Map<number, FftTables>();

function tablesFor(n: number): FftTables {
  const cached = tablesBySize.get(n);
  if (cached) return cached;
  if (n < 2 || (n & (n - 1)) !== 0) throw new Error(`fft: size ${n} is not a power of two ≥ 2`);
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  const bits = Math.log2(n);
  const reversed = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >>> b) & 1) << (bits - 1 - b);
    reversed[i] = r;
  }
  const tables = { cos, sin, reversed };
  tablesBySize.set(n, tables);
  return tables;
}

/**
 * |X_k|² for k = 0..n/2 of the real signal `frame` (length n, a power of two), written into
 * `out` [n/2 + 1] when given. `scratch` buffers [n] may be passed to avoid allocations per frame.
 */
export function powerSpectrum(frame: Float64Array, out = new Float64Array(frame.length / 2 + 1), scratchRe = new Float64Array(frame.length), scratchIm = new Float64Array(frame.length)): Float64Array {
  const n = frame.length;
  const { cos, sin, reversed } = tablesFor(n);
  const re = scratchRe; // [n]
  const im = scratchIm; // [n]
  for (let i = 0; i < n; i++) {
    re[reversed[i]] = frame[i];
    im[i] = 0;
  }
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let j = 0; j < half; j++) {
        const wr = cos[j * step];
        const wi = sin[j * step];
        const a = start + j;
        const b = a + half;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
  for (let k = 0; k <= n / 2; k++) out[k] = re[k] * re[k] + im[k] * im[k];
  return out;
}
