/**
 * What shows through the mask's openings, per pixel (docs/mask.md): the eyeball behind each lid
 * opening — a sphere with sclera, an iris with radial detail and a limbal ring, a pupil, a
 * catch-light fixed to the light, the upper lid's shadow and the lids' margins — and the mouth's
 * interior with teeth. The CPU rasterizer calls these; webgl-painter.ts has the same code in GLSL
 * (EYE_GLSL, MOUTH_GLSL), kept line for line with these functions.
 */
import type { EyeScene, MouthScene } from './face-scene';
import {
  CATCH_LIGHT,
  CATCH_LIGHT_POWER,
  CATCH_LIGHT_STRENGTH,
  IRIS_INNER_RGB,
  IRIS_OUTER_RGB,
  LID_MARGIN_RGB,
  LID_SHADOW_DEPTH,
  LID_SHADOW_REACH,
  LIMBUS_RGB,
  LOWER_MARGIN,
  MOUTH_CAVITY_RGB,
  PUPIL_RGB,
  PUPIL_SHARE,
  SCLERA_EDGE_RGB,
  SCLERA_RGB,
  SOCKET_RGB,
  TEETH_RGB,
  TONGUE_RGB,
  UPPER_MARGIN,
} from './mask-look';
import { IRIS_SINE } from './eye-state';
import { SWATCHES } from './skin-texture';

/** Lash colour at the upper lid's margin (the lash roots). */
export const LASH_ROOT_RGB = [30, 24, 22] as const;
/** Tooth edges across the mouth (half mouth widths from the middle). */
export const TOOTH_EDGES = [0, 0.2, 0.38, 0.54, 0.68, 0.8] as const;

function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}

/** Height b of a lid contour (9 points × (a, b) from `at`) at a, linear between points, ends held. */
export function lidAt(lids: Float32Array, at: number, a: number): number {
  let pa = lids[at]!, pb = lids[at + 1]!;
  if (a <= pa) return pb;
  for (let k = 1; k < 9; k++) {
    const ca = lids[at + k * 2]!, cb = lids[at + k * 2 + 1]!;
    if (a <= ca) return ca > pa ? pb + ((a - pa) / (ca - pa)) * (cb - pb) : cb;
    pa = ca;
    pb = cb;
  }
  return pb;
}

/**
 * Width (px) over which the edges inside the eye opening fade: the limbus into the sclera, the
 * pupil into the iris, the eyeball into each lid's line. A hard edge moves in whole pixels, so
 * a lid or an iris moving by a fraction of a pixel (most of a blink's start, most of a gaze
 * shift at 640x480: an eye is ~30 px wide) changed nothing a landmarker could read; a one-pixel
 * ramp changes the edge pixels in proportion (docs/mask.md has the read-back before and after).
 * The lid ramps lie inside the opening and reach the lid line's own colour at the mesh edge, so
 * the picture stays continuous as a lid crosses a pixel.
 */
