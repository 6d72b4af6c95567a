/**
 * Builds safetensors bytes by hand (independently of the reader under test), with hooks to craft
 * broken files: a rewritten header object, raw header text, or a forged header length.
 */
export interface TensorBytes {
  name: string;
  dtype: string;
  shape: number[];
  /** Stored bytes; for F32 a Float32Array may be given. */
  data: Uint8Array | Float32Array;
}

export interface MakeOptions {
  metadata?: Record<string, string>;
  /** Edits the header object before it is written (e.g. wrong dtype or offsets). */
  editHeader?: (header: Record<string, unknown>) => void;
  /** Replaces the header text entirely (e.g. invalid JSON). */
  rawHeader?: string;
  /** Writes this value as the u64 header length instead of the real one. */
  headerLength?: bigint;
  /** Pads the header with spaces to a multiple of this many bytes (as the Python writer pads to 8). */
  padTo?: number;
}

function asBytes(data: Uint8Array | Float32Array): Uint8Array {
  if (data instanceof Uint8Array) return data;
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

export function makeSafetensors(tensors: TensorBytes[], options: MakeOptions = {}): Uint8Array<ArrayBuffer> {
  const header: Record<string, unknown> = {};
  if (options.metadata) header.__metadata__ = options.metadata;
  const payloads: Uint8Array[] = [];
  let offset = 0;
  for (const t of tensors) {
    const bytes = asBytes(t.data);
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    payloads.push(bytes);
    offset += bytes.length;
  }
  options.editHeader?.(header);
  let text = options.rawHeader ?? JSON.stringify(header);
  if (options.padTo) while (new TextEncoder().encode(text).length % options.padTo !== 0) text += ' ';
  const headerBytes = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, options.headerLength ?? BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const p of payloads) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Little-endian u16 bit patterns as bytes (for F16 / BF16 tensors). */
export function u16Bytes(bits: number[]): Uint8Array {
  const out = new Uint8Array(bits.length * 2);
  const view = new DataView(out.buffer);
  bits.forEach((b, i) => view.setUint16(i * 2, b, true));
  return out;
}

/** `count` float32 values 0.5 * i + offset: easy to check element by element. */
export function ramp(count: number, offset = 0): Float32Array {
  return Float32Array.from({ length: count }, (_, i) => 0.5 * i + offset);
}
