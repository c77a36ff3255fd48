/**
 * Paints what a clinician reads on top of the shaded mask: eyes (sclera in the lid opening, iris,
 * pupil, a lash line), the mouth's dark interior, and brows. notes/mask-render.md measured why:
 * without drawn eyes irises are unreadable, without a lash line closed eyes read half-open, and the
 * canonical mesh has no eye or mouth holes. Everything comes from the mask's own geometry.
 */
import type { MaskEye, MaskFace } from './digital-mask';

/** Inner lip loop (MediaPipe FACEMESH_LIPS, inner contour): upper lip left→right, then lower lip back. */
const INNER_LIP_UPPER = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308];
const INNER_LIP_LOWER = [308, 324, 318, 402, 317, 14, 87, 178, 88, 95, 78];
/** Brows (FACEMESH_LEFT/RIGHT_EYEBROW): upper edge then lower edge back, per brow. */
const BROWS = [
  [70, 63, 105, 66, 107, 55, 65, 52, 53, 46],
  [300, 293, 334, 296, 336, 285, 295, 282, 283, 276],
];

const SCLERA = '#f1efe9';
const IRIS = '#5b4a3c';
const PUPIL = '#121212';
const LASH = '#2a2420';
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

  // Lash line along the upper lid: what makes a closed eye read closed.
  ctx.strokeStyle = LASH;
  ctx.lineWidth = Math.max(1.5, eyeWidth * 0.07);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.beginPath();
  for (let k = 0; k < n; k++) {
    const [x, y] = lid(eye.upperLid, k);
    if (k === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.stroke();
}
