/**
 * TFLite Support metadata (tensorflow_lite_support/metadata/metadata_schema.fbs,
 * Apache-2.0): the ModelMetadata flatbuffer MediaPipe Tasks reads to learn how to feed an
 * image model (colour space and normalisation of the input tensor).
 */
import { Builder, type Offset } from 'flatbuffers';
import { FbTable } from './flatbuffer-table.js';

export const METADATA_FILE_IDENTIFIER = 'M001';

// Field ids (declaration order) and union positions from metadata_schema.fbs.
const ModelMetadataField = { name: 0, description: 1, version: 2, subgraphMetadata: 3, author: 4, license: 5, minParserVersion: 7 } as const;
const SubGraphMetadataField = { name: 0, description: 1, inputTensorMetadata: 2, outputTensorMetadata: 3 } as const;
const TensorMetadataField = { name: 0, description: 1, content: 3, processUnits: 4 } as const;
const ContentField = { contentPropertiesType: 0, contentProperties: 1 } as const;
const ImagePropertiesField = { colorSpace: 0 } as const;
const ProcessUnitField = { optionsType: 0, options: 1 } as const;
const NormalizationOptionsField = { mean: 0, std: 1 } as const;
const ContentPropertiesType = { ImageProperties: 2 } as const;
const ProcessUnitOptionsType = { NormalizationOptions: 1 } as const;
export const ColorSpaceType = { UNKNOWN: 0, RGB: 1, GRAYSCALE: 2 } as const;

export interface ImageModelMetadataSpec {
  name: string;
  description: string;
  version: string;
  author: string;
  license: string;
  input: { name: string; description: string; mean: number[]; std: number[] };
  /** One entry per subgraph output, in order. */
  outputs: { name: string; description: string }[];
}

/** Builds a ModelMetadata buffer for a model with one RGB float image input. */
export function buildImageModelMetadata(spec: ImageModelMetadataSpec): Uint8Array {
  const b = new Builder(1024);

  const floats = (values: number[]): Offset => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i] as number);
    return b.endVector();
  };
  const offsets = (values: Offset[]): Offset => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addOffset(values[i] as Offset);
    return b.endVector();
  };

  // Input: ImageProperties(RGB) content + NormalizationOptions process unit.
  b.startObject(2);
  b.addFieldInt8(ImagePropertiesField.colorSpace, ColorSpaceType.RGB, ColorSpaceType.UNKNOWN);
  const imageProps = b.endObject();
  b.startObject(3);
  b.addFieldInt8(ContentField.contentPropertiesType, ContentPropertiesType.ImageProperties, 0);
  b.addFieldOffset(ContentField.contentProperties, imageProps, 0);
  const content = b.endObject();
  const mean = floats(spec.input.mean);
  const std = floats(spec.input.std);
  b.startObject(2);
  b.addFieldOffset(NormalizationOptionsField.mean, mean, 0);
  b.addFieldOffset(NormalizationOptionsField.std, std, 0);
  const normalization = b.endObject();
  b.startObject(2);
  b.addFieldInt8(ProcessUnitField.optionsType, ProcessUnitOptionsType.NormalizationOptions, 0);
  b.addFieldOffset(ProcessUnitField.options, normalization, 0);
  const processUnit = b.endObject();
  const processUnits = offsets([processUnit]);
  const inName = b.createString(spec.input.name);
  const inDescription = b.createString(spec.input.description);
  b.startObject(7);
  b.addFieldOffset(TensorMetadataField.name, inName, 0);
  b.addFieldOffset(TensorMetadataField.description, inDescription, 0);
  b.addFieldOffset(TensorMetadataField.content, content, 0);
  b.addFieldOffset(TensorMetadataField.processUnits, processUnits, 0);
  const input = b.endObject();

  const outputs = spec.outputs.map((o) => {
    const name = b.createString(o.name);
    const description = b.createString(o.description);
    b.startObject(7);
    b.addFieldOffset(TensorMetadataField.name, name, 0);
    b.addFieldOffset(TensorMetadataField.description, description, 0);
    return b.endObject();
  });

  const inputsVec = offsets([input]);
  const outputsVec = offsets(outputs);
  const sgName = b.createString(spec.name);
  b.startObject(7);
  b.addFieldOffset(SubGraphMetadataField.name, sgName, 0);
  b.addFieldOffset(SubGraphMetadataField.inputTensorMetadata, inputsVec, 0);
  b.addFieldOffset(SubGraphMetadataField.outputTensorMetadata, outputsVec, 0);
  const subgraph = b.endObject();
  const subgraphs = offsets([subgraph]);

  const name = b.createString(spec.name);
  const description = b.createString(spec.description);
  const version = b.createString(spec.version);
  const author = b.createString(spec.author);
  const license = b.createString(spec.license);
  // 1.0.0: every field written here exists since the first metadata schema release.
  const minParser = b.createString('1.0.0');
  b.startObject(8);
  b.addFieldOffset(ModelMetadataField.name, name, 0);
  b.addFieldOffset(ModelMetadataField.description, description, 0);
  b.addFieldOffset(ModelMetadataField.version, version, 0);
  b.addFieldOffset(ModelMetadataField.subgraphMetadata, subgraphs, 0);
  b.addFieldOffset(ModelMetadataField.author, author, 0);
  b.addFieldOffset(ModelMetadataField.license, license, 0);
  b.addFieldOffset(ModelMetadataField.minParserVersion, minParser, 0);
  const root = b.endObject();
  b.finish(root, METADATA_FILE_IDENTIFIER);
  return b.asUint8Array().slice();
}

export interface InputTensorMetadataInfo {
  name: string | null;
  colorSpace: number | null;
  mean: number[];
  std: number[];
}

export interface ModelMetadataInfo {
  name: string | null;
  inputs: InputTensorMetadataInfo[];
  outputNames: (string | null)[];
}

/** Reads back what buildImageModelMetadata writes (for checks and tests). */
export function readModelMetadata(bytes: Uint8Array): ModelMetadataInfo {
  const root = FbTable.root(bytes);
  if (!root.bb.__has_identifier(METADATA_FILE_IDENTIFIER)) {
    throw new Error(`metadata buffer lacks file identifier ${METADATA_FILE_IDENTIFIER}`);
  }
  const sg = root.tables(ModelMetadataField.subgraphMetadata)[0];
  const inputs = (sg?.tables(SubGraphMetadataField.inputTensorMetadata) ?? []).map((t) => {
    const content = t.table(TensorMetadataField.content);
    const isImage = content?.uint8(ContentField.contentPropertiesType) === ContentPropertiesType.ImageProperties;
    const props = isImage ? content?.table(ContentField.contentProperties) : null;
    const norm = t
      .tables(TensorMetadataField.processUnits)
      .find((u) => u.uint8(ProcessUnitField.optionsType) === ProcessUnitOptionsType.NormalizationOptions)
      ?.table(ProcessUnitField.options);
    return {
      name: t.string(TensorMetadataField.name),
      colorSpace: props ? props.int8(ImagePropertiesField.colorSpace) : null,
      mean: norm?.float32s(NormalizationOptionsField.mean) ?? [],
      std: norm?.float32s(NormalizationOptionsField.std) ?? [],
    };
  });
  return {
    name: root.string(ModelMetadataField.name),
    inputs,
    outputNames: (sg?.tables(SubGraphMetadataField.outputTensorMetadata) ?? []).map((t) =>
      t.string(TensorMetadataField.name),
    ),
  };
}
