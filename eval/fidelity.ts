/**
 * Clinical fidelity of one clip for one style: the per-frame measurements on the original frames
 * and on the style's output frames → per-signal series → Pearson r, pose MAE, blink F1, and the
 * share of output frames where a face is found.
 *
 * Which face: on the original frame, the largest one (the patient in front of the camera); on the
 * output frame, the face whose box centre is nearest to it (within half its size). Frames where
 * either has no face are left out of r and MAE; blinks are detected on each series on its own.
 */
import { blinkEvents, matchEvents, type EventMatch } from './metrics/blink';
import { angleMae, pairedCount, pearson, type Series } from './metrics/stats';
import { FRAME_SIGNALS, POSE_SIGNALS, type FrameSignal, type MeasuredFace, type SignalName } from './measure/signals';
import { markFidelity, type Mark } from './goals';

export type Source = 'mediapipe' | 'faceapi';
export type Metric = 'pearson_r' | 'mae_deg' | 'f1';

export interface FidelityRow {
  style: string;
  clip: string;
  signal: SignalName;
  value: number | null;
  metric: Metric;
  source: Source;
  /** frames (or, for blinks, original events) the figure rests on */
  n: number;
  mark: Mark;
  note?: string;
  /** blink event counts */
  events?: { original: number; masked: number; tp: number };
}

/** Per frame: the faces found, or null when the frame was not measured. */
export type FaceTrack = (MeasuredFace[] | null)[];

const area = (f: MeasuredFace) => f.box[2] * f.box[3];
const centre = (f: MeasuredFace): [number, number] => [f.box[0] + f.box[2] / 2, f.box[1] + f.box[3] / 2];

export function primaryFaces(original: FaceTrack): (MeasuredFace | null)[] {
  return original.map((faces) => (faces?.length ? faces.reduce((a, b) => (area(b) > area(a) ? b : a)) : null));
}

/** The output frame's face that matches the original's primary face. */
export function matchFaces(primary: (MeasuredFace | null)[], output: FaceTrack): (MeasuredFace | null)[] {
  return output.map((faces, i) => {
    if (!faces?.length) return null;
    const p = primary[i];
    if (!p) return faces.reduce((a, b) => (area(b) > area(a) ? b : a));
    const [px, py] = centre(p);
    const limit = 0.5 * Math.max(p.box[2], p.box[3]);
    let best: MeasuredFace | null = null;
    let bestD = Infinity;
    for (const f of faces) {
      const [x, y] = centre(f);
      const d = Math.hypot(x - px, y - py);
      if (d < bestD) {
        bestD = d;
        best = f;
      }
    }
    return bestD <= limit ? best : null;
  });
}

export function series(faces: (MeasuredFace | null)[], signal: FrameSignal): Series {
  return faces.map((f) => (f ? (f.signals[signal] ?? null) : null));
}

function variance(s: Series): number {
  const v = s.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (v.length < 2) return 0;
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - m) * (b - m), 0) / v.length;
}

export interface ClipFidelity {
  rows: FidelityRow[];
  /**
   * rate: output frames with a face found / frames whose ORIGINAL has a face (to this landmarker;
   * a face it cannot see on the camera frame cannot be asked of the mask), n: those frames;
   * rateAll: output frames with a face / all frames measured (nAll).
   */
  detected: { rate: number | null; n: number; rateAll: number | null; nAll: number };
  /** the series themselves, for the report's plots */
  series: Record<FrameSignal, { original: Series; masked: Series }>;
  blinks: { original: number[]; masked: number[] };
}

export function clipFidelity(
  style: string,
  clip: string,
  source: Source,
  original: FaceTrack,
  output: FaceTrack,
  /** blink matching tolerance in the track's own steps (±2 frames; fewer steps when sub-sampled) */
  blinkTolerance = 2,
): ClipFidelity {
  const prim = primaryFaces(original);
  const out = matchFaces(prim, output);
  const measured = output.filter((f) => f !== null).length;
  const found = output.filter((f) => f !== null && f.length > 0).length;
  let withOriginal = 0;
  let foundWithOriginal = 0;
  output.forEach((f, i) => {
    if (f === null || !original[i]?.length) return;
    withOriginal++;
    if (f.length > 0) foundWithOriginal++;
  });
  const rows: FidelityRow[] = [];
  const all = {} as ClipFidelity['series'];
  for (const signal of FRAME_SIGNALS) {
    const a = series(prim, signal);
    const b = series(out, signal);
    all[signal] = { original: a, masked: b };
    const n = pairedCount(a, b);
    const hasOriginal = a.some((v) => typeof v === 'number');
    if (!hasOriginal) continue; // this landmark set does not measure it (face-api: iris)
    const push = (metric: Metric, value: number, note?: string, forceMark?: Mark) => {
      const v = Number.isFinite(value) ? value : null;
      const row: FidelityRow = { style, clip, signal, value: v, metric, source, n, mark: forceMark ?? markFidelity(signal, metric, v) };
      if (note) row.note = note;
      rows.push(row);
    };
    if (n < 3) {
      const note = 'face not found on the output frames';
      if (POSE_SIGNALS.includes(signal)) push('mae_deg', NaN, note, 'fail');
      push('pearson_r', NaN, note, markFidelity(signal, 'pearson_r', 0) === 'n/a' ? 'n/a' : 'fail');
      continue;
    }
    if (POSE_SIGNALS.includes(signal)) push('mae_deg', angleMae(a, b));
    const r = pearson(a, b);
    if (Number.isFinite(r)) push('pearson_r', r);
    else if (variance(b) < 1e-18 && variance(a) > 0) push('pearson_r', 0, 'output signal constant: carries nothing of the original');
    else push('pearson_r', NaN, 'original signal constant');
  }
  // blinks
  const ev0 = blinkEvents(all.eye_aperture_left.original, all.eye_aperture_right.original);
  const ev1 = blinkEvents(all.eye_aperture_left.masked, all.eye_aperture_right.masked);
  const m: EventMatch = matchEvents(ev0, ev1, blinkTolerance);
  if (all.eye_aperture_left.original.some((v) => typeof v === 'number')) {
    const f1 = Number.isFinite(m.f1) ? m.f1 : null;
    const row: FidelityRow = {
      style,
      clip,
      signal: 'blink',
      value: f1,
      metric: 'f1',
      source,
      n: ev0.length,
      mark: markFidelity('blink', 'f1', f1),
      events: { original: ev0.length, masked: ev1.length, tp: m.tp },
    };
    if (f1 === null) row.note = 'no blink event on the original frames nor on the output (this landmarker saw none)';
    else if (!ev0.length) row.note = 'no blink event on the original frames';
    rows.push(row);
  }
  return {
    rows,
    detected: {
      rate: withOriginal ? foundWithOriginal / withOriginal : null,
      n: withOriginal,
      rateAll: measured ? found / measured : null,
      nAll: measured,
    },
    series: all,
    blinks: { original: ev0, masked: ev1 },
  };
}

/** For sub-sampled measurements: a track over the sampled frames only (same order as `frames`). */
export function sampledTrack(frames: readonly number[], at: (frame: number) => MeasuredFace[] | null | undefined): FaceTrack {
  return frames.map((f) => at(f) ?? null);
}
