/**
 * Rewrites the attention face-landmark model (7 outputs) into the 2-output form
 * FaceLandmarker expects: landmarks [1,1,1,1434] (478 x xyz) and the face flag.
 *
 * All sources are [1,1,1,N] float tensors, so the merge works on axis 3 only:
 *   A  = CONCAT(mesh, lips, left eye, right eye, left iris, right iris)     [1,1,1,1868]
 *   zl = MEAN(GATHER(A, left contour z), axis 3, keep_dims)                 [1,1,1,1]
 *   zr = MEAN(GATHER(A, right contour z), axis 3, keep_dims)                [1,1,1,1]
 *   B  = CONCAT(A, zl, zr)                                                  [1,1,1,1870]
 *   landmarks = GATHER(B, outputGather)                                     [1,1,1,1434]
 * Keeping every tensor 4-D stays within what the TFLite CPU kernels (and XNNPACK's
 * fallbacks) handle; no RESHAPE is needed.
 */
import type { Builder } from 'flatbuffers';
import { planRefinement, SOURCE_LAYOUT, TOTAL_POINTS, type SourceKey } from './landmark-refinement.js';
import type { NewOperator, TfliteEditor } from './tflite-editor.js';
import {
  BuiltinOperator,
  BuiltinOptionsType,
  ConcatenationOptionsField,
  GatherOptionsField,
  ReducerOptionsField,
  TensorType,
} from './tflite-schema.js';

/** Output tensor names of face_landmark_with_attention.tflite (2020_08_28-v0). */
export const ATTENTION_OUTPUTS: Record<SourceKey, string> = {
  mesh: 'output_mesh_identity',
  lips: 'output_lips',
  leftEye: 'output_left_eye',
  rightEye: 'output_right_eye',
  leftIris: 'output_left_iris',
  rightIris: 'output_right_iris',
};
export const FACE_FLAG_OUTPUT = 'conv_faceflag';
export const LANDMARKS_OUTPUT = 'landmarks_478';

const AXIS = 3;

const concat = (inputs: number[], output: number): NewOperator => ({
  builtinCode: BuiltinOperator.CONCATENATION,
  inputs,
  outputs: [output],
  options: {
    type: BuiltinOptionsType.ConcatenationOptions,
    write: (b: Builder) => {
      b.startObject(2);
      b.addFieldInt32(ConcatenationOptionsField.axis, AXIS, 0);
      return b.endObject();
    },
  },
});

const gather = (params: number, indices: number, output: number): NewOperator => ({
  builtinCode: BuiltinOperator.GATHER,
  inputs: [params, indices],
  outputs: [output],
  options: {
    type: BuiltinOptionsType.GatherOptions,
    write: (b: Builder) => {
      b.startObject(2);
      b.addFieldInt32(GatherOptionsField.axis, AXIS, 0);
      return b.endObject();
    },
  },
});

const meanKeepDims = (input: number, axis: number, output: number): NewOperator => ({
  builtinCode: BuiltinOperator.MEAN,
  inputs: [input, axis],
  outputs: [output],
  options: {
    type: BuiltinOptionsType.ReducerOptions,
    write: (b: Builder) => {
      b.startObject(1);
      b.addFieldInt8(ReducerOptionsField.keepDims, 1, 0);
      return b.endObject();
    },
  },
});

/** Adds the merge ops and makes [landmarks, face flag] the only outputs. */
export function mergeAttentionOutputs(ed: TfliteEditor): void {
  const graph = ed.mainGraph;
  const sources = SOURCE_LAYOUT.map(({ key, size }) => {
    const index = ed.tensorIndex(ATTENTION_OUTPUTS[key]);
    const t = graph.tensors[index];
    const want = [1, 1, 1, size];
    if (!t || t.type !== TensorType.FLOAT32 || t.shape.join() !== want.join()) {
      throw new Error(
        `${ATTENTION_OUTPUTS[key]}: expected float32 [${want}], got type ${t?.type} [${t?.shape}]`,
      );
    }
    return index;
  });
  const flag = ed.tensorIndex(FACE_FLAG_OUTPUT);
  if (graph.tensors[flag]?.shape.join() !== '1,1,1,1') throw new Error(`${FACE_FLAG_OUTPUT}: expected [1,1,1,1]`);

  const plan = planRefinement();
  const f32 = (name: string, n: number): number =>
    ed.addTensor({ name, shape: [1, 1, 1, n], type: TensorType.FLOAT32 });

  const all = f32('refine/concat_sources', plan.concatLength);
  const leftIdx = ed.addInt32Constant('refine/left_iris_z_idx', [plan.leftIrisZ.length], plan.leftIrisZ);
  const rightIdx = ed.addInt32Constant('refine/right_iris_z_idx', [plan.rightIrisZ.length], plan.rightIrisZ);
  const axis = ed.addInt32Constant('refine/mean_axis', [1], [AXIS]);
  const leftZs = f32('refine/left_contour_z', plan.leftIrisZ.length);
  const rightZs = f32('refine/right_contour_z', plan.rightIrisZ.length);
  const leftZ = f32('refine/left_iris_z', 1);
  const rightZ = f32('refine/right_iris_z', 1);
  const withZ = f32('refine/concat_with_iris_z', plan.concatLength + 2);
  const outIdx = ed.addInt32Constant('refine/output_idx', [plan.outputGather.length], plan.outputGather);
  const landmarks = f32(LANDMARKS_OUTPUT, TOTAL_POINTS * 3);

  ed.addOperator(concat(sources, all));
  ed.addOperator(gather(all, leftIdx, leftZs));
  ed.addOperator(meanKeepDims(leftZs, axis, leftZ));
  ed.addOperator(gather(all, rightIdx, rightZs));
  ed.addOperator(meanKeepDims(rightZs, axis, rightZ));
  ed.addOperator(concat([all, leftZ, rightZ], withZ));
  ed.addOperator(gather(withZ, outIdx, landmarks));
  ed.setOutputs([landmarks, flag]);
}
