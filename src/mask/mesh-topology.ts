/**
 * The canonical mesh split into what the digital mask draws differently (docs/mask.md): skin, and
 * the three openings the canonical mesh closes with a membrane of triangles — each eye (14
 * triangles between its lid contour points) and the mouth (18 between its inner lip points).
 * Behind an eye opening the renderer shows an eyeball, behind the mouth opening the mouth's
 * interior; the skin around them is drawn from the remaining triangles.
 */
import { LEFT_EYE, RIGHT_EYE } from './mesh-indices';

/** Inner lip loop (MediaPipe FACEMESH_LIPS, inner contour): upper lip from the right corner (78) to the left (308), then the lower lip back. */
export const INNER_LIP_LOOP = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95] as const;
/** Outer lip loop (FACEMESH_LIPS, outer contour), from the right corner (61). */
export const OUTER_LIP_LOOP = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146] as const;
/** Brows (FACEMESH_RIGHT/LEFT_EYEBROW): upper edge outer → inner, then the lower edge back. */
export const RIGHT_BROW_LOOP = [70, 63, 105, 66, 107, 55, 65, 52, 53, 46] as const;
export const LEFT_BROW_LOOP = [300, 293, 334, 296, 336, 285, 295, 282, 283, 276] as const;

export interface FaceTopology {
  /** Triangles drawn as skin (the canonical mesh minus the openings), 3 vertex ids each. */
  skin: Uint16Array;
  /** The membrane triangles of each eye opening (where the eyeball shows) and of the mouth. */
  rightEye: Uint16Array;
  leftEye: Uint16Array;
  mouth: Uint16Array;
}

/** The triangles whose three corners all lie on `loop`: the membrane closing that opening. */
function membrane(triangles: ArrayLike<number>, loop: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (let t = 0; t + 2 < triangles.length; t += 3) {
    if (loop.has(triangles[t]!) && loop.has(triangles[t + 1]!) && loop.has(triangles[t + 2]!)) out.push(t / 3);
  }
  return out;
}

export function faceTopology(triangles: ArrayLike<number>): FaceTopology {
  const sets = {
    rightEye: new Set([...RIGHT_EYE.upperLid, ...RIGHT_EYE.lowerLid]),
    leftEye: new Set([...LEFT_EYE.upperLid, ...LEFT_EYE.lowerLid]),
    mouth: new Set<number>(INNER_LIP_LOOP),
  };
  const taken = new Set<number>();
  const pick = (ids: number[]): Uint16Array => {
    const out = new Uint16Array(ids.length * 3);
    ids.forEach((t, k) => {
      taken.add(t);
      out.set([triangles[t * 3]!, triangles[t * 3 + 1]!, triangles[t * 3 + 2]!], k * 3);
    });
    return out;
  };
  const rightEye = pick(membrane(triangles, sets.rightEye));
  const leftEye = pick(membrane(triangles, sets.leftEye));
  const mouth = pick(membrane(triangles, sets.mouth));
  const skin: number[] = [];
  for (let t = 0; t * 3 + 2 < triangles.length; t++) if (!taken.has(t)) skin.push(triangles[t * 3]!, triangles[t * 3 + 1]!, triangles[t * 3 + 2]!);
  return { skin: Uint16Array.from(skin), rightEye, leftEye, mouth };
}
