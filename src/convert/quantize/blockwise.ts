/**
 * Block-wise asymmetric quantisation in the layout of onnxruntime's MatMulNBits (com.microsoft):
 * B is the weight as [N, K] (a Hugging Face linear's [out, in], untransposed), cut along K into
 * blocks of `blockSize`; each block stores `bits`-bit codes q with w ≈ (q - zeroPoint) · scale.
 * 4-bit codes pack two per byte, the lower index in the low nibble; zero points pack the same way
 * per column, padded to whole bytes. A short last block is padded with codes equal to its zero point
 * (which dequantise to exactly 0).
 */

export type QuantBits = 4 | 8;

export interface BlockwiseWeight {
  bits: QuantBits;
  blockSize: number;
  n: number; // output features
  k: number; // input features
  blocksPerColumn: number; // ceil(k / blockSize)
  packed: Uint8Array; // [n, blocksPerColumn, blockSize * bits / 8]
  scales: Float32Array; // [n * blocksPerColumn]
  zeroPoints: Uint8Array; // [n * ceil(blocksPerColumn * bits / 8)]
}

/** Scale and zero point of one block, min/max over the block with 0 kept exactly representable. */
export function blockParams(values: ArrayLike<number>, start: number, end: number, bits: QuantBits): { scale: number; zeroPoint: number } {
  const levels = 2 ** bits - 1;
  let lo = 0;
  let hi = 0;
  for (let i = start; i < end; i++) {
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  if (hi === lo) return { scale: 1, zeroPoint: 2 ** (bits - 1) }; // an all-zero block: any scale is exact
  const scale = Math.fround((hi - lo) / levels);
  const zeroPoint = Math.min(levels, Math.max(0, Math.round(-lo / scale)));
  return { scale, zeroPoint };
}

function quantizeValue(value: number, scale: number, zeroPoint: number, levels: number): number {
  return Math.min(levels, Math.max(0, Math.round(value / scale) + zeroPoint));
}

/** Quantises a row-major [n, k] matrix (one row per output feature). */
export function quantizeBlockwise(weight: Float32Array, n: number, k: number, bits: QuantBits, blockSize: number): BlockwiseWeight {
  if (weight.length !== n * k) throw new Error(`quantizeBlockwise: ${weight.length} values do not form a [${n}, ${k}] matrix`);
  if (!(blockSize >= 16 && (blockSize & (blockSize - 1)) === 0)) throw new Error(`quantizeBlockwise: block size must be a power of two >= 16, got ${blockSize}`);
  const levels = 2 ** bits - 1;
  const blocksPerColumn = Math.ceil(k / blockSize);
  const blobBytes = (blockSize * bits) / 8;
  const zeroBytesPerColumn = Math.ceil((blocksPerColumn * bits) / 8);
  const packed = new Uint8Array(n * blocksPerColumn * blobBytes);
  const scales = new Float32Array(n * blocksPerColumn);
  const zeroPoints = new Uint8Array(n * zeroBytesPerColumn);
  for (let row = 0; row < n; row++) {
    for (let block = 0; block < blocksPerColumn; block++) {
      const start = row * k + block * blockSize;
      const end = row * k + Math.min(k, (block + 1) * blockSize);
      const { scale, zeroPoint } = blockParams(weight, start, end, bits);
      scales[row * blocksPerColumn + block] = scale;
      const blob = (row * blocksPerColumn + block) * blobBytes;
      for (let i = 0; i < blockSize; i++) {
        const q = start + i < end ? quantizeValue(weight[start + i], scale, zeroPoint, levels) : zeroPoint;
        if (bits === 8) packed[blob + i] = q;
        else packed[blob + (i >> 1)] |= (i & 1) === 0 ? q : q << 4;
      }
      if (bits === 8) zeroPoints[row * zeroBytesPerColumn + block] = zeroPoint;
      else zeroPoints[row * zeroBytesPerColumn + (block >> 1)] |= (block & 1) === 0 ? zeroPoint : zeroPoint << 4;
    }
  }
  return { bits, blockSize, n, k, blocksPerColumn, packed, scales, zeroPoints };
}

/** The float matrix a BlockwiseWeight stands for, row-major [n, k] (tests and drift checks). */
export function dequantizeBlockwise(q: BlockwiseWeight): Float32Array {
  const { n, k, bits, blockSize, blocksPerColumn } = q;
  const blobBytes = (blockSize * bits) / 8;
  const zeroBytesPerColumn = Math.ceil((blocksPerColumn * bits) / 8);
  const out = new Float32Array(n * k);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < k; col++) {
      const block = Math.floor(col / blockSize);
      const i = col % blockSize;
      const blob = (row * blocksPerColumn + block) * blobBytes;
      const code = bits === 8 ? q.packed[blob + i] : (q.packed[blob + (i >> 1)] >> ((i & 1) * 4)) & 15;
      const zByte = q.zeroPoints[row * zeroBytesPerColumn + (bits === 8 ? block : block >> 1)];
      const zeroPoint = bits === 8 ? zByte : (zByte >> ((block & 1) * 4)) & 15;
      out[row * k + col] = (code - zeroPoint) * q.scales[row * blocksPerColumn + block];
    }
  }
  return out;
}
