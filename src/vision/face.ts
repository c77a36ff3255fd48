/** One face as the landmarker saw it, in a plain shape the mask code can use without MediaPipe. */
export interface Face {
  /** 478 points × (x, y, z): x, y normalized to [0, 1] of the frame; z relative depth, scaled like x. */
  landmarks: Float32Array;
  /** Column-major 4×4 facial transformation matrix (canonical face → camera space), when available. */
  matrix: Float32Array | null;
}

export const LANDMARK_COUNT = 478;
