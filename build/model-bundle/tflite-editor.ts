/**
 * Appends tensors, operators, buffers, operator codes and metadata to a TFLite model and
 * can replace the main subgraph's outputs.
 *
 * Why not decode and re-encode everything: operator options are a union of ~150 table
 * types. Instead the original file is embedded unchanged at the tail of the new buffer
 * and the new Model/SubGraph tables (written in front of it) point at the original
 * OperatorCode, Tensor, Operator, Buffer and Metadata tables. FlatBuffer offsets point
 * forward, so every untouched table stays byte-identical and valid. The original root
 * tables become unreferenced bytes (a few hundred bytes).
 */
import { Builder, type Offset } from 'flatbuffers';
import { FbTable } from './flatbuffer-table.js';
import { modelRoot, readTfliteModel, type TfliteModelInfo } from './tflite-model.js';
import {
  BUFFER_FIELD_COUNT,
  BufferField,
  BuiltinOperator,
  METADATA_FIELD_COUNT,
  MetadataField,
  MODEL_FIELD_COUNT,
  ModelField,
  OPERATOR_CODE_FIELD_COUNT,
  OPERATOR_FIELD_COUNT,
  OperatorCodeField,
  OperatorField,
  SUBGRAPH_FIELD_COUNT,
  SubGraphField,
  TENSOR_FIELD_COUNT,
  TensorField,
  TensorType,
  TFLITE_FILE_IDENTIFIER,
} from './tflite-schema.js';

export interface NewTensor {
  name: string;
  shape: readonly number[];
  type: number;
  /** Constant contents (little-endian); omit for activations. */
  data?: Uint8Array;
}

export interface NewOperator {
  builtinCode: number;
  version?: number;
  inputs: readonly number[];
  outputs: readonly number[];
  /** BuiltinOptions union member: its union type id and a writer for its table. */
  options?: { type: number; write: (b: Builder) => Offset };
}

/** Buffer data is 16-byte aligned in TFLite models (force_align: 16). */
const BUFFER_ALIGN = 16;

export class TfliteEditor {
  readonly info: TfliteModelInfo;
  private readonly root: FbTable;
  private readonly tensors: NewTensor[] = [];
  private readonly tensorBuffers = new Map<number, number>();
  private readonly operators: NewOperator[] = [];
  private readonly buffers: Uint8Array[] = [];
  private readonly opcodes: { builtinCode: number; version: number }[] = [];
  private readonly metadata: { name: string; buffer: number }[] = [];
  private outputs: number[] | null = null;

  constructor(private readonly original: Uint8Array) {
    this.root = modelRoot(original);
    this.info = readTfliteModel(original);
    // Refuse to drop fields this editor does not know how to carry over.
    if (this.root.fieldSlots() > MODEL_FIELD_COUNT) throw new Error('Model has unknown fields');
    const sg = this.root.tables(ModelField.subgraphs)[0];
    if (!sg) throw new Error('Model has no subgraph');
    if (sg.fieldSlots() > SUBGRAPH_FIELD_COUNT) throw new Error('SubGraph has unknown fields');
  }

  get mainGraph() {
    return this.info.subgraphs[0] as TfliteModelInfo['subgraphs'][number];
  }

  tensorIndex(name: string): number {
    const i = this.mainGraph.tensors.findIndex((t) => t.name === name);
    if (i < 0) throw new Error(`tensor "${name}" not found`);
    return i;
  }

  addBuffer(data: Uint8Array): number {
    this.buffers.push(data);
    return this.info.bufferCount + this.buffers.length - 1;
  }

  addTensor(t: NewTensor): number {
    const index = this.mainGraph.tensors.length + this.tensors.length;
    this.tensors.push(t);
    if (t.data) this.tensorBuffers.set(index, this.addBuffer(t.data));
    return index;
  }

  addInt32Constant(name: string, shape: readonly number[], values: readonly number[]): number {
    const data = new Uint8Array(Int32Array.from(values).buffer);
    return this.addTensor({ name, shape, type: TensorType.INT32, data });
  }

