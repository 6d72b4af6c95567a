/**
 * A small typed ONNX graph builder. Values are tensor names; ops return their output names.
 * Weights become initializers, stored as float32 or float16 (then cast to float32 once in the
 * graph, which onnxruntime folds at load time, so compute stays float32); quantised projections
 * are written by src/convert/graphs/linear.ts.
 */
import { float32ArrayToFloat16 } from '../../tensor/float16';
import { AttributeType, OnnxDataType, encodeModel, type AttributeMsg, type ModelMsg, type NodeMsg, type TensorMsg, type ValueInfoMsg, type OnnxDataTypeName } from './proto';

export type Value = string;
export type Dim = number | string;
export type AttrValue = number | string | number[] | { ints: number[] } | { floats: number[] } | { float: number } | { tensor: TensorMsg };
/**
 * How a graph stores weights: fp16 stores every float weight as float16; q8, q4 and peer-q8 keep
 * float32 for everything except the projection matrices, which src/convert/graphs/linear.ts
 * quantises (peer-q8: transformers.js's quantize_dynamic recipe, for the bench's merged decoder).
 */
export type WeightStorage = 'fp32' | 'fp16' | 'q8' | 'q4' | 'peer-q8';

export const OPSET = 17;
/** onnxruntime's contrib-op domain (MatMulNBits); imported only by graphs that use it. */
export const MS_DOMAIN = 'com.microsoft';
export const IR_VERSION = 8;
/** Most initializer bytes per encoded ModelProto part (see GraphBuilder.toBytes). */
export const ENCODE_CHUNK_BYTES = 256 * 2 ** 20;

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function valueInfo(name: string, elemType: OnnxDataTypeName, dims: readonly Dim[]): ValueInfoMsg {
  return {
    name,
    type: {
      tensorType: {
        elemType: OnnxDataType[elemType],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: AttrValue): AttributeMsg {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { name, type: AttributeType.INT, i: value } : { name, type: AttributeType.FLOAT, f: value };
  }
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if ('ints' in value) return { name, type: AttributeType.INTS, ints: value.ints };
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: value.floats };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.TENSOR, t: value.tensor };
}

