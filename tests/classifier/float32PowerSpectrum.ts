/**
 * src/audio/fft.ts's radix-2 power spectrum with every value rounded to float32 (input,
 * twiddles, each butterfly's products and sums, |X|²), as an FFT computed in float32 would: what
 * the reference's torch.fft.rfft does in float32 (its own algorithm, so its own rounding).
 */
const f = Math.fround;

export function float32PowerSpectrum(frame: Float64Array, out: Float64Array<ArrayBuffer>, re: Float64Array<ArrayBuffer>, im: Float64Array<ArrayBuffer>): Float64Array {
  const n = frame.length; // a power of two
  const bits = Math.log2(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >>> b) & 1) << (bits - 1 - b);
    re[r] = f(frame[i]);
    im[i] = 0;
  }
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    for (let start = 0; start < n; start += size) {
      for (let j = 0; j < half; j++) {
        const wr = f(Math.cos((2 * Math.PI * j) / size));
        const wi = f(-Math.sin((2 * Math.PI * j) / size));
        const a = start + j;
        const b = a + half;
        const tr = f(f(re[b] * wr) - f(im[b] * wi));
        const ti = f(f(re[b] * wi) + f(im[b] * wr));
        re[b] = f(re[a] - tr);
        im[b] = f(im[a] - ti);
        re[a] = f(re[a] + tr);
        im[a] = f(im[a] + ti);
      }
    }
  }
  for (let k = 0; k <= n / 2; k++) out[k] = f(f(re[k] * re[k]) + f(im[k] * im[k]));
  return out;
}