  addOperator(op: NewOperator): void {
    this.operators.push(op);
  }

  setOutputs(outputs: readonly number[]): void {
    this.outputs = [...outputs];
  }

  /** Outputs the built model will have. */
  pendingOutputs(): number[] {
    return this.outputs ?? [...this.mainGraph.outputs];
  }

  tensorName(index: number): string {
    const old = this.mainGraph.tensors[index];
    if (old) return old.name;
    const added = this.tensors[index - this.mainGraph.tensors.length];
    if (!added) throw new Error(`tensor ${index} out of range`);
    return added.name;
  }

  addMetadata(name: string, data: Uint8Array): void {
    this.metadata.push({ name, buffer: this.addBuffer(data) });
  }

  /** Index into operator_codes for a builtin op, reusing an existing entry when possible. */
  private opcodeIndex(builtinCode: number, version: number): number {
    const existing = this.info.operatorCodes.findIndex(
      (c) => c.builtinCode === builtinCode && c.version === version && c.customCode === null,
    );
    if (existing >= 0) return existing;
    let added = this.opcodes.findIndex((c) => c.builtinCode === builtinCode && c.version === version);
    if (added < 0) added = this.opcodes.push({ builtinCode, version }) - 1;
    return this.info.operatorCodes.length + added;
  }