export const EDGE_FEATHER_PX = 1;
/** The colour just outside the opening: the lower lid's line (face-scene.ts lid strips). */
export const LOWER_LINE_RGB = SWATCHES.lowerLid.rgb;

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Colour (0..255 rgb into `out`) of the eyeball seen at pixel (x, y). */
export function eyeColour(e: EyeScene, x: number, y: number, out: Float32Array): void {
  const rx = x - e.ox, ry = y - e.oy;
  const a = (rx * e.ax + ry * e.ay) / e.width, b = (rx * e.bx + ry * e.by) / e.width;
  const up = lidAt(e.lids, 0, a), lo = lidAt(e.lids, 18, a);
  const dx = (x - e.cx) / e.r, dy = (y - e.cy) / e.r;
  const q = 1 - dx * dx - dy * dy;
  let cr: number, cg: number, cb: number, light: number;
  let spec = 0;
  if (q <= 0) {
    cr = SOCKET_RGB[0];
    cg = SOCKET_RGB[1];
    cb = SOCKET_RGB[2];
    light = 0.55;
  } else {
    const nz = -Math.sqrt(q);
    const t = smoothstep(0.35, 0.95, 1 + nz);
    cr = SCLERA_RGB[0] + (SCLERA_EDGE_RGB[0] - SCLERA_RGB[0]) * t;
    cg = SCLERA_RGB[1] + (SCLERA_EDGE_RGB[1] - SCLERA_RGB[1]) * t;
    cb = SCLERA_RGB[2] + (SCLERA_EDGE_RGB[2] - SCLERA_RGB[2]) * t;
    const c = dx * e.gaze[0] + dy * e.gaze[1] + nz * e.gaze[2];
    const rr = Math.sqrt(Math.max(0, 1 - c * c)) / IRIS_SINE;
    // The iris's radius in pixels turns the feather into iris radii.
    const feather = EDGE_FEATHER_PX / (IRIS_SINE * e.r);
    const inIris = c > 0 ? clamp01((1 - rr) / feather + 0.5) : 0;
    if (inIris > 0) {
      const ti = Math.min(1, Math.max(0, (rr - PUPIL_SHARE) / (1 - PUPIL_SHARE)));
      const phi = Math.atan2(dx * e.e2[0] + dy * e.e2[1] + nz * e.e2[2], dx * e.e1[0] + dy * e.e1[1] + nz * e.e1[2]);
      const fibre = 1 + 0.22 * (0.5 * Math.sin(phi * 23 + 1.3) + 0.3 * Math.sin(phi * 41 + 4.1 + ti * 3) + 0.2 * Math.sin(phi * 67 + 2.2));
      const limbus = 0.85 * smoothstep(0.78, 1, rr);
      let ir = (IRIS_INNER_RGB[0] + (IRIS_OUTER_RGB[0] - IRIS_INNER_RGB[0]) * ti) * fibre;
      let ig = (IRIS_INNER_RGB[1] + (IRIS_OUTER_RGB[1] - IRIS_INNER_RGB[1]) * ti) * fibre;
      let ib = (IRIS_INNER_RGB[2] + (IRIS_OUTER_RGB[2] - IRIS_INNER_RGB[2]) * ti) * fibre;
      ir += (LIMBUS_RGB[0] - ir) * limbus;
      ig += (LIMBUS_RGB[1] - ig) * limbus;
      ib += (LIMBUS_RGB[2] - ib) * limbus;
      const inPupil = clamp01((PUPIL_SHARE - rr) / feather + 0.5);
      ir += (PUPIL_RGB[0] - ir) * inPupil;
      ig += (PUPIL_RGB[1] - ig) * inPupil;
      ib += (PUPIL_RGB[2] - ib) * inPupil;
      cr += (ir - cr) * inIris;
      cg += (ig - cg) * inIris;
      cb += (ib - cb) * inIris;
    }
    light = 0.45 + 0.55 * -nz;
    const h = dx * CATCH_LIGHT[0] + dy * CATCH_LIGHT[1] + nz * CATCH_LIGHT[2];
    spec = h > 0 ? CATCH_LIGHT_STRENGTH * Math.pow(h, CATCH_LIGHT_POWER) : 0;
  }
  // The upper lid's shadow on the eyeball, darkest right under the lid.
  const d = b - up;
  light *= 1 - LID_SHADOW_DEPTH * (1 - smoothstep(0, LID_SHADOW_REACH, d));
  cr = cr * light + 255 * spec;
  cg = cg * light + 255 * spec;
  cb = cb * light + 255 * spec;
  // The lids' thickness: a moist margin along the lower lid, the lash roots along the upper.
  const m = 1 - smoothstep(LOWER_MARGIN * 0.5, LOWER_MARGIN, lo - b);
  cr += (LID_MARGIN_RGB[0] - cr) * m;
  cg += (LID_MARGIN_RGB[1] - cg) * m;
  cb += (LID_MARGIN_RGB[2] - cb) * m;
  const l = 1 - smoothstep(UPPER_MARGIN * 0.4, UPPER_MARGIN, d);
  cr += (LASH_ROOT_RGB[0] - cr) * l;
  cg += (LASH_ROOT_RGB[1] - cg) * l;
  cb += (LASH_ROOT_RGB[2] - cb) * l;
  // The lid edges, one feather wide, ending in the lid lines' colours at the opening's edge.
  const lowerEdge = 1 - clamp01(((lo - b) * e.width) / EDGE_FEATHER_PX);
  cr += (LOWER_LINE_RGB[0] - cr) * lowerEdge;
  cg += (LOWER_LINE_RGB[1] - cg) * lowerEdge;
  cb += (LOWER_LINE_RGB[2] - cb) * lowerEdge;
  const upperEdge = 1 - clamp01((d * e.width) / EDGE_FEATHER_PX);
  cr += (LASH_ROOT_RGB[0] - cr) * upperEdge;
  cg += (LASH_ROOT_RGB[1] - cg) * upperEdge;
  cb += (LASH_ROOT_RGB[2] - cb) * upperEdge;
  out[0] = cr;
  out[1] = cg;
  out[2] = cb;
}

/** Colour of the mouth's interior at pixel (x, y): upper and lower teeth, the tongue, the dark cavity. */
export function mouthColour(m: MouthScene, x: number, y: number, out: Float32Array): void {
  const rx = x - m.ox, ry = y - m.oy;
  const u = (rx * m.ax + ry * m.ay) / m.half, v = (rx * m.bx + ry * m.by) / m.half;
  const au = Math.abs(u);
  const upperEdge = m.upperTeeth - 0.12 * u * u;
  const lowerEdge = m.lowerTeeth - 0.06 * u * u;
  let cr: number, cg: number, cb: number;
  if ((au < 0.92 && v < upperEdge) || (au < 0.85 && v > lowerEdge)) {
    let g = 1;
    for (const edge of TOOTH_EDGES) g = Math.min(g, Math.abs(au - edge));
    const shade = (1 - 0.65 * smoothstep(0.25, 0.95, au)) * (1 - 0.45 * (1 - smoothstep(0.008, 0.025, g)));
    cr = TEETH_RGB[0] * shade;
    cg = TEETH_RGB[1] * shade;
    cb = TEETH_RGB[2] * shade;
  } else {
    const tongue = smoothstep(-0.04, 0.04, v - (m.lowerTeeth - 0.22 + 0.35 * u * u));
    const shade = 1 - 0.35 * au;
    cr = (MOUTH_CAVITY_RGB[0] + (TONGUE_RGB[0] - MOUTH_CAVITY_RGB[0]) * tongue * 0.6) * shade;
    cg = (MOUTH_CAVITY_RGB[1] + (TONGUE_RGB[1] - MOUTH_CAVITY_RGB[1]) * tongue * 0.6) * shade;
    cb = (MOUTH_CAVITY_RGB[2] + (TONGUE_RGB[2] - MOUTH_CAVITY_RGB[2]) * tongue * 0.6) * shade;
  }
  out[0] = cr;
  out[1] = cg;
  out[2] = cb;
}
