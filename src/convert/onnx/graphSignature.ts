import { messageOf } from '../../errorMessage';
/**
 * The input and output names of an ONNX model, read straight from the protobuf wire format without
 * decoding its (possibly 1 GB of) initializers: enough to refuse a file that is not the graph a
 * bundle expects before it is copied in. ModelProto.graph = 7; GraphProto.input = 11, output = 12;
 * ValueInfoProto.name = 1. A model written as concatenated parts merges, so every graph field counts.
 */
export interface GraphSignature {
  inputs: string[];
  outputs: string[];
}

export class OnnxFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxFormatError';
  }
}

interface Field {
  number: number;
  wireType: number;
  /** For length-delimited fields: [start, end) of the payload. */
  start: number;
  end: number;
}

function readVarint(bytes: Uint8Array, position: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let i = position; i < bytes.length && i < position + 10; i++) {
    value += (bytes[i] & 0x7f) * scale;
    if ((bytes[i] & 0x80) === 0) return { value, next: i + 1 };
    scale *= 128;
  }
  throw new OnnxFormatError(`truncated or invalid varint at byte ${position}`);
}

/** Every field of the message in bytes [start, end), in order. */
function* fields(bytes: Uint8Array, start: number, end: number): Generator<Field> {
  let position = start;
  while (position < end) {
    const key = readVarint(bytes, position);
    const number = Math.floor(key.value / 8);
    const wireType = key.value % 8;
    position = key.next;
    let payloadStart = position;
    if (wireType === 0) position = readVarint(bytes, position).next;
    else if (wireType === 1) position += 8;
    else if (wireType === 5) position += 4;
    else if (wireType === 2) {
      const length = readVarint(bytes, position);
      payloadStart = length.next;
      position = length.next + length.value;
    } else throw new OnnxFormatError(`unsupported wire type ${wireType} at byte ${position}`);
    if (position > end || number === 0) throw new OnnxFormatError(`field ${number} runs past the end of its message (byte ${position} of ${end})`);
    yield { number, wireType, start: payloadStart, end: position };
  }
}

function valueInfoName(bytes: Uint8Array, field: Field): string {
  for (const inner of fields(bytes, field.start, field.end)) {
    if (inner.number === 1 && inner.wireType === 2) return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(inner.start, inner.end));
  }
  return '';
}

export function readGraphSignature(bytes: Uint8Array): GraphSignature {
  const signature: GraphSignature = { inputs: [], outputs: [] };
  let sawGraph = false;
  for (const field of fields(bytes, 0, bytes.length)) {
    if (field.number !== 7 || field.wireType !== 2) continue;
    sawGraph = true;
    for (const inner of fields(bytes, field.start, field.end)) {
      if (inner.wireType !== 2) continue;
      if (inner.number === 11) signature.inputs.push(valueInfoName(bytes, inner));
      else if (inner.number === 12) signature.outputs.push(valueInfoName(bytes, inner));
    }
  }
  if (!sawGraph) throw new OnnxFormatError('no graph in the file');
  return signature;
}

/** Throws unless `bytes` is an ONNX model with these inputs and outputs (others may exist too). */
export function checkGraphSignature(bytes: Uint8Array, label: string, inputs: readonly string[], outputs: readonly string[]): void {
  let signature: GraphSignature;
  try {
    signature = readGraphSignature(bytes);
  } catch (error) {
    throw new OnnxFormatError(`${label} is not an ONNX model (${messageOf(error)})`);
  }
  const missingIn = inputs.filter((name) => !signature.inputs.includes(name));
  const missingOut = outputs.filter((name) => !signature.outputs.includes(name));
  if (missingIn.length > 0 || missingOut.length > 0) {
    throw new OnnxFormatError(
      `${label} lacks ${[...missingIn.map((n) => `input "${n}"`), ...missingOut.map((n) => `output "${n}"`)].join(', ')} ` +
        `(it has inputs ${JSON.stringify(signature.inputs)}, outputs ${JSON.stringify(signature.outputs)}); is it the right graph?`,
    );
  }
}
