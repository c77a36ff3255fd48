/**
 * The legacy MediaPipe "refine landmarks" merge, expressed as flat index tables.
 *
 * Index lists copied from MediaPipe's LandmarksRefinementCalculator config in
 *   google-ai-edge/mediapipe: mediapipe/modules/face_landmark/tensors_to_face_landmarks_with_attention.pbtxt
 *   (commit 9a4a0fb7a9b6cc229fa8e2de19bd651c785418f7, Apache-2.0)
 * Refinements are applied in order mesh, lips, left eye, right eye, left iris, right iris;
 * lips and eyes replace x,y only (z_refinement none), irises append 5 points each whose
 * z is the mean z of the listed eye-contour points (z_refinement assign_average).
 */

export const MESH_POINTS = 468;
export const TOTAL_POINTS = 478;

/** Mesh index for each of the 80 points of the lips output. */
export const LIPS_TO_MESH: readonly number[] = [
  // Lower outer.
  61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291,
  // Upper outer (excluding corners).
  185, 40, 39, 37, 0, 267, 269, 270, 409,
  // Lower inner.
  78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308,
  // Upper inner (excluding corners).
  191, 80, 81, 82, 13, 312, 311, 310, 415,
  // Lower semi-outer.
  76, 77, 90, 180, 85, 16, 315, 404, 320, 307, 306,
  // Upper semi-outer (excluding corners).
  184, 74, 73, 72, 11, 302, 303, 304, 408,
  // Lower semi-inner.
  62, 96, 89, 179, 86, 15, 316, 403, 319, 325, 292,
  // Upper semi-inner (excluding corners).
  183, 42, 41, 38, 12, 268, 271, 272, 407,
];

/** Mesh index for each of the 71 points of the left eye output. */
export const LEFT_EYE_TO_MESH: readonly number[] = [
  // Lower contour.
  33, 7, 163, 144, 145, 153, 154, 155, 133,
  // Upper contour (excluding corners).
  246, 161, 160, 159, 158, 157, 173,
  // Halo x2 lower contour.
  130, 25, 110, 24, 23, 22, 26, 112, 243,
  // Halo x2 upper contour (excluding corners).
  247, 30, 29, 27, 28, 56, 190,
  // Halo x3 lower contour.
  226, 31, 228, 229, 230, 231, 232, 233, 244,
  // Halo x3 upper contour (excluding corners).
  113, 225, 224, 223, 222, 221, 189,
  // Halo x4 upper contour (no lower because of mesh structure) or eyebrow inner contour.
  35, 124, 46, 53, 52, 65,
  // Halo x5 lower contour.
  143, 111, 117, 118, 119, 120, 121, 128, 245,
  // Halo x5 upper contour (excluding corners) or eyebrow outer contour.
  156, 70, 63, 105, 66, 107, 55, 193,
];

/** Mesh index for each of the 71 points of the right eye output. */
export const RIGHT_EYE_TO_MESH: readonly number[] = [
  // Lower contour.
  263, 249, 390, 373, 374, 380, 381, 382, 362,
  // Upper contour (excluding corners).
  466, 388, 387, 386, 385, 384, 398,
  // Halo x2 lower contour.
  359, 255, 339, 254, 253, 252, 256, 341, 463,
  // Halo x2 upper contour (excluding corners).
  467, 260, 259, 257, 258, 286, 414,
  // Halo x3 lower contour.
  446, 261, 448, 449, 450, 451, 452, 453, 464,
  // Halo x3 upper contour (excluding corners).
  342, 445, 444, 443, 442, 441, 413,
  // Halo x4 upper contour (no lower because of mesh structure) or eyebrow inner contour.
  265, 353, 276, 283, 282, 295,
  // Halo x5 lower contour.
  372, 340, 346, 347, 348, 349, 350, 357, 465,
  // Halo x5 upper contour (excluding corners) or eyebrow outer contour.
  383, 300, 293, 334, 296, 336, 285, 417,
];

/** Output indices of the 5 left iris points (center, right, top, left, bottom edge). */
export const LEFT_IRIS_TO_MESH: readonly number[] = [468, 469, 470, 471, 472];
/** Output indices of the 5 right iris points. */
export const RIGHT_IRIS_TO_MESH: readonly number[] = [473, 474, 475, 476, 477];

/** Eye contour points whose mean z becomes the left iris z. */
export const LEFT_IRIS_Z_AVERAGE: readonly number[] = [
  // Lower contour.
  33, 7, 163, 144, 145, 153, 154, 155, 133,
  // Upper contour (excluding corners).
  246, 161, 160, 159, 158, 157, 173,
];
/** Eye contour points whose mean z becomes the right iris z. */
export const RIGHT_IRIS_Z_AVERAGE: readonly number[] = [
  // Lower contour.
  263, 249, 390, 373, 374, 380, 381, 382, 362,
  // Upper contour (excluding corners).
  466, 388, 387, 386, 385, 384, 398,
];

