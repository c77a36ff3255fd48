/**
 * The first digital mask's drawn features, kept as a variant for scripts/measure-mask-render.ts
 * (the "drawn eyes" rows; the extension no longer draws them): eyes painted flat with Canvas2D
 * (sclera in the lid opening, iris disc, pupil, lash line outside the opening), the mouth's dark
 * interior, lips and brows, on top of the shaded mesh. docs/research/mask-look.md measured them.
 */
import type { MaskEye, MaskFace } from '../../src/mask/digital-mask';

/** Inner lip loop (MediaPipe FACEMESH_LIPS, inner contour): upper lip left→right, then lower lip back. */
const INNER_LIP_UPPER = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308];
const INNER_LIP_LOWER = [308, 324, 318, 402, 317, 14, 87, 178, 88, 95, 78];
/** Outer lip loop (FACEMESH_LIPS, outer contour). */
const OUTER_LIPS = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146];
/** Brows (FACEMESH_LEFT/RIGHT_EYEBROW): upper edge then lower edge back, per brow. */
const BROWS = [
  [70, 63, 105, 66, 107, 55, 65, 52, 53, 46],
  [300, 293, 334, 296, 336, 285, 295, 282, 283, 276],
];

const SCLERA = '#f1efe9';
const IRIS = '#5b4a3c';
const PUPIL = '#121212';
const LASH = '#2a2420';
const LOWER_LID = 'rgba(90, 70, 60, 0.8)';
const CREASE = 'rgba(110, 90, 80, 0.6)';
const LIPS = 'rgb(170, 112, 104)';
/** Lash line width and crease height (at the middle), in eye widths. */
const LASH_WIDTH = 0.1;
const CREASE_HEIGHT = 0.16;
const MOUTH = '#3a1d20';
const BROW = 'rgba(70, 58, 50, 0.85)';

export function paintFeatures(ctx: OffscreenCanvasRenderingContext2D, face: MaskFace, width: number, height: number): void {
  const m = face.mesh;
  const at = (i: number): [number, number] => [m[i * 3]! * width, m[i * 3 + 1]! * height];
  const polygon = (ids: readonly number[]) => {
    ctx.beginPath();
    ids.forEach((id, k) => {
      const [x, y] = at(id);
      if (k === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.closePath();
  };

  // Lips a shade redder than the skin: their outline is what the mouth's opening is read against
  // (read-back mouth opening r 0.934 → 0.992, scripts/measure-mask-render.ts).
  ctx.fillStyle = LIPS;
  polygon(OUTER_LIPS);
  ctx.fill();
  ctx.fillStyle = MOUTH;
  polygon([...INNER_LIP_UPPER, ...INNER_LIP_LOWER]);
  ctx.fill();

  ctx.fillStyle = BROW;
  for (const brow of BROWS) {
    polygon(brow);
    ctx.fill();
  }

  paintEye(ctx, face.eyes.left, width, height);
  paintEye(ctx, face.eyes.right, width, height);
}

function paintEye(ctx: OffscreenCanvasRenderingContext2D, eye: MaskEye, width: number, height: number): void {
  const lid = (line: Float32Array, k: number): [number, number] => [line[k * 2]! * width, line[k * 2 + 1]! * height];
  const n = eye.upperLid.length / 2;
  const eyeWidth = Math.hypot(
    (eye.outerCorner[0] - eye.innerCorner[0]) * width,
    (eye.outerCorner[1] - eye.innerCorner[1]) * height,
  );

  // The lid opening: upper lid outer → inner, lower lid inner → outer. It closes on a blink.
  ctx.save();
  ctx.beginPath();
  for (let k = 0; k < n; k++) {
    const [x, y] = lid(eye.upperLid, k);
    if (k === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  for (let k = n - 1; k >= 0; k--) ctx.lineTo(...lid(eye.lowerLid, k));
  ctx.closePath();
  ctx.fillStyle = SCLERA;
  ctx.fill();
  ctx.clip();
  const ix = eye.iris.x * width;
  const iy = eye.iris.y * height;
  const r = eye.iris.radius * width;
  ctx.fillStyle = IRIS;
  ctx.beginPath();
  ctx.arc(ix, iy, r, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = PUPIL;
  ctx.beginPath();
  ctx.arc(ix, iy, r * 0.45, 0, Math.PI * 2);
  ctx.fill();
  ctx.restore();

  // Lid margins, drawn OUTSIDE the opening so they never eat into the aperture: a thick lash line
  // on the upper lid (what makes a closed eye read closed), a thin line on the lower lid and a soft
  // crease above. Re-read by MediaPipe (scripts/measure-mask-render.ts), the read aperture follows
  // the drawn one more closely than with a lash line centred on the lid (r 0.936 → 0.947).
  const out = outwardNormal(eye, width, height);
  const lash = Math.max(1.5, eyeWidth * LASH_WIDTH);
  strokeLid(ctx, eye.upperLid, width, height, out, lash / 2, LASH, lash);
  const lower = Math.max(1, lash * 0.4);
  strokeLid(ctx, eye.lowerLid, width, height, [-out[0], -out[1]], lower / 2, LOWER_LID, lower);
  strokeLid(ctx, eye.upperLid, width, height, out, eyeWidth * CREASE_HEIGHT, CREASE, Math.max(1, lash * 0.5), true);
}

/** Unit vector perpendicular to the eye's corner line, pointing up in the image (away from the lower lid). */
function outwardNormal(eye: MaskEye, width: number, height: number): [number, number] {
  const cx = (eye.innerCorner[0] - eye.outerCorner[0]) * width;
  const cy = (eye.innerCorner[1] - eye.outerCorner[1]) * height;
  const len = Math.hypot(cx, cy) || 1;
  const nx = cy / len, ny = -cx / len;
  return ny > 0 ? [-nx, -ny] : [nx, ny];
}

/**
 * Strokes a lid polyline shifted by `shift` px along `dir` (corners stay put). `arched`: the shift
 * grows from the corners to the middle (a crease), instead of being constant.
 */
function strokeLid(
  ctx: OffscreenCanvasRenderingContext2D,
  line: Float32Array,
  width: number,
  height: number,
  dir: [number, number],
  shift: number,
  colour: string,
  lineWidth: number,
  arched = false,
): void {
  const n = line.length / 2;
  ctx.strokeStyle = colour;
  ctx.lineWidth = lineWidth;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.beginPath();
  for (let k = 0; k < n; k++) {
    const w = k === 0 || k === n - 1 ? 0 : arched ? shift * Math.sin((Math.PI * k) / (n - 1)) : shift;
    const x = line[k * 2]! * width + dir[0] * w;
    const y = line[k * 2 + 1]! * height + dir[1] * w;
    if (k === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.stroke();
}
