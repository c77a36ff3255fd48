/**
 * Read-only view of a TFLite model: the parts needed to plan edits and to check results.
 */
import { FbTable } from './flatbuffer-table.js';
import {
  BufferField,
  MetadataField,
  ModelField,
  OperatorCodeField,
  OperatorField,
  SubGraphField,
  TensorField,
  TFLITE_FILE_IDENTIFIER,
} from './tflite-schema.js';

export interface TensorInfo {
  name: string;
  shape: number[];
  type: number;
  buffer: number;
}

export interface OperatorInfo {
  opcodeIndex: number;
  inputs: number[];
  outputs: number[];
}

export interface OperatorCodeInfo {
  /** max(deprecated_builtin_code, builtin_code), as the TFLite runtime resolves it. */
  builtinCode: number;
  customCode: string | null;
  version: number;
}

export interface SubGraphInfo {
  tensors: TensorInfo[];
  inputs: number[];
  outputs: number[];
  operators: OperatorInfo[];
}

export interface TfliteModelInfo {
  version: number;
  description: string | null;
  operatorCodes: OperatorCodeInfo[];
  subgraphs: SubGraphInfo[];
  bufferCount: number;
  metadata: { name: string; buffer: number }[];
  /** Bytes of buffer `index` (empty when the buffer has no data). */
  bufferData(index: number): Uint8Array;
}

export function modelRoot(bytes: Uint8Array): FbTable {
  const root = FbTable.root(bytes);
  if (!root.bb.__has_identifier(TFLITE_FILE_IDENTIFIER)) {
    throw new Error(`not a TFLite model (file identifier is not ${TFLITE_FILE_IDENTIFIER})`);
  }
  return root;
}

export function readTfliteModel(bytes: Uint8Array): TfliteModelInfo {
  const model = modelRoot(bytes);
  const buffers = model.tables(ModelField.buffers);
  return {
    version: model.uint32(ModelField.version),
    description: model.string(ModelField.description),
    operatorCodes: model.tables(ModelField.operatorCodes).map((c) => ({
      builtinCode: Math.max(
        c.int8(OperatorCodeField.deprecatedBuiltinCode),
        c.int32(OperatorCodeField.builtinCode),
      ),
      customCode: c.string(OperatorCodeField.customCode),
      version: c.int32(OperatorCodeField.version, 1),
    })),
    subgraphs: model.tables(ModelField.subgraphs).map((sg) => ({
      tensors: sg.tables(SubGraphField.tensors).map((t) => ({
        name: t.string(TensorField.name) ?? '',
        shape: t.int32s(TensorField.shape),
        type: t.int8(TensorField.type),
        buffer: t.uint32(TensorField.buffer),
      })),
      inputs: sg.int32s(SubGraphField.inputs),
      outputs: sg.int32s(SubGraphField.outputs),
      operators: sg.tables(SubGraphField.operators).map((o) => ({
        opcodeIndex: o.uint32(OperatorField.opcodeIndex),
        inputs: o.int32s(OperatorField.inputs),
        outputs: o.int32s(OperatorField.outputs),
      })),
    })),
    bufferCount: buffers.length,
    metadata: model.tables(ModelField.metadata).map((m) => ({
      name: m.string(MetadataField.name) ?? '',
      buffer: m.uint32(MetadataField.buffer),
    })),
    bufferData(index: number): Uint8Array {
      const b = buffers[index];
      if (!b) throw new Error(`buffer ${index} out of range`);
      return b.bytes(BufferField.data) ?? new Uint8Array(0);
    },
  };
}