/** Flat sizes of the model's landmark outputs, in the order they are concatenated. */
export const SOURCE_LAYOUT = [
  { key: 'mesh', size: MESH_POINTS * 3 },
  { key: 'lips', size: LIPS_TO_MESH.length * 2 },
  { key: 'leftEye', size: LEFT_EYE_TO_MESH.length * 2 },
  { key: 'rightEye', size: RIGHT_EYE_TO_MESH.length * 2 },
  { key: 'leftIris', size: LEFT_IRIS_TO_MESH.length * 2 },
  { key: 'rightIris', size: RIGHT_IRIS_TO_MESH.length * 2 },
] as const;

export type SourceKey = (typeof SOURCE_LAYOUT)[number]['key'];

export interface RefinementPlan {
  /** Length of the concatenation of all sources (before the two iris z values). */
  concatLength: number;
  /** Flat positions (into the concatenation) of the z values averaged for each iris. */
  leftIrisZ: number[];
  rightIrisZ: number[];
  /** For each of 478*3 output values, its flat position in [concat..., leftIrisZ, rightIrisZ]. */
  outputGather: number[];
}

/**
 * Plans the merge over a flat layout: sources are concatenated as in SOURCE_LAYOUT,
 * then the two iris z means are appended, and one gather picks the 1434 outputs.
 */
export function planRefinement(): RefinementPlan {
  const offset = new Map<SourceKey, number>();
  let concatLength = 0;
  for (const s of SOURCE_LAYOUT) {
    offset.set(s.key, concatLength);
    concatLength += s.size;
  }
  const at = (key: SourceKey): number => offset.get(key) as number;

  // Start from the mesh itself, then let lips, left eye, right eye overwrite x,y in order.
  const xy: number[][] = [];
  for (let p = 0; p < MESH_POINTS; p++) xy.push([3 * p, 3 * p + 1]);
  const overwrite = (key: SourceKey, mapping: readonly number[]): void => {
    mapping.forEach((meshIndex, k) => {
      xy[meshIndex] = [at(key) + 2 * k, at(key) + 2 * k + 1];
    });
  };
  overwrite('lips', LIPS_TO_MESH);
  overwrite('leftEye', LEFT_EYE_TO_MESH);
  overwrite('rightEye', RIGHT_EYE_TO_MESH);

  const outputGather: number[] = [];
  for (let p = 0; p < MESH_POINTS; p++) {
    const [x, y] = xy[p] as [number, number];
    outputGather.push(x, y, 3 * p + 2); // z stays the mesh's
  }
  const leftZ = concatLength;
  const rightZ = concatLength + 1;
  for (let k = 0; k < LEFT_IRIS_TO_MESH.length; k++) {
    outputGather.push(at('leftIris') + 2 * k, at('leftIris') + 2 * k + 1, leftZ);
  }
  for (let k = 0; k < RIGHT_IRIS_TO_MESH.length; k++) {
    outputGather.push(at('rightIris') + 2 * k, at('rightIris') + 2 * k + 1, rightZ);
  }
  return {
    concatLength,
    leftIrisZ: LEFT_IRIS_Z_AVERAGE.map((i) => 3 * i + 2),
    rightIrisZ: RIGHT_IRIS_Z_AVERAGE.map((i) => 3 * i + 2),
    outputGather,
  };
}

/**
 * Reference implementation of the legacy merge on plain arrays (x,y[,z] interleaved),
 * written point-by-point like LandmarksRefinementCalculator; used by tests to check
 * the graph plan.
 */
export function refineLandmarksReference(src: Record<SourceKey, ArrayLike<number>>): Float32Array {
  const out = new Float32Array(TOTAL_POINTS * 3);
  for (let i = 0; i < MESH_POINTS * 3; i++) out[i] = src.mesh[i] as number;
  const xyOnly = (values: ArrayLike<number>, mapping: readonly number[]): void => {
    mapping.forEach((m, k) => {
      out[3 * m] = values[2 * k] as number;
      out[3 * m + 1] = values[2 * k + 1] as number;
    });
  };
  xyOnly(src.lips, LIPS_TO_MESH);
  xyOnly(src.leftEye, LEFT_EYE_TO_MESH);
  xyOnly(src.rightEye, RIGHT_EYE_TO_MESH);
  const iris = (values: ArrayLike<number>, mapping: readonly number[], zFrom: readonly number[]): void => {
    const z = zFrom.reduce((s, i) => s + (out[3 * i + 2] as number), 0) / zFrom.length;
    mapping.forEach((m, k) => {
      out[3 * m] = values[2 * k] as number;
      out[3 * m + 1] = values[2 * k + 1] as number;
      out[3 * m + 2] = z;
    });
  };
  iris(src.leftIris, LEFT_IRIS_TO_MESH, LEFT_IRIS_Z_AVERAGE);
  iris(src.rightIris, RIGHT_IRIS_TO_MESH, RIGHT_IRIS_Z_AVERAGE);
  return out;
}
