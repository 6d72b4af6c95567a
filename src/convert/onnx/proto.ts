/**
 * The subset of the ONNX protobuf schema (onnx.proto, IR version 8) the lab writes and reads,
 * declared for protobufjs's reflection API. Field numbers follow the ONNX specification.
 */
import protobuf from 'protobufjs';

export const OnnxDataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10, DOUBLE: 11, BFLOAT16: 16 } as const;
export type OnnxDataTypeName = keyof typeof OnnxDataType;

export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

const schema = {
  nested: {
    onnx: {
      nested: {
        StringStringEntryProto: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            floatData: { rule: 'repeated', type: 'float', id: 4 },
            int32Data: { rule: 'repeated', type: 'int32', id: 5 },
            int64Data: { rule: 'repeated', type: 'int64', id: 7 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
            docString: { type: 'string', id: 12 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            g: { type: 'GraphProto', id: 6 },
            floats: { rule: 'repeated', type: 'float', id: 7 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            strings: { rule: 'repeated', type: 'bytes', id: 9 },
            docString: { type: 'string', id: 13 },
            type: { type: 'int32', id: 20 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            docString: { type: 'string', id: 6 },
            domain: { type: 'string', id: 7 },
          },
        },
        Dimension: { oneofs: { value: { oneof: ['dimValue', 'dimParam'] } }, fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
        TensorTypeProto: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
        TypeProto: { fields: { tensorType: { type: 'TensorTypeProto', id: 1 } } },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 }, docString: { type: 'string', id: 3 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            docString: { type: 'string', id: 10 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
            valueInfo: { rule: 'repeated', type: 'ValueInfoProto', id: 13 },
          },
        },
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            modelVersion: { type: 'int64', id: 5 },
            docString: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(schema);
export const ModelProtoType = root.lookupType('onnx.ModelProto');

// Plain-object shapes of the messages (protobufjs camelCase field names).
export interface DimensionMsg { dimValue?: number; dimParam?: string }
export interface ValueInfoMsg { name: string; type: { tensorType: { elemType: number; shape: { dim: DimensionMsg[] } } } }
export interface TensorMsg { name: string; dims: number[]; dataType: number; rawData?: Uint8Array; int64Data?: number[]; floatData?: number[] }
export interface AttributeMsg { name: string; type: number; f?: number; i?: number; s?: Uint8Array; t?: TensorMsg; floats?: number[]; ints?: number[] }
export interface NodeMsg { name: string; opType: string; domain?: string; input: string[]; output: string[]; attribute: AttributeMsg[] }
export interface GraphMsg { name: string; node: NodeMsg[]; initializer: TensorMsg[]; input: ValueInfoMsg[]; output: ValueInfoMsg[]; docString?: string }
export interface ModelMsg {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  opsetImport: { domain: string; version: number }[];
  graph: GraphMsg;
  metadataProps?: { key: string; value: string }[];
  docString?: string;
}

export function encodeModel(model: ModelMsg): Uint8Array {
  const message = ModelProtoType.fromObject(model);
  return ModelProtoType.encode(message).finish();
}

/** Decodes an ONNX file into plain objects (tests and inspection; int64 as numbers). */
export function decodeModel(bytes: Uint8Array): ModelMsg {
  const message = ModelProtoType.decode(bytes);
  return ModelProtoType.toObject(message, { longs: Number, bytes: Uint8Array, defaults: true, arrays: true }) as unknown as ModelMsg;
}
