/**
 * Whether an encoded ONNX model runs quantised matrix products: its node op types are plain
 * strings in the file, so a byte search finds them without decoding a graph of a gigabyte. The
 * bench uses it to refuse a "q8" graph that is not quantised (a builder that ignored the request).
 */
export const QUANTISED_OPS: readonly string[] = ['MatMulInteger', 'MatMulNBits', 'DynamicQuantizeLinear', 'QLinearMatMul', 'DequantizeLinear'];

export function quantisedOps(bytes: Uint8Array): string[] {
  const encoder = new TextEncoder();
  return QUANTISED_OPS.filter((op) => indexOf(bytes, encoder.encode(op)) >= 0);
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  for (let i = haystack.indexOf(first); i >= 0 && i <= haystack.length - needle.length; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}
