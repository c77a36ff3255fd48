/**
 * Browser half of scripts/validate-readout.ts (docs/readout.md §Validation). Drives the shipped
 * digital-mask renderer with known eye states (tests/support/eye-poser.ts), reads every rendered
 * frame back with the shipped landmarker (src/vision/landmarker.ts, VIDEO mode) and the read-out's
 * own code, and returns what was asked and what was read. On real clips (frames served as JPEGs),
 * the read-out runs on the original frames, beside the eval's blink detector.
 */
import { skinTexture } from '../../src/mask/skin-texture';
import { mediapipeSignals } from '../../eval/measure/signals';
import { parseCanonicalFace, type CanonicalFace } from '../../src/mask/canonical-face';
import { DigitalMaskRenderer } from '../../src/mask/digital-renderer';
import { ExpressionRig } from '../../src/mask/expression-transfer';
import { FaceGeometry, type FaceReading } from '../../src/readout/eye-geometry';
import { Readout, type ReadoutView } from '../../src/readout/readout';
import type { Face } from '../../src/vision/face';
import { FaceTracker } from '../../src/vision/landmarker';
import { OPEN_AHEAD, poseEyes, type AskedEye } from '../../tests/support/eye-poser';

const W = 640;
const H = 480;
const FPS = 30;
/** Pixels per cm: the canonical face ~200 px wide, as in a webcam call. */
const SCALE = 13;
/** Frames of the eyes at rest before each sequence, so the mask's neutral settles. */
const SETTLE_FRAMES = 45;

export interface Asked { right: AskedEye; left: AskedEye }
export interface Sample {
  /** what the renderer was asked: its eye states, and the read-out of its input landmarks */
  asked: Asked;
  truth: FaceReading | null;
  /** the read-out's geometry on the landmarks read from the render (raw, unfiltered) */
  read: FaceReading | null;
  /** the full read-out (filtered, blink counter) on the same read landmarks */
  view: ReadoutView | null;
  t: number;
}
export interface Sequence { name: string; yaw: number; pitch: number; samples: Sample[] }
export interface ClipRow {
  clip: string;
  frames: number;
  faceFrames: number;
  /** per frame: the read-out's view (null: no face) and the eval's apertures on the original */
  views: (ReadoutView | null)[];
  raw: (FaceReading | null)[];
  apertures: { left: (number | null)[]; right: (number | null)[] };
}

function rotation(yawDeg: number, pitchDeg: number): number[] {
  const d = Math.PI / 180;
  const [cy, sy, cx, sx] = [Math.cos(yawDeg * d), Math.sin(yawDeg * d), Math.cos(pitchDeg * d), Math.sin(pitchDeg * d)];
  return [cy, 0, sy, sx * sy, cx, -sx * cy, -cx * sy, sx, cx * cy]; // Rx(pitch)·Ry(yaw), row-major
}

/** 478 points (cm) posed at the frame centre → landmarks as the landmarker gives them. */
function project(points: Float64Array, yaw: number, pitch: number): Float32Array {
  const R = rotation(yaw, pitch);
  const out = new Float32Array(478 * 3);
  for (let i = 0; i < 478; i++) {
    const x = points[i * 3]!, y = points[i * 3 + 1]!, z = points[i * 3 + 2]!;
    out[i * 3] = (SCALE * (R[0]! * x + R[1]! * y + R[2]! * z) + W / 2) / W;
    out[i * 3 + 1] = (-SCALE * (R[3]! * x + R[4]! * y + R[5]! * z) + H / 2) / H;
    out[i * 3 + 2] = (-SCALE * (R[6]! * x + R[7]! * y + R[8]! * z)) / W;
  }
  return out;
}

async function bytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url} → HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

let face: CanonicalFace;
let rig: ExpressionRig;
let model: Uint8Array;
const canvas = new OffscreenCanvas(W, H);
const ctx = canvas.getContext('2d', { willReadFrequently: true })!;

async function setup(): Promise<void> {
  face ??= parseCanonicalFace(await bytes('/models/geometry_pipeline_metadata_landmarks.binarypb'));
  rig ??= new ExpressionRig(face);
  model ??= await bytes('/models/face_landmarker.task');
}

/** Renders `states` (one per frame, 30 fps) through a fresh mask and landmarker; reads each frame back. */
async function runSequence(name: string, states: Asked[], yaw = 0, pitch = 0): Promise<Sequence> {
  await setup();
  const renderer = new DigitalMaskRenderer(face, skinTexture(face), { backend: 'cpu' });
  const tracker = await FaceTracker.create({ wasmBase: '/mediapipe', modelBuffer: model });
  const geometry = new FaceGeometry(rig);
  const readout = new Readout(rig);
  const all = [...Array.from({ length: SETTLE_FRAMES }, () => ({ right: OPEN_AHEAD, left: OPEN_AHEAD })), ...states];
  const samples: Sample[] = [];
  all.forEach((asked, f) => {
    const t = f / FPS;
    const landmarks = project(poseEyes(rig.canonical, asked.right, asked.left), yaw, pitch);
    const bitmap = renderer.render({ faces: [{ landmarks, matrix: null }], width: W, height: H, timeMs: t * 1000 });
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
    const faces: Face[] = tracker.detect(ctx.getImageData(0, 0, W, H), t * 1000);
    const view = readout.update(faces, W, H, t);
    if (f < SETTLE_FRAMES) return;
    samples.push({
      asked,
      truth: geometry.measure(landmarks, W, H),
      read: faces.length === 1 ? geometry.measure(faces[0]!.landmarks, W, H) : null,
      view: faces.length === 1 ? { ...view, trace: [] } : null,
      t: t - SETTLE_FRAMES / FPS,
    });
  });
  tracker.close();
  return { name, yaw, pitch, samples };
}

/** One clip's frames (JPEGs under `base`, 0-based, `count` of them) through the read-out and the eval's signals. */
async function runClip(clip: string, base: string, count: number, fps: number): Promise<ClipRow> {
  await setup();
  const tracker = await FaceTracker.create({ wasmBase: '/mediapipe', modelBuffer: model });
  const geometry = new FaceGeometry(rig);
  const readout = new Readout(rig);
  const row: ClipRow = { clip, frames: count, faceFrames: 0, views: [], raw: [], apertures: { left: [], right: [] } };
  let c2: OffscreenCanvasRenderingContext2D | null = null;
  for (let i = 0; i < count; i++) {
    const bitmap = await createImageBitmap(await (await fetch(`${base}/${String(i + 1).padStart(5, '0')}.jpg`)).blob());
    const { width, height } = bitmap;
    if (!c2 || c2.canvas.width !== width || c2.canvas.height !== height) c2 = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true })!;
    c2.drawImage(bitmap, 0, 0);
    bitmap.close();
    const t = i / fps;
    const faces = tracker.detect(c2.getImageData(0, 0, width, height), t * 1000);
    const view = readout.update(faces, width, height, t);
    const one = faces.length === 1 ? faces[0]! : null;
    if (one) row.faceFrames++;
    row.views.push(one ? { ...view, trace: [] } : null);
    row.raw.push(one ? geometry.measure(one.landmarks, width, height) : null);
    const s = one ? mediapipeSignals(one.landmarks, width, height).signals : null;
    row.apertures.left.push(s?.eye_aperture_left ?? null);
    row.apertures.right.push(s?.eye_aperture_right ?? null);
  }
  tracker.close();
  return row;
}

Object.assign(window as object, { runSequence, runClip, ready: true });
