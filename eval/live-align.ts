/**
 * Lining up what a live call page received with the clip the camera played (docs/eval.md §Live).
 * Pure code: the recording's timestamps and the measured signals in, a per-camera-frame track out.
 *
 * The fake camera plays the clip's frames one after another on a timer that keeps to its frame
 * grid on average (a late frame is followed by an early one); the extension keeps each frame's
 * capture timestamp and may drop frames. So a received frame's place on that grid (`cameraSteps`)
 * says how many camera frames lie between it and the first received one, but not which clip frame
 * the first one was (the camera's clock starts anywhere, and the clip loops). That offset comes
 * from the content: the one at which the received frames' head pose, lids and mouth agree best
 * with the camera's (mean Pearson r). Then each received frame's deviation from that count is
 * chosen by dynamic programming (Viterbi): a frame's cost is how far its measured signals are from
 * the camera frame's (each side z-scored on its own frames, mean squared), a change of deviation between two frames costs
 * TRANSITION per frame of change, and two received frames never show one camera frame — so a
 * camera timer that slips (a busy machine) and catches up is followed frame by frame, while a
 * stretch without a face (the placeholder at the start) keeps the timestamps' count. The range of
 * deviations is the drift figure (0/0: timestamps and clip agree end to end).
 */
import type { FaceTrack } from './fidelity';
import { primaryFaces } from './fidelity';
import { pearson } from './metrics/stats';
import type { FrameSignal, MeasuredFace } from './measure/signals';

const ALIGN_SIGNALS: FrameSignal[] = ['yaw', 'pitch', 'roll', 'eye_aperture_left', 'eye_aperture_right', 'mouth_open'];
const FRAME_SIGNALS: FrameSignal[] = [...ALIGN_SIGNALS, 'iris_x_left', 'iris_x_right', 'iris_y_left', 'iris_y_right'];
/** Largest deviation (camera frames) from the timestamps' count that the alignment may follow. */
export const MAX_DEVIATION = 30;
/** Cost of changing the deviation by one frame between two received frames (frame costs are ~0–2). */
export const TRANSITION = 0.05;

export interface Alignment {
  /** per received frame: camera frames since the first received one, from the timestamps */
  steps: number[];
  /** the camera frame the first received frame showed */
  offset: number;
  /** agreement (mean r) at the offset */
  r: number | null;
  /** per received frame: its deviation (frames) from offset + steps */
  shifts: number[];
  /** the smallest and largest deviation */
  drift: [number, number];
}

function agreement(camera: readonly (MeasuredFace | null)[], received: readonly (MeasuredFace | null)[], steps: readonly number[], offset: number, from = 0, to = received.length): number {
  const n = camera.length;
  const rs: number[] = [];
  for (const sig of ALIGN_SIGNALS) {
    const a: (number | null)[] = [];
    const b: (number | null)[] = [];
    for (let i = from; i < to; i++) {
      const c = camera[(((offset + steps[i]!) % n) + n) % n];
      a.push(c?.signals[sig] ?? null);
      b.push(received[i]?.signals[sig] ?? null);
    }
    const r = pearson(a, b);
    if (Number.isFinite(r)) rs.push(r);
  }
  return rs.length ? rs.reduce((x, y) => x + y, 0) / rs.length : NaN;
}

/**
 * Camera frames since the first received frame, for each received frame: the timestamps put on the
 * camera's frame grid (its phase: the circular mean of every timestamp's fraction of a frame, so no
 * single frame's jitter sets it), rounded, strictly increasing (two received frames are never one
 * camera frame).
 */
export function cameraSteps(timestamps: readonly number[], fps: number): number[] {
  if (!timestamps.length) return [];
  const t0 = timestamps[0]!;
  const pos = timestamps.map((ts) => ((ts - t0) / 1e6) * fps);
  let sx = 0;
  let sy = 0;
  for (const p of pos) {
    sx += Math.cos(2 * Math.PI * p);
    sy += Math.sin(2 * Math.PI * p);
  }
  const phase = Math.atan2(sy, sx) / (2 * Math.PI);
  const steps: number[] = [];
  for (const p of pos) {
    const k = Math.round(p - phase);
    steps.push(steps.length ? Math.max(steps[steps.length - 1]! + 1, k) : k);
  }
  const first = steps[0]!;
  return steps.map((k) => k - first);
}