export class GraphBuilder {
  private readonly nodes: NodeMsg[] = [];
  private readonly initializers: TensorMsg[] = [];
  private readonly inputs: ValueInfoMsg[] = [];
  private readonly outputs: ValueInfoMsg[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  constructor(readonly name: string, readonly weightStorage: WeightStorage = 'fp32') {}

  private fresh(hint: string): string {
    let name: string;
    do name = `${hint}_${this.counter++}`;
    while (this.used.has(name));
    this.used.add(name);
    return name;
  }

  private claim(name: string): string {
    if (this.used.has(name)) throw new Error(`graph ${this.name}: tensor name "${name}" is used twice`);
    this.used.add(name);
    return name;
  }

  input(name: string, elemType: OnnxDataTypeName, dims: readonly Dim[]): Value {
    this.inputs.push(valueInfo(this.claim(name), elemType, dims));
    return name;
  }

  /** Declares a graph output; renames through Identity when the value has another name. */
  output(value: Value, name: string, elemType: OnnxDataTypeName, dims: readonly Dim[]): Value {
    let out = value;
    if (value !== name) {
      this.nodes.push({ name: this.fresh(`Identity_${name}`), opType: 'Identity', input: [value], output: [this.claim(name)], attribute: [] });
      out = name;
    }
    this.outputs.push(valueInfo(out, elemType, dims));
    return out;
  }

  /** A float weight. Stored per `weightStorage`; float16 storage is cast back to float32 in-graph. */
  weight(name: string, data: Float32Array, dims: readonly number[]): Value {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new Error(`graph ${this.name}: weight ${name} has ${data.length} values, dims ${JSON.stringify(dims)} need ${count}`);
    if (this.weightStorage !== 'fp16') {
      this.initializers.push({ name: this.claim(name), dims: [...dims], dataType: OnnxDataType.FLOAT, rawData: bytesOf(data) });
      return name;
    }
    const stored = this.claim(`${name}_fp16`);
    this.initializers.push({ name: stored, dims: [...dims], dataType: OnnxDataType.FLOAT16, rawData: bytesOf(float32ArrayToFloat16(data)) });
    return this.op('Cast', [stored], { to: OnnxDataType.FLOAT }, name);
  }

  /** A small constant that is always float32 (scales, epsilons, frequency tables). */
  constFloat(name: string, data: readonly number[] | Float32Array, dims: readonly number[]): Value {
    const array = data instanceof Float32Array ? data : Float32Array.from(data);
    this.initializers.push({ name: this.claim(name), dims: [...dims], dataType: OnnxDataType.FLOAT, rawData: bytesOf(array) });
    return name;
  }

  /** A raw integer initializer (quantised weights, zero points). */
  constBytes(name: string, elemType: 'UINT8' | 'INT8', data: Uint8Array | Int8Array, dims: readonly number[]): Value {
    this.initializers.push({ name: this.claim(name), dims: [...dims], dataType: OnnxDataType[elemType], rawData: bytesOf(data) });
    return name;
  }

  constInt64(name: string, data: readonly number[], dims: readonly number[] = [data.length]): Value {
    const array = BigInt64Array.from(data.map((v) => BigInt(v)));
    this.initializers.push({ name: this.claim(name), dims: [...dims], dataType: OnnxDataType.INT64, rawData: bytesOf(array) });
    return name;
  }

  /** Adds one node with a single output and returns the output name. */
  op(opType: string, inputs: readonly Value[], attrs: Record<string, AttrValue> = {}, outputName?: string, domain?: string): Value {
    return this.opMulti(opType, inputs, 1, attrs, outputName ? [outputName] : undefined, domain)[0];
  }

  opMulti(opType: string, inputs: readonly Value[], outputCount: number, attrs: Record<string, AttrValue> = {}, outputNames?: string[], domain?: string): Value[] {
    const outputs = outputNames ? outputNames.map((n) => this.claim(n)) : Array.from({ length: outputCount }, () => this.fresh(opType));
    this.nodes.push({
      name: this.fresh(`${opType}_node`),
      opType,
      domain,
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outputs;
  }

  // Readable shorthands for the ops the decoder uses.
  matmul(a: Value, b: Value): Value { return this.op('MatMul', [a, b]); }
  add(a: Value, b: Value): Value { return this.op('Add', [a, b]); }
  mul(a: Value, b: Value): Value { return this.op('Mul', [a, b]); }
  reshape(x: Value, shape: Value): Value { return this.op('Reshape', [x, shape]); }
  transpose(x: Value, perm: number[]): Value { return this.op('Transpose', [x], { perm }); }
  concat(values: Value[], axis: number): Value { return this.op('Concat', values, { axis }); }
  softmax(x: Value, axis: number): Value { return this.op('Softmax', [x], { axis }); }
  layerNorm(x: Value, scale: Value, bias: Value, epsilon: number): Value {
    return this.op('LayerNormalization', [x, scale, bias], { axis: -1, epsilon: { float: epsilon } });
  }

  /**
   * Encodes the model. Graphs with more than ENCODE_CHUNK_BYTES of initializers are encoded as
   * several ModelProto messages, concatenated: protobuf parsers (onnxruntime's included) merge a
   * repeated singular message field and append repeated fields, so the result is the same model.
   * This keeps each protobufjs Writer under 1 GiB, where its buffer doubling (`length << 1`)
   * overflows int32 and every further write copies the whole buffer (a 1.4 GB graph never ends).
   */
  toBytes(meta: { producer: string; doc?: string; metadata?: Record<string, string> }, chunkLimit = ENCODE_CHUNK_BYTES): Uint8Array {
    const chunks: TensorMsg[][] = [[]];
    let chunkBytes = 0;
    for (const initializer of this.initializers) {
      const size = initializer.rawData?.byteLength ?? 0;
      if (chunkBytes > 0 && chunkBytes + size > chunkLimit) {
        chunks.push([]);
        chunkBytes = 0;
      }
      chunks[chunks.length - 1].push(initializer);
      chunkBytes += size;
    }
    const head = encodeModel({
      irVersion: IR_VERSION,
      producerName: meta.producer,
      producerVersion: '1',
      // A graph without contrib ops keeps the single-entry import, byte for byte as before.
      opsetImport: this.nodes.some((n) => n.domain === MS_DOMAIN) ? [{ domain: '', version: OPSET }, { domain: MS_DOMAIN, version: 1 }] : [{ domain: '', version: OPSET }],
      docString: meta.doc,
      metadataProps: Object.entries(meta.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: { name: this.name, node: this.nodes, initializer: chunks[0], input: this.inputs, output: this.outputs },
    });
    if (chunks.length === 1) return head;
    // Later parts carry only `graph.initializer`; no scalar field is repeated, so nothing is overridden.
    const parts = [head, ...chunks.slice(1).map((initializer) => encodeModel({ graph: { initializer } } as unknown as ModelMsg))];
    const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.byteLength;
    }
    return out;
  }
}
