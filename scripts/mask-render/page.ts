/**
 * Browser half of scripts/measure-mask-render.ts: renders the digital mask (the shipped renderer)
 * for known inputs and reads the render back with MediaPipe FaceLandmarker, as a clinician's
 * software (and the eval) would. Inputs are the canonical face itself, posed and deformed by known
 * amounts, so what the mask was asked to show is known exactly.
 */
import { FaceLandmarker, FilesetResolver } from '@mediapipe/tasks-vision';
import { mediapipeSignals } from '../../eval/measure/signals';
import { anglesFromMediapipeMatrix } from '../../eval/metrics/pose';
import { parseCanonicalFace, type CanonicalFace } from '../../src/mask/canonical-face';
import { DigitalMaskRenderer } from '../../src/mask/digital-renderer';
import { IRIS_SETS, LEFT_EYE, RIGHT_EYE, type EyeIndices } from '../../src/mask/mesh-indices';

const W = 640;
const H = 480;
/** Pixels per cm: the canonical face (15.5 cm wide) is ~200 px wide, as in a webcam call. */
const SCALE = 13;
/** Frames of the undeformed face first, so the mask's neutral settles (DigitalMaskTracker). */
const SETTLE_FRAMES = 80;

export interface PoseRow { yaw: number; pitch: number; read: { yaw: number; pitch: number; roll: number } | null }
export interface CurveRow { yaw: number; pitch: number; input: number; left: number | null; right: number | null }
export interface RenderReport { pose: PoseRow[]; eyes: CurveRow[]; mouth: CurveRow[]; irisX: CurveRow[]; irisY: CurveRow[]; png: string }

function rotation(yawDeg: number, pitchDeg: number): number[] {
  const d = Math.PI / 180;
  const [cy, sy, cx, sx] = [Math.cos(yawDeg * d), Math.sin(yawDeg * d), Math.cos(pitchDeg * d), Math.sin(pitchDeg * d)];
  // Rx(pitch) · Ry(yaw), row-major
  return [cy, 0, sy, sx * sy, cx, -sx * cy, -cx * sy, sx, cx * cy];
}

/** 478 landmarks (irises centred in each eye opening) of `shape` (468 × xyz, cm) posed frontally at the frame centre. */
function project(shape: Float32Array, yaw: number, pitch: number, gaze: [number, number] = [0, 0]): Float32Array {
  const R = rotation(yaw, pitch);
  const pts = new Float32Array(478 * 3);
  pts.set(shape.subarray(0, 468 * 3));
  const iris = (eye: EyeIndices, set: (typeof IRIS_SETS)[number]) => {
    const p = (i: number, c: number) => shape[i * 3 + c]!;
    const cx = (p(eye.outer, 0) + p(eye.inner, 0)) / 2 + gaze[0], cy = (p(eye.upperMid, 1) + p(eye.lowerMid, 1)) / 2 + gaze[1];
    const cz = (p(eye.upperMid, 2) + p(eye.lowerMid, 2)) / 2, r = 0.2 * Math.abs(p(eye.inner, 0) - p(eye.outer, 0));
    const at = [[0, 0], [r, 0], [0, r], [-r, 0], [0, -r]];
    [set.centre, ...set.rim].forEach((id, k) => pts.set([cx + at[k]![0]!, cy + at[k]![1]!, cz], id * 3));
  };
  // Which iris set belongs to which eye does not matter: the mask matches them by distance.
  iris(RIGHT_EYE, IRIS_SETS[0]!);
  iris(LEFT_EYE, IRIS_SETS[1]!);
  const out = new Float32Array(478 * 3);
  for (let i = 0; i < 478; i++) {
    const x = pts[i * 3]!, y = pts[i * 3 + 1]!, z = pts[i * 3 + 2]!;
    out[i * 3] = (SCALE * (R[0]! * x + R[1]! * y + R[2]! * z) + W / 2) / W;
    out[i * 3 + 1] = (-SCALE * (R[3]! * x + R[4]! * y + R[5]! * z) + H / 2) / H;
    out[i * 3 + 2] = (-SCALE * (R[6]! * x + R[7]! * y + R[8]! * z)) / W;
  }
  return out;
}

function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}

/** C with both eyes closed by `closure` (1 = shut, negative = wider) and the jaw dropped by `mouthCm`. */
function deform(C: Float32Array, closure: number, mouthCm: number): Float32Array {
  const out = Float32Array.from(C);
  for (let i = 0; i < 468; i++) {
    out[i * 3 + 1] = out[i * 3 + 1]! - mouthCm * smoothstep(-4.1, -4.5, C[i * 3 + 1]!) * (1 - smoothstep(4, 7, Math.abs(C[i * 3]!)));
  }
  for (const eye of [LEFT_EYE, RIGHT_EYE]) {
    for (let k = 1; k < eye.upperLid.length - 1; k++) {
      const u = eye.upperLid[k]!, l = eye.lowerLid[k]!;
      for (let c = 0; c < 3; c++) out[u * 3 + c] = C[u * 3 + c]! + closure * (C[l * 3 + c]! - C[u * 3 + c]!);
    }
  }
  return out;
}

