/**
 * Named landmark ids of MediaPipe's 468-point face mesh (+ 10 iris points) that the digital mask
 * reads. Eye contours are MediaPipe's own, from
 * mediapipe/python/solutions/face_mesh_connections.py (FACEMESH_LEFT_EYE, FACEMESH_RIGHT_EYE,
 * FACEMESH_LEFT_IRIS = 474–477, FACEMESH_RIGHT_IRIS = 469–472, FACEMESH_LIPS), walked from the outer
 * (temporal) corner to the inner (nasal) corner.
 *
 * "Left" and "right" are the PERSON's: the left eye (362/263) is on the person's left, which shows
 * on the IMAGE's right in a non-mirrored camera frame (and at canonical +x).
 */

/** Face-mesh points with a canonical-model vertex each (the irises have none). */
export const MESH_POINTS = 468;
/** Face-mesh points plus the two irises (5 points each, centre first). */
export const LANDMARK_POINTS = 478;

export interface EyeIndices {
  /** Temporal corner (lateral canthus). */
  readonly outer: number;
  /** Nasal corner (medial canthus). */
  readonly inner: number;
  /** Upper lid contour, outer corner → inner corner, both corners included. */
  readonly upperLid: readonly number[];
  /** Lower lid contour, outer corner → inner corner, both corners included. */
  readonly lowerLid: readonly number[];
  /** Mid points of the lids: their distance over the eye width is the usual eye aperture. */
  readonly upperMid: number;
  readonly lowerMid: number;
}

/** Person's right eye (image left). FACEMESH_RIGHT_EYE: 33–246–161–160–159–158–157–173–133 and 33–7–163–144–145–153–154–155–133. */
export const RIGHT_EYE: EyeIndices = {
  outer: 33,
  inner: 133,
  upperLid: [33, 246, 161, 160, 159, 158, 157, 173, 133],
  lowerLid: [33, 7, 163, 144, 145, 153, 154, 155, 133],
  upperMid: 159,
  lowerMid: 145,
};

/** Person's left eye (image right). FACEMESH_LEFT_EYE: 263–466–388–387–386–385–384–398–362 and 263–249–390–373–374–380–381–382–362. */
export const LEFT_EYE: EyeIndices = {
  outer: 263,
  inner: 362,
  upperLid: [263, 466, 388, 387, 386, 385, 384, 398, 362],
  lowerLid: [263, 249, 390, 373, 374, 380, 381, 382, 362],
  upperMid: 386,
  lowerMid: 374,
};

/**
 * The two iris sets: centre, then four rim points. MediaPipe documents 468–472 as the right iris and
 * 473–477 as the left, but docs/mask.md says not to trust the order: each set
 * is matched to its eye by distance (eye-state.ts).
 */
export const IRIS_SETS: readonly { readonly centre: number; readonly rim: readonly number[] }[] = [
  { centre: 468, rim: [469, 470, 471, 472] },
  { centre: 473, rim: [474, 475, 476, 477] },
];

/** Inner lip mid points (upper, lower): their gap is the mouth opening. */
export const INNER_LIP_UPPER = 13;
export const INNER_LIP_LOWER = 14;
/**
 * The inner lip ring's facing points, upper then lower, corner to corner (FACEMESH_LIPS inner ring
 * without its two corners): where the lips meet when the mouth is closed.
 */
export const INNER_LIP_PAIRS: readonly (readonly [number, number])[] = [
  [191, 95], [80, 88], [81, 178], [82, 87], [13, 14], [312, 317], [311, 402], [310, 318], [415, 324],
];
/** Inner mouth corners (FACEMESH_LIPS inner ring ends). */
export const INNER_MOUTH_CORNERS: readonly [number, number] = [78, 308];
/** Outer mouth corners (FACEMESH_LIPS outer ring ends): the mouth width. */
export const MOUTH_CORNERS: readonly [number, number] = [61, 291];

/**
 * Upper-face points of the canonical model's Procrustes basis (its 33 expression-stable points minus
 * the jaw line 132/136/361/365, the jaw-cheek 147/376 and the smile cheeks 205/425, which move when
 * the mouth opens or smiles). Their pose-free shape is the person's bone structure, so a jump here
 * means a different face, not a different expression.
 */
export const IDENTITY_PROBE_POINTS: readonly number[] = [
  4, 6, 10, 33, 54, 67, 117, 119, 121, 127, 129, 133, 143, 198, 263, 284, 297, 346, 348, 350, 356, 358, 362, 372, 420,
];

/** Face outline (FACEMESH_FACE_OVAL), clockwise from the forehead top (10). */
export const FACE_OVAL = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136,
  172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
] as const;
