import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseChecksumFile, sha256 } from '../../../../build/model-bundle/checksums.js';
import {
  BUNDLE_NAME,
  buildFaceLandmarkerBundle,
  ENTRY,
  INPUT,
  readFaceMeshInputs,
} from '../../../../build/model-bundle/face-landmarker-bundle.js';
import { refineLandmarksReference, SOURCE_LAYOUT } from '../../../../build/model-bundle/landmark-refinement.js';
import { listZipEntries } from '../../../../build/model-bundle/stored-zip.js';
import { ATTENTION_OUTPUTS, FACE_FLAG_OUTPUT, LANDMARKS_OUTPUT } from '../../../../build/model-bundle/tflite-graph.js';
import { ColorSpaceType, readModelMetadata } from '../../../../build/model-bundle/tflite-metadata.js';
import { readTfliteModel, type TfliteModelInfo } from '../../../../build/model-bundle/tflite-model.js';
import { BuiltinOperator, TFLITE_METADATA_KEY } from '../../../../build/model-bundle/tflite-schema.js';
import { fakeSources, faceMeshDir, repoRoot } from './helpers.js';

let inputs: Map<string, Uint8Array>;
let task: Uint8Array;
let files: Record<string, Uint8Array>;

beforeAll(() => {
  inputs = readFaceMeshInputs(faceMeshDir);
  task = buildFaceLandmarkerBundle(inputs).task;
  files = unzipSync(task);
});

function metadataOf(model: TfliteModelInfo) {
  const entries = model.metadata.filter((m) => m.name === TFLITE_METADATA_KEY);
  expect(entries).toHaveLength(1);
  return readModelMetadata(model.bufferData((entries[0] as { buffer: number }).buffer));
}