async function main(): Promise<RenderReport> {
  const face: CanonicalFace = parseCanonicalFace(new Uint8Array(await (await fetch('/models/geometry_pipeline_metadata_landmarks.binarypb')).arrayBuffer()));
  const C = Float32Array.from(face.vertices);
  const fileset = await FilesetResolver.forVisionTasks('/mediapipe');
  const model = new Uint8Array(await (await fetch('/models/face_landmarker.task')).arrayBuffer());
  const landmarker = await FaceLandmarker.createFromOptions(fileset, {
    baseOptions: { modelAssetBuffer: model, delegate: 'CPU' },
    runningMode: 'IMAGE',
    numFaces: 1,
    outputFacialTransformationMatrixes: true,
  });
  const canvas = new OffscreenCanvas(W, H);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const input = (landmarks: Float32Array, timeMs: number) => ({ image: new ImageData(1, 1), faces: [{ landmarks, matrix: null }], width: W, height: H, timeMs, unlandmarked: [] });
  /** Renders `shape` after SETTLE_FRAMES of C at the same pose; returns what MediaPipe reads. */
  const renderAndRead = (shape: Float32Array, yaw: number, pitch: number, gaze: [number, number] = [0, 0]) => {
    const renderer = new DigitalMaskRenderer(face);
    const rest = project(C, yaw, pitch);
    for (let f = 0; f < SETTLE_FRAMES; f++) renderer.render(input(rest, f * 33)).close();
    const landmarks = project(shape, yaw, pitch, gaze);
    const bitmap = renderer.render(input(landmarks, SETTLE_FRAMES * 33));
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
    const result = landmarker.detect(ctx.getImageData(0, 0, W, H));
    const points = result.faceLandmarks[0];
    const asked = mediapipeSignals(landmarks, W, H).signals;
    if (!points) return { asked, read: null, pose: null };
    const flat = new Float32Array(points.length * 3);
    points.forEach((q, j) => flat.set([q.x, q.y, q.z], j * 3));
    const matrix = result.facialTransformationMatrixes?.[0]?.data;
    return { asked, read: mediapipeSignals(flat, W, H).signals, pose: matrix ? anglesFromMediapipeMatrix(matrix) ?? null : null };
  };

  const report: RenderReport = { pose: [], eyes: [], mouth: [], irisX: [], irisY: [], png: '' };
  for (const [yaw, pitch] of [[0, 0], [0, -10], [0, 10], [0, 20], [15, 0], [-15, 0], [12, -8]] as const) {
    const r = renderAndRead(C, yaw, pitch);
    report.pose.push({ yaw, pitch, read: r.pose ? { yaw: r.pose.yaw, pitch: r.pose.pitch, roll: r.pose.roll } : null });
  }
  for (const [yaw, pitch] of [[0, 0], [12, -8], [-10, 6]] as const) {
    for (const closure of [-0.8, -0.4, 0, 0.15, 0.3, 0.5, 0.7, 0.85, 1]) {
      const r = renderAndRead(deform(C, closure, 0), yaw, pitch);
      report.eyes.push({ yaw, pitch, input: (r.asked.eye_aperture_left! + r.asked.eye_aperture_right!) / 2, left: r.read?.eye_aperture_left ?? null, right: r.read?.eye_aperture_right ?? null });
    }
    // Gaze: both irises shifted by the same cm (x toward the person's left, y up).
    for (const dx of [-0.4, -0.2, 0, 0.2, 0.4]) {
      const r = renderAndRead(C, yaw, pitch, [dx, 0]);
      report.irisX.push({ yaw, pitch, input: (r.asked.iris_x_left! + r.asked.iris_x_right!) / 2, left: r.read?.iris_x_left ?? null, right: r.read?.iris_x_right ?? null });
    }
    for (const dy of [-0.15, -0.08, 0, 0.08, 0.15]) {
      const r = renderAndRead(C, yaw, pitch, [0, dy]);
      report.irisY.push({ yaw, pitch, input: (r.asked.iris_y_left! + r.asked.iris_y_right!) / 2, left: r.read?.iris_y_left ?? null, right: r.read?.iris_y_right ?? null });
    }
    for (const cm of [0, 0.3, 0.6, 1, 1.5]) {
      const r = renderAndRead(deform(C, 0, cm), yaw, pitch);
      report.mouth.push({ yaw, pitch, input: r.asked.mouth_open!, left: r.read?.mouth_open ?? null, right: null });
    }
  }
  // One frontal render for a person to look at.
  const renderer = new DigitalMaskRenderer(face);
  const bitmap = renderer.render(input(project(C, 0, 0), 0));
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  report.png = await new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.readAsDataURL(blob);
  });
  landmarker.close();
  return report;
}

(window as unknown as { measureMaskRender: typeof main }).measureMaskRender = main;
