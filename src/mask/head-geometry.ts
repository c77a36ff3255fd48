/**
 * A generic hood around the mask's face (docs/mask.md: drawn only where it measurably helps a
 * reader): rings of vertices outside the face outline, sloping back, the same for everyone. They
 * are built from the mask's own outline (the canonical face moved by the expression), never from
 * the person's.
 */
import { FACE_OVAL } from './mesh-indices';

/** Rings outside the outline. */
export const HEAD_RINGS = 2;
/** Each ring: how far outside the outline (cm, in the face plane) and how far back (cm). */
const RING_OUT_CM = [1.2, 3.0];
const RING_BACK_CM = [1.4, 4.2];

/**
 * Writes the hood's vertices of `shape` (pose-free, cm, 468 × xyz at least) into `out` from
 * vertex `first` on (ring r, outline point k at first + r·36 + k).
 */
export function headRing(shape: ArrayLike<number>, out: Float64Array, first: number): void {
  let cx = 0, cy = 0;
  for (const i of FACE_OVAL) {
    cx += shape[i * 3]!;
    cy += shape[i * 3 + 1]!;
  }
  cx /= FACE_OVAL.length;
  cy /= FACE_OVAL.length;
  FACE_OVAL.forEach((i, k) => {
    const x = shape[i * 3]!, y = shape[i * 3 + 1]!, z = shape[i * 3 + 2]!;
    const dx = x - cx, dy = y - cy;
    const len = Math.hypot(dx, dy) || 1;
    for (let r = 0; r < HEAD_RINGS; r++) {
      const o = (first + r * FACE_OVAL.length + k) * 3;
      out[o] = x + (dx / len) * RING_OUT_CM[r]!;
      out[o + 1] = y + (dy / len) * RING_OUT_CM[r]!;
      out[o + 2] = z - RING_BACK_CM[r]!;
    }
  });
}
