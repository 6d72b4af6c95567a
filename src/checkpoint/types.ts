/** Element types a safetensors header may name that the lab can read. */
export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'U8';

export interface TensorInfo {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Absolute byte offset of the first element inside the file (header included). */
  byteOffset: number;
  byteLength: number;
}

/**
 * Where bytes come from: an ArrayBuffer, a Blob/File, a Node file handle, or HTTP range requests.
 * Reads are random access so a 2.36 GB checkpoint never has to be held in memory whole.
 */
export interface ByteSource {
  /** Human-readable name used in every error message (file path or URL). */
  readonly name: string;
  /** Total size in bytes. */
  size(): Promise<number>;
  /** Bytes [start, end). Must reject with a clear error if the range passes the end. */
  read(start: number, end: number): Promise<Uint8Array>;
}

/** A lazily read tensor collection (one or more safetensors files). */
export interface TensorReader {
  readonly name: string;
  names(): string[];
  has(name: string): boolean;
  info(name: string): TensorInfo;
  /** Reads one tensor converted to float32. `expectShape` makes a wrong shape a clear error. */
  readFloat32(name: string, expectShape?: readonly number[]): Promise<Float32Array>;
  /** Reads one tensor's raw bytes, as stored. */
  readRaw(name: string): Promise<Uint8Array>;
}