  build(): Uint8Array {
    const b = new Builder(this.original.length + 65536);

    // Original file first (it ends up last): old tables are addressed relative to it.
    const base = writeRawBlock(b, this.original);
    const old = (absolutePos: number): Offset => base - absolutePos;
    const oldRef = (t: FbTable, id: number): Offset => {
      const p = t.refPos(id);
      return p === null ? 0 : old(p);
    };

    const opcodeIndices = this.operators.map((op) => this.opcodeIndex(op.builtinCode, op.version ?? 1));

    // Buffers.
    const oldBuffers = this.root.tables(ModelField.buffers).map((t) => old(t.pos));
    const newBuffers = this.buffers.map((data) => {
      const vec = writeRawBlock(b, data, true);
      b.startObject(BUFFER_FIELD_COUNT);
      b.addFieldOffset(BufferField.data, vec, 0);
      return b.endObject();
    });
    const buffersVec = offsetVector(b, [...oldBuffers, ...newBuffers]);

    // Main subgraph: old tensors and operators plus the new ones.
    const sg = this.root.tables(ModelField.subgraphs)[0] as FbTable;
    const newTensors = this.tensors.map((t, i) => {
      const name = b.createString(t.name);
      const shape = int32Vector(b, t.shape);
      const buffer = this.tensorBuffers.get(this.mainGraph.tensors.length + i) ?? 0;
      b.startObject(TENSOR_FIELD_COUNT);
      b.addFieldOffset(TensorField.shape, shape, 0);
      b.addFieldInt8(TensorField.type, t.type, -1);
      b.addFieldInt32(TensorField.buffer, buffer, 0);
      b.addFieldOffset(TensorField.name, name, 0);
      return b.endObject();
    });
    const tensorsVec = offsetVector(b, [
      ...sg.tables(SubGraphField.tensors).map((t) => old(t.pos)),
      ...newTensors,
    ]);
    const newOperators = this.operators.map((op, i) => {
      const inputs = int32Vector(b, op.inputs);
      const outputs = int32Vector(b, op.outputs);
      const options = op.options ? op.options.write(b) : 0;
      b.startObject(OPERATOR_FIELD_COUNT);
      b.addFieldInt32(OperatorField.opcodeIndex, opcodeIndices[i] as number, 0);
      b.addFieldOffset(OperatorField.inputs, inputs, 0);
      b.addFieldOffset(OperatorField.outputs, outputs, 0);
      if (op.options) {
        b.addFieldInt8(OperatorField.builtinOptionsType, op.options.type, 0);
        b.addFieldOffset(OperatorField.builtinOptions, options, 0);
      }
      return b.endObject();
    });
    const operatorsVec = offsetVector(b, [
      ...sg.tables(SubGraphField.operators).map((t) => old(t.pos)),
      ...newOperators,
    ]);
    const inputsVec = int32Vector(b, this.mainGraph.inputs);
    const outputsVec = int32Vector(b, this.outputs ?? this.mainGraph.outputs);
    b.startObject(SUBGRAPH_FIELD_COUNT);
    b.addFieldOffset(SubGraphField.tensors, tensorsVec, 0);
    b.addFieldOffset(SubGraphField.inputs, inputsVec, 0);
    b.addFieldOffset(SubGraphField.outputs, outputsVec, 0);
    b.addFieldOffset(SubGraphField.operators, operatorsVec, 0);
    b.addFieldOffset(SubGraphField.name, oldRef(sg, SubGraphField.name), 0);
    const mainGraph = b.endObject();
    const subgraphsVec = offsetVector(b, [
      mainGraph,
      ...this.root.tables(ModelField.subgraphs).slice(1).map((t) => old(t.pos)),
    ]);

    // Operator codes. Codes below 127 also go in the legacy int8 field, which older
    // runtimes read exclusively.
    const newCodes = this.opcodes.map(({ builtinCode, version }) => {
      b.startObject(OPERATOR_CODE_FIELD_COUNT);
      b.addFieldInt8(
        OperatorCodeField.deprecatedBuiltinCode,
        Math.min(builtinCode, BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES),
        -1,
      );
      b.addFieldInt32(OperatorCodeField.version, version, -1);
      b.addFieldInt32(OperatorCodeField.builtinCode, builtinCode, -1);
      return b.endObject();
    });
    const codesVec = offsetVector(b, [
      ...this.root.tables(ModelField.operatorCodes).map((t) => old(t.pos)),
      ...newCodes,
    ]);

    // Named metadata entries.
    const newMeta = this.metadata.map(({ name, buffer }) => {
      const n = b.createString(name);
      b.startObject(METADATA_FIELD_COUNT);
      b.addFieldOffset(MetadataField.name, n, 0);
      b.addFieldInt32(MetadataField.buffer, buffer, -1);
      return b.endObject();
    });
    const oldMeta = this.root.tables(ModelField.metadata).map((t) => old(t.pos));
    const metaVec = oldMeta.length + newMeta.length > 0 ? offsetVector(b, [...oldMeta, ...newMeta]) : 0;

    b.startObject(MODEL_FIELD_COUNT);
    b.addFieldInt32(ModelField.version, this.info.version, -1);
    b.addFieldOffset(ModelField.operatorCodes, codesVec, 0);
    b.addFieldOffset(ModelField.subgraphs, subgraphsVec, 0);
    b.addFieldOffset(ModelField.description, oldRef(this.root, ModelField.description), 0);
    b.addFieldOffset(ModelField.buffers, buffersVec, 0);
    b.addFieldOffset(ModelField.metadataBuffer, oldRef(this.root, ModelField.metadataBuffer), 0);
    b.addFieldOffset(ModelField.metadata, metaVec, 0);
    b.addFieldOffset(ModelField.signatureDefs, oldRef(this.root, ModelField.signatureDefs), 0);
    const model = b.endObject();
    b.finish(model, TFLITE_FILE_IDENTIFIER);
    return b.asUint8Array().slice();
  }
}

/**
 * Writes `bytes` as a 16-byte aligned [ubyte] vector. Returns the offset of the first
 * byte (for addressing inside it) or, with `asVector`, the offset of the vector itself.
 */
function writeRawBlock(b: Builder, bytes: Uint8Array, asVector = false): Offset {
  b.startVector(1, bytes.length, BUFFER_ALIGN);
  for (let i = bytes.length - 1; i >= 0; i--) b.writeInt8(bytes[i] as number);
  const first = b.offset();
  const vector = b.endVector();
  return asVector ? vector : first;
}

function offsetVector(b: Builder, offsets: readonly Offset[]): Offset {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i] as Offset);
  return b.endVector();
}

function int32Vector(b: Builder, values: readonly number[]): Offset {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i] as number);
  return b.endVector();
}