describe('face_landmarker.task', () => {
  it('is a stored ZIP with the three entries FaceLandmarker looks up', () => {
    const entries = listZipEntries(task);
    expect(entries.map((e) => e.name)).toEqual([ENTRY.detector, ENTRY.landmarks, ENTRY.geometry]);
    expect(entries.every((e) => e.method === 0)).toBe(true);
    expect(files[ENTRY.geometry]).toEqual(inputs.get(INPUT.geometry));
  });

  it('is deterministic and matches the checksum recorded in models/checksums.json', () => {
    expect(sha256(buildFaceLandmarkerBundle(inputs).task)).toBe(sha256(task));
    const recorded = parseChecksumFile(readFileSync(join(repoRoot, 'models', 'checksums.json'), 'utf8'));
    expect(recorded.outputs[BUNDLE_NAME]).toBe(sha256(task));
  });

  it('detector carries RGB image metadata normalised to [-1, 1]', () => {
    const model = readTfliteModel(files[ENTRY.detector] as Uint8Array);
    const md = metadataOf(model);
    expect(md.inputs).toEqual([{ name: 'input', colorSpace: ColorSpaceType.RGB, mean: [127.5], std: [127.5] }]);
    expect(md.outputNames).toHaveLength(model.subgraphs[0]?.outputs.length ?? -1);
    // The graph itself is unchanged.
    const original = readTfliteModel(inputs.get(INPUT.detector) as Uint8Array);
    expect(model.subgraphs[0]?.operators).toEqual(original.subgraphs[0]?.operators);
    expect(model.subgraphs[0]?.outputs).toEqual(original.subgraphs[0]?.outputs);
  });

  it('landmark model carries RGB image metadata normalised to [0, 1]', () => {
    const md = metadataOf(readTfliteModel(files[ENTRY.landmarks] as Uint8Array));
    expect(md.inputs).toEqual([{ name: 'input_1', colorSpace: ColorSpaceType.RGB, mean: [0], std: [255] }]);
    expect(md.outputNames).toEqual([LANDMARKS_OUTPUT, FACE_FLAG_OUTPUT]);
  });

  it('landmark model has exactly two outputs: [1,1,1,1434] landmarks and the face flag', () => {
    const g = readTfliteModel(files[ENTRY.landmarks] as Uint8Array).subgraphs[0];
    expect(g?.outputs).toHaveLength(2);
    const [landmarks, flag] = (g?.outputs ?? []).map((i) => g?.tensors[i]);
    expect(landmarks?.name).toBe(LANDMARKS_OUTPUT);
    expect(landmarks?.shape).toEqual([1, 1, 1, 1434]);
    expect(landmarks?.type).toBe(0); // float32
    expect(flag?.name).toBe(FACE_FLAG_OUTPUT);
    expect(flag?.shape).toEqual([1, 1, 1, 1]);
  });

  it('keeps the original graph and appends only the merge ops', () => {
    const model = readTfliteModel(files[ENTRY.landmarks] as Uint8Array);
    const original = readTfliteModel(inputs.get(INPUT.landmarks) as Uint8Array);
    const g = model.subgraphs[0];
    const og = original.subgraphs[0];
    expect(g?.inputs).toEqual(og?.inputs);
    expect(g?.tensors.slice(0, og?.tensors.length)).toEqual(og?.tensors);
    expect(g?.operators.slice(0, og?.operators.length)).toEqual(og?.operators);
    const added = (g?.operators ?? []).slice(og?.operators.length).map((o) => model.operatorCodes[o.opcodeIndex]?.builtinCode);
    expect(added).toEqual([
      BuiltinOperator.CONCATENATION,
      BuiltinOperator.GATHER,
      BuiltinOperator.MEAN,
      BuiltinOperator.GATHER,
      BuiltinOperator.MEAN,
      BuiltinOperator.CONCATENATION,
      BuiltinOperator.GATHER,
    ]);
    // Weights are untouched.
    for (let i = 0; i < original.bufferCount; i++) {
      expect(sha256(model.bufferData(i)), `buffer ${i}`).toBe(sha256(original.bufferData(i)));
    }
  });

  it('appended ops compute the legacy refineLandmarks merge', () => {
    // Evaluate the appended ops in JS (axis-3 CONCAT/GATHER/MEAN on [1,1,1,N] tensors)
    // using the constants stored in the model.
    const model = readTfliteModel(files[ENTRY.landmarks] as Uint8Array);
    const g = model.subgraphs[0];
    const og = readTfliteModel(inputs.get(INPUT.landmarks) as Uint8Array).subgraphs[0];
    if (!g || !og) throw new Error('no subgraph');
    const src = fakeSources(7);
    const values = new Map<number, number[]>();
    for (const { key } of SOURCE_LAYOUT) {
      values.set(g.tensors.findIndex((t) => t.name === ATTENTION_OUTPUTS[key]), [...src[key]]);
    }
    const read = (i: number): number[] => {
      const v = values.get(i);
      if (v) return v;
      const t = g.tensors[i];
      const data = model.bufferData(t?.buffer ?? 0);
      if (!t?.buffer || !data.length) throw new Error(`tensor ${i} has no value`);
      return [...new Int32Array(data.slice().buffer)];
    };
    for (const op of g.operators.slice(og.operators.length)) {
      const code = model.operatorCodes[op.opcodeIndex]?.builtinCode;
      const ins = op.inputs.map(read);
      let out: number[];
      if (code === BuiltinOperator.CONCATENATION) out = ins.flat();
      else if (code === BuiltinOperator.GATHER) out = (ins[1] ?? []).map((k) => ins[0]?.[k] as number);
      else if (code === BuiltinOperator.MEAN) out = [(ins[0] ?? []).reduce((a, b) => a + b, 0) / (ins[0]?.length ?? 1)];
      else throw new Error(`unexpected op ${code}`);
      expect(out).toHaveLength(g.tensors[op.outputs[0] as number]?.shape.reduce((a, b) => a * b, 1) ?? -1);
      values.set(op.outputs[0] as number, out);
    }
    const landmarks = read(g.outputs[0] as number);
    const reference = refineLandmarksReference(src);
    landmarks.forEach((v, i) => expect(v).toBeCloseTo(reference[i] as number, 4));
  });
});
