/**
 * The slice of the TFLite schema (tensorflow/lite/schema/schema.fbs, Apache-2.0) this
 * project reads or writes. Field ids are declaration order within each table (a union
 * field takes two ids: its _type then its value).
 */

export const TFLITE_FILE_IDENTIFIER = 'TFL3';

export const ModelField = {
  version: 0,
  operatorCodes: 1,
  subgraphs: 2,
  description: 3,
  buffers: 4,
  metadataBuffer: 5,
  metadata: 6,
  signatureDefs: 7,
} as const;
export const MODEL_FIELD_COUNT = 8;

export const SubGraphField = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 } as const;
export const SUBGRAPH_FIELD_COUNT = 5;

export const TensorField = { shape: 0, type: 1, buffer: 2, name: 3 } as const;
export const TENSOR_FIELD_COUNT = 4;

export const OperatorCodeField = {
  deprecatedBuiltinCode: 0,
  customCode: 1,
  version: 2,
  builtinCode: 3,
} as const;
export const OPERATOR_CODE_FIELD_COUNT = 4;

export const OperatorField = {
  opcodeIndex: 0,
  inputs: 1,
  outputs: 2,
  builtinOptionsType: 3,
  builtinOptions: 4,
} as const;
export const OPERATOR_FIELD_COUNT = 5;

export const BufferField = { data: 0 } as const;
export const BUFFER_FIELD_COUNT = 1;

export const MetadataField = { name: 0, buffer: 1 } as const;
export const METADATA_FIELD_COUNT = 2;

export const TensorType = { FLOAT32: 0, INT32: 2 } as const;

export const BuiltinOperator = {
  CONCATENATION: 2,
  RESHAPE: 22,
  CUSTOM: 32,
  GATHER: 36,
  MEAN: 40,
  /** Codes at or above this live only in OperatorCode.builtin_code. */
  PLACEHOLDER_FOR_GREATER_OP_CODES: 127,
} as const;

/** Positions in the BuiltinOptions union (NONE = 0). */
export const BuiltinOptionsType = {
  ConcatenationOptions: 10,
  ReshapeOptions: 17,
  GatherOptions: 23,
  ReducerOptions: 27,
} as const;

export const ConcatenationOptionsField = { axis: 0, fusedActivationFunction: 1 } as const;
export const GatherOptionsField = { axis: 0, batchDims: 1 } as const;
export const ReducerOptionsField = { keepDims: 0 } as const;

/** Name of the Model.metadata entry that holds a TFLite Support ModelMetadata buffer. */
export const TFLITE_METADATA_KEY = 'TFLITE_METADATA';