export function align(timestamps: readonly number[], fps: number, cameraTrack: FaceTrack, receivedTrack: FaceTrack): Alignment {
  const n = cameraTrack.length;
  const steps = cameraSteps(timestamps, fps);
  const camera = primaryFaces(cameraTrack);
  const received = primaryFaces(receivedTrack);
  let offset = 0;
  let best = -Infinity;
  for (let o = 0; o < n; o++) {
    const r = agreement(camera, received, steps, o);
    if (r > best) {
      best = r;
      offset = o;
    }
  }
  const shifts = viterbi(camera, received, steps, offset);
  return {
    steps,
    offset,
    r: Number.isFinite(best) ? best : null,
    shifts,
    drift: [Math.min(0, ...shifts), Math.max(0, ...shifts)],
  };
}

/** Mean and SD of each alignment signal over the frames that have a face. */
function scaleOf(faces: readonly (MeasuredFace | null)[]): { mean: number; sd: number }[] {
  return FRAME_SIGNALS.map((s) => {
    const v = faces.map((f) => f?.signals[s]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    const mean = v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0;
    const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 1;
    return { mean, sd: sd > 1e-9 ? sd : 1 };
  });
}

/** Each frame's signals, z-scored with `scale` (null: no face). */
function features(faces: readonly (MeasuredFace | null)[], scale: { mean: number; sd: number }[]): (Float64Array | null)[] {
  return faces.map((f) => (f ? Float64Array.from(FRAME_SIGNALS, (s, j) => ((f.signals[s] ?? NaN) - scale[j]!.mean) / scale[j]!.sd) : null));
}

function frameCost(a: Float64Array | null, b: Float64Array | null): number {
  if (!a || !b) return 0;
  let sum = 0;
  let k = 0;
  for (let j = 0; j < a.length; j++) {
    const d = a[j]! - b[j]!;
    if (Number.isFinite(d)) {
      sum += d * d;
      k++;
    }
  }
  return k ? sum / k : 0;
}

/** Per received frame, the deviation from offset + steps that explains the content best (see the header). */
function viterbi(camera: readonly (MeasuredFace | null)[], received: readonly (MeasuredFace | null)[], steps: readonly number[], offset: number): number[] {
  const n = camera.length;
  const m = received.length;
  if (!m || !n) return [];
  // Each side z-scored on its own frames: a mask reads back with a bias and a gain of its own
  // (pitch −3°, lids a little open: docs/mask.md), and on the camera's scale that level
  // difference alone pulled the path onto whichever frames sat at the received level.
  const cam = features(camera, scaleOf(camera));
  const rec = features(received, scaleOf(received));
  const D = MAX_DEVIATION;
  const S = 2 * D + 1;
  const camAt = (i: number, d: number) => cam[(((offset + steps[i]! + d) % n) + n) % n] ?? null;
  let cost = Float64Array.from({ length: S }, (_, k) => frameCost(rec[0]!, camAt(0, k - D)) + 0.05 * Math.abs(k - D));
  const back: Int16Array[] = [];
  for (let i = 1; i < m; i++) {
    const next = new Float64Array(S).fill(Infinity);
    const from = new Int16Array(S);
    const gap = steps[i]! - steps[i - 1]!;
    for (let k = 0; k < S; k++) {
      const own = frameCost(rec[i]!, camAt(i, k - D));
      for (let j = 0; j < S; j++) {
        // strictly later camera frame than the previous received one
        if (gap + (k - D) - (j - D) < 1) continue;
        const c = cost[j]! + TRANSITION * Math.abs(k - j) + own;
        if (c < next[k]!) {
          next[k] = c;
          from[k] = j;
        }
      }
    }
    back.push(from);
    cost = next;
  }
  let k = 0;
  for (let j = 1; j < S; j++) if (cost[j]! < cost[k]! || (cost[j] === cost[k] && Math.abs(j - D) < Math.abs(k - D))) k = j;
  const out = new Array<number>(m);
  for (let i = m - 1; i >= 0; i--) {
    out[i] = k - D;
    if (i > 0) k = back[i - 1]![k]!;
  }
  return out;
}

/**
 * The received frames as a track over the camera's frames, for one loop of the clip starting at
 * received frame `from` (the first masked one): frame c holds what the page got for camera frame
 * c; null where nothing arrived for it.
 */
export function liveTrack(alignment: Alignment, receivedTrack: FaceTrack, from: number, n: number): { track: FaceTrack; covered: number } {
  const track: FaceTrack = new Array<MeasuredFace[] | null>(n).fill(null);
  let covered = 0;
  const start = alignment.steps[from];
  if (start === undefined) return { track, covered };
  for (let i = from; i < alignment.steps.length; i++) {
    if (alignment.steps[i]! - start >= n) break;
    const c = (((alignment.offset + alignment.steps[i]! + alignment.shifts[i]!) % n) + n) % n;
    if (track[c] !== null) continue;
    track[c] = receivedTrack[i] ?? [];
    covered++;
  }
  return { track, covered };
}
