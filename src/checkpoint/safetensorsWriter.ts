/**
 * Writes the safetensors format: u64 little-endian header length, a JSON header (padded with
 * spaces to a multiple of 8 so the data starts 8-byte aligned), then every tensor's bytes in the
 * order given. Used to produce the tiny demo checkpoint; output is byte-for-byte deterministic.
 */

export type WritableDtype = 'F32' | 'F16' | 'I64';

export interface WritableTensor {
  name: string;
  dtype: WritableDtype;
  shape: number[];
  /** F32: Float32Array; F16: Uint16Array of IEEE half bits; I64: BigInt64Array. Row-major. */
  data: Float32Array | Uint16Array | BigInt64Array;
}

const ARRAY_TYPE = { F32: Float32Array, F16: Uint16Array, I64: BigInt64Array } as const;

function checkTensor(tensor: WritableTensor, seen: Set<string>): void {
  const where = `safetensors tensor "${tensor.name}"`;
  if (tensor.name === '__metadata__' || tensor.name.length === 0) throw new Error(`${where}: invalid tensor name`);
  if (seen.has(tensor.name)) throw new Error(`${where}: name used twice`);
  seen.add(tensor.name);
  if (!(tensor.data instanceof ARRAY_TYPE[tensor.dtype])) {
    throw new Error(`${where}: dtype ${tensor.dtype} needs a ${ARRAY_TYPE[tensor.dtype].name}, got ${tensor.data.constructor.name}`);
  }
  if (!tensor.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`${where}: bad shape ${JSON.stringify(tensor.shape)}`);
  const count = tensor.shape.reduce((a, b) => a * b, 1);
  if (count !== tensor.data.length) {
    throw new Error(`${where}: shape ${JSON.stringify(tensor.shape)} needs ${count} values, data has ${tensor.data.length}`);
  }
}

/** Serialises tensors (and optional string metadata) into one safetensors file. Assumes a little-endian host, as every JS platform is. */
export function writeSafetensors(tensors: readonly WritableTensor[], metadata?: Record<string, string>): Uint8Array {
  const seen = new Set<string>();
  tensors.forEach((t) => checkTensor(t, seen));

  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }

  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength); // space padding keeps the header valid JSON

  let cursor = 8 + headerLength;
  for (const t of tensors) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), cursor);
    cursor += t.data.byteLength;
  }
  return out;
}
