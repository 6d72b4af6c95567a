/**
 * Lazy safetensors reader: validates the header up front, then reads one tensor's byte range at a
 * time, so a 2.36 GB checkpoint is never held whole.
 * Format: u64 little-endian header length N, N bytes of JSON header, then the data section;
 * each header entry gives dtype, shape and data_offsets [begin, end) relative to the data section.
 */
import { bfloat16ArrayToFloat32, float16ArrayToFloat32 } from '../tensor/float16';
import type { ByteSource, SafetensorsDtype, TensorInfo, TensorReader } from './types';

export type CheckpointErrorCode =
  | 'format' // not a valid safetensors / JSON file
  | 'truncated' // the file is shorter than its header says
  | 'missing-tensor'
  | 'shape' // a tensor has the wrong shape or dtype for what the caller needs
  | 'range' // a read outside a source's bytes
  | 'not-found' // a file or URL does not exist
  | 'access' // 401/403: gated or private
  | 'network'
  | 'io';

/** Every checkpoint-reading failure. The message always names the file, URL or tensor involved. */
export class CheckpointError extends Error {
  readonly code: CheckpointErrorCode;
  /** The file, URL or folder the error is about. */
  readonly source: string;

  constructor(message: string, options: { source: string; code: CheckpointErrorCode; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CheckpointError';
    this.code = options.code;
    this.source = options.source;
  }
}

/** Refuse headers above this: real checkpoints have headers of a few hundred KiB. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

export const DTYPE_BYTES: Readonly<Record<SafetensorsDtype, number>> = { F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, U8: 1 };

const isLittleEndianPlatform = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** Up to three names close to `wanted` (a typo, or a missing/extra name prefix). */
export function closeTensorNames(wanted: string, available: Iterable<string>): string[] {
  const scored: { name: string; score: number }[] = [];
  const limit = Math.max(3, Math.floor(wanted.length / 5));
  for (const name of available) {
    if (name.endsWith(`.${wanted}`) || wanted.endsWith(`.${name}`)) {
      scored.push({ name, score: 0 });
      continue;
    }
    if (Math.abs(name.length - wanted.length) > limit) continue;
    const d = editDistance(wanted, name);
    if (d <= limit) scored.push({ name, score: d });
  }
  return scored
    .sort((x, y) => x.score - y.score || x.name.localeCompare(y.name))
    .slice(0, 3)
    .map((s) => s.name);
}

/** The error for a tensor name that a checkpoint lacks, with close names when there are any. */
export function missingTensorError(source: string, wanted: string, available: readonly string[]): CheckpointError {
  const close = closeTensorNames(wanted, available);
  const hint = close.length > 0 ? `; did you mean ${close.map((n) => `"${n}"`).join(' or ')}?` : '';
  return new CheckpointError(`${source} has no tensor "${wanted}" (${available.length} tensors)${hint}`, {
    source,
    code: 'missing-tensor',
  });
}

/** Checks a tensor's shape against what the caller expects. */
export function checkShape(source: string, info: TensorInfo, expectShape: readonly number[] | undefined): void {
  if (expectShape !== undefined && !sameShape(info.shape, expectShape)) {
    throw new CheckpointError(
      `${source}: tensor "${info.name}" has shape ${formatShape(info.shape)}, expected ${formatShape(expectShape)}`,
      { source, code: 'shape' },
    );
  }
}

/** Converts a tensor's stored little-endian bytes to a fresh Float32Array (never aliasing `bytes`). */
export function bytesToFloat32(source: string, info: TensorInfo, bytes: Uint8Array): Float32Array {
  const count = info.byteLength / DTYPE_BYTES[info.dtype];
  switch (info.dtype) {
    case 'F32': {
      const out = new Float32Array(count);
      if (isLittleEndianPlatform) {
        new Uint8Array(out.buffer).set(bytes); // copy: handles any byte alignment of `bytes`
      } else {
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      }
      return out;
    }
    case 'F16':
    case 'BF16': {
      const bits = uint16View(bytes, count);
      return info.dtype === 'F16' ? float16ArrayToFloat32(bits) : bfloat16ArrayToFloat32(bits);
    }
    default:
      throw notFloatError(source, info);
  }
}

function notFloatError(source: string, info: TensorInfo): CheckpointError {
  return new CheckpointError(
    `${source}: tensor "${info.name}" has dtype ${info.dtype}; only F32, F16 and BF16 convert to float32 (use readRaw)`,
    { source, code: 'shape' },
  );
}

/** Whether readFloat32 can convert this dtype. */
export function isFloatDtype(dtype: SafetensorsDtype): boolean {
  return dtype === 'F32' || dtype === 'F16' || dtype === 'BF16';
}

/** Throws before any read when a tensor cannot be returned as float32 with the expected shape. */
export function checkFloat32Readable(source: string, info: TensorInfo, expectShape: readonly number[] | undefined): void {
  checkShape(source, info, expectShape);
  if (!isFloatDtype(info.dtype)) throw notFloatError(source, info);
}

/** Little-endian u16 values of `bytes`: a view when aligned, a copy otherwise. */
function uint16View(bytes: Uint8Array, count: number): Uint16Array {
  if (isLittleEndianPlatform) {
    if (bytes.byteOffset % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset, count);
    const copy = new Uint16Array(count);
    new Uint8Array(copy.buffer).set(bytes);
    return copy;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint16Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, true);
  return out;
}

function isKnownDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_BYTES, value);
}

function isNonNegativeInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Validates a decoded header and returns tensor infos with absolute offsets.
 * `dataStart` = 8 + header length; `dataSize` = bytes after the header.
 */
function parseHeader(source: string, header: unknown, dataStart: number, dataSize: number, fileSize: number): Map<string, TensorInfo> {
  const fail = (message: string, code: CheckpointErrorCode = 'format') =>
    new CheckpointError(`${source}: ${message}`, { source, code });
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw fail('safetensors header must be a JSON object');
  }
  const tensors = new Map<string, TensorInfo>();
  let last: { name: string; end: number } | undefined;
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw fail(`header entry "${name}" is not an object`);
    }
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (!isKnownDtype(dtype)) {
      throw fail(`tensor "${name}" has unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(DTYPE_BYTES).join(', ')})`);
    }
    if (!Array.isArray(shape) || !shape.every(isNonNegativeInt)) {
      throw fail(`tensor "${name}" has an invalid shape ${JSON.stringify(shape)} (expected a list of non-negative integers)`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInt) || offsets[0] > offsets[1]) {
      throw fail(`tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)} (expected [begin, end] with 0 <= begin <= end)`);
    }
    const [begin, end] = offsets as [number, number];
    const expectedBytes = (shape as number[]).reduce((a, b) => a * b, 1) * DTYPE_BYTES[dtype];
    if (end - begin !== expectedBytes) {
      throw fail(
        `tensor "${name}" data_offsets [${begin}, ${end}] span ${end - begin} bytes, but ${dtype} ${formatShape(shape as number[])} needs ${expectedBytes}`,
      );
    }
    if (last === undefined || end > last.end) last = { name, end };
    tensors.set(name, { name, dtype, shape: [...(shape as number[])], byteOffset: dataStart + begin, byteLength: end - begin });
  }
  if (last !== undefined && last.end > dataSize) {
    throw fail(
      `file is truncated or its data_offsets are outside the data section: tensor "${last.name}" ends at data byte ${last.end}, ` +
        `but the data section holds only ${dataSize} bytes (file size ${fileSize}, expected at least ${dataStart + last.end}); ` +
        'the download may be incomplete',
      'truncated',
    );
  }
  checkNoOverlap(source, tensors);
  return tensors;
}

function checkNoOverlap(source: string, tensors: Map<string, TensorInfo>): void {
  const sorted = [...tensors.values()].filter((t) => t.byteLength > 0).sort((a, b) => a.byteOffset - b.byteOffset);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    if (sorted[i].byteOffset < prev.byteOffset + prev.byteLength) {
      throw new CheckpointError(`${source}: tensors "${prev.name}" and "${sorted[i].name}" overlap in the data section`, {
        source,
        code: 'format',
      });
    }
  }
}

async function readHeaderJson(source: ByteSource): Promise<{ header: unknown; dataStart: number; fileSize: number }> {
  const name = source.name;
  const fileSize = await source.size();
  if (fileSize < 8) {
    throw new CheckpointError(`${name} is ${fileSize} bytes, too small to be a safetensors file`, { source: name, code: 'format' });
  }
  const prefix = await source.read(0, 8);
  const declared = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (declared > BigInt(fileSize - 8)) {
    throw new CheckpointError(
      `header length ${declared} passes the end of ${name} (size ${fileSize}); is this a safetensors file, and is it complete?`,
      { source: name, code: declared > BigInt(MAX_HEADER_BYTES) ? 'format' : 'truncated' },
    );
  }
  const headerLength = Number(declared);
  if (headerLength > MAX_HEADER_BYTES) {
    throw new CheckpointError(
      `header length ${headerLength} of ${name} exceeds the ${MAX_HEADER_BYTES}-byte limit; refusing to read it (corrupt file?)`,
      { source: name, code: 'format' },
    );
  }
  const headerBytes = await source.read(8, 8 + headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (cause) {
    throw new CheckpointError(`${name}: safetensors header is not valid UTF-8 JSON (${(cause as Error).message})`, {
      source: name,
      code: 'format',
      cause,
    });
  }
  return { header, dataStart: 8 + headerLength, fileSize };
}

/** Opens a safetensors file: reads and validates the header only; tensors are read on demand. */
export async function openSafetensors(source: ByteSource): Promise<TensorReader> {
  const { header, dataStart, fileSize } = await readHeaderJson(source);
  const tensors = parseHeader(source.name, header, dataStart, fileSize - dataStart, fileSize);
  const name = source.name;

  const info = (tensorName: string): TensorInfo => {
    const found = tensors.get(tensorName);
    if (found === undefined) throw missingTensorError(name, tensorName, [...tensors.keys()]);
    return { ...found, shape: [...found.shape] };
  };
  const readRaw = async (tensorName: string): Promise<Uint8Array> => {
    const t = info(tensorName);
    const bytes = await source.read(t.byteOffset, t.byteOffset + t.byteLength);
    if (bytes.byteLength !== t.byteLength) {
      throw new CheckpointError(`${name}: read of tensor "${tensorName}" returned ${bytes.byteLength} bytes, expected ${t.byteLength}`, {
        source: name,
        code: 'io',
      });
    }
    return bytes;
  };

  return {
    name,
    names: () => [...tensors.keys()],
    has: (tensorName) => tensors.has(tensorName),
    info,
    readRaw,
    async readFloat32(tensorName, expectShape) {
      const t = info(tensorName);
      checkFloat32Readable(name, t, expectShape);
      return bytesToFloat32(name, t, await readRaw(tensorName));
    },
  };
}
