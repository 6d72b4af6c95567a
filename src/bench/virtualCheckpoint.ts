/**
 * A musicgen-small-sized `model.safetensors` that never exists whole: the header is real, and
 * any byte range is generated on demand from the random benchmark weights (randomReader.ts), so a
 * local hub mirror can serve 2 GB of checkpoint without a file. Text-encoder tensors come first,
 * as in the real file, so a loader must skip them.
 */
import type { MusicgenConfig } from '../checkpoint/musicgenConfig';
import { deriveSeed } from '../demo/seededRandom';
import { decoderTensorSpecs, randomUniform } from './randomReader';

export interface VirtualFile {
  size: number;
  /** Bytes [start, end). */
  bytes(start: number, end: number): Uint8Array;
}

interface Placed {
  name: string;
  shape: number[];
  std: number;
  mean: number;
  start: number; // absolute file offset
  end: number;
}

/** `frontTensors` (name → shape, float32 zeros-ish) are placed before the decoder. */
export function virtualCheckpoint(config: MusicgenConfig, seed: number, frontTensors: Record<string, number[]>): VirtualFile {
  const tensors: Omit<Placed, 'start' | 'end'>[] = [
    ...Object.entries(frontTensors).map(([name, shape]) => ({ name, shape, std: 0.02, mean: 0 })),
    ...[...decoderTensorSpecs(config)].map(([name, spec]) => ({ name, ...spec })),
  ];
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  const relative = tensors.map((t) => {
    const length = t.shape.reduce((a, b) => a * b, 1) * 4;
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + length] };
    offset += length;
    return { ...t, start: offset - length, end: offset };
  });
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const prefix = new Uint8Array(8 + headerLength).fill(0x20);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(headerLength), true);
  prefix.set(json, 8);
  const placed: Placed[] = relative.map((t) => ({ ...t, start: t.start + prefix.length, end: t.end + prefix.length }));
  let cached: { name: string; bytes: Uint8Array } | undefined;
  const tensorBytes = (t: Placed): Uint8Array => {
    if (cached?.name !== t.name) {
      const values = randomUniform(deriveSeed(seed, t.name), (t.end - t.start) / 4, t.std, t.mean);
      cached = { name: t.name, bytes: new Uint8Array(values.buffer) };
    }
    return cached.bytes;
  };
  return {
    size: prefix.length + offset,
    bytes(start, end) {
      const out = new Uint8Array(end - start);
      if (start < prefix.length) out.set(prefix.subarray(start, Math.min(end, prefix.length)), 0);
      for (const t of placed) {
        if (t.end <= start || t.start >= end) continue;
        const from = Math.max(start, t.start);
        const to = Math.min(end, t.end);
        out.set(tensorBytes(t).subarray(from - t.start, to - t.start), from - start);
      }
      return out;
    },
  };
}
