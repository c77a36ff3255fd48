/**
 * The read-out's state over one camera stream: each frame's measurement (eye-geometry.ts) →
 * smoothed numbers in the clinician's units, blink count and the last TRACE_S seconds of gaze.
 * Only eye and head movement come out: the mm scale (the iris) stays inside, and nothing about
 * the face's size, shape or colour is kept (docs/readout.md §Privacy).
 */
import { BlinkCounter, RunningMedian, type BlinkCount } from './blink-counter';
import { FaceGeometry, IRIS_DIAMETER_MM, type FaceReading, type HeadPose, type PoseReference } from './eye-geometry';
import { OneEuroFilter, type OneEuroParams } from './one-euro';

/** Seconds of gaze the trace shows. */
export const TRACE_S = 5;
/** The iris ruler is the median of the last this many seconds of open-eye iris sizes. */
export const SCALE_WINDOW_S = 10;

/** Filter parameters (docs/readout.md §Smoothing): degrees, millimetres. */
export const GAZE_FILTER: OneEuroParams = { minCutoff: 1, beta: 0.4, dCutoff: 1 };
export const LID_FILTER: OneEuroParams = { minCutoff: 1.5, beta: 1, dCutoff: 1 };
export const HEAD_FILTER: OneEuroParams = { minCutoff: 1, beta: 0.05, dCutoff: 1 };

export interface EyeView {
  /** degrees (see EyeReading) */
  gazeH: number;
  gazeV: number;
  /** millimetres */
  mrd1: number;
  fissure: number;
}

export interface TraceSample {
  t: number;
  right: { h: number; v: number };
  left: { h: number; v: number };
}

/** What the panel draws. */
export interface ReadoutView {
  /** 'one': the numbers below are this frame's face; 'many': more than one face, nothing measured. */
  faces: 'one' | 'many';
  right: EyeView;
  left: EyeView;
  head: HeadPose;
  blinks: BlinkCount;
  /** Gaze over the last TRACE_S seconds, oldest first; `now` is the newest sample's time. */
  trace: readonly TraceSample[];
  now: number;
}

class EyeFilters {
  private readonly h = new OneEuroFilter(GAZE_FILTER);
  private readonly v = new OneEuroFilter(GAZE_FILTER);
  private readonly mrd1 = new OneEuroFilter(LID_FILTER);
  private readonly fissure = new OneEuroFilter(LID_FILTER);

  apply(e: FaceReading['right'], mm: number, t: number): EyeView {
    return { gazeH: this.h.filter(e.gazeH, t), gazeV: this.v.filter(e.gazeV, t), mrd1: this.mrd1.filter(e.mrd1 * mm, t), fissure: this.fissure.filter(e.fissure * mm, t) };
  }
}

const NO_EYE: EyeView = { gazeH: NaN, gazeV: NaN, mrd1: NaN, fissure: NaN };

export class Readout {
  private readonly geometry: FaceGeometry;
  private eyes = { right: new EyeFilters(), left: new EyeFilters() };
  private head = { yaw: new OneEuroFilter(HEAD_FILTER), pitch: new OneEuroFilter(HEAD_FILTER), roll: new OneEuroFilter(HEAD_FILTER) };
  private readonly blinks = new BlinkCounter();
  private readonly iris = new RunningMedian(SCALE_WINDOW_S);
  private trace: TraceSample[] = [];
  private last: ReadoutView | null = null;

  constructor(reference: PoseReference) {
    this.geometry = new FaceGeometry(reference);
  }

  /** One frame: its faces' landmarks (normalized to width × height) at time `t` (s). */
  update(faces: readonly { landmarks: ArrayLike<number> }[], width: number, height: number, t: number): ReadoutView {
    const reading = faces.length === 1 ? this.geometry.measure(faces[0]!.landmarks, width, height) : null;
    if (!reading) return this.view(faces.length > 1 ? 'many' : 'one', t);
    for (const eye of [reading.right, reading.left]) if (Number.isFinite(eye.gazeH) && Number.isFinite(eye.irisDiameter)) this.iris.add(t, eye.irisDiameter);
    const mm = IRIS_DIAMETER_MM / this.iris.value;
    const right = this.eyes.right.apply(reading.right, mm, t);
    const left = this.eyes.left.apply(reading.left, mm, t);
    const head = { yaw: this.head.yaw.filter(reading.head.yaw, t), pitch: this.head.pitch.filter(reading.head.pitch, t), roll: this.head.roll.filter(reading.head.roll, t) };
    const blinks = this.blinks.update(reading.right.fissure, reading.left.fissure, t);
    this.trace.push({ t, right: { h: right.gazeH, v: right.gazeV }, left: { h: left.gazeH, v: left.gazeV } });
    this.trace = this.trace.filter((s) => s.t > t - TRACE_S);
    this.last = { faces: 'one', right, left, head, blinks, trace: this.trace, now: t };
    return this.last;
  }

  private view(faces: ReadoutView['faces'], t: number): ReadoutView {
    const blinks = this.last?.blinks ?? { count: 0, perMinute: NaN, closed: false };
    const head = { yaw: NaN, pitch: NaN, roll: NaN };
    return { faces, right: NO_EYE, left: NO_EYE, head, blinks, trace: this.trace.filter((s) => s.t > t - TRACE_S), now: t };
  }

  /** A new camera stream: nothing of the last one is kept. */
  reset(): void {
    this.eyes = { right: new EyeFilters(), left: new EyeFilters() };
    this.head = { yaw: new OneEuroFilter(HEAD_FILTER), pitch: new OneEuroFilter(HEAD_FILTER), roll: new OneEuroFilter(HEAD_FILTER) };
    this.blinks.reset();
    this.iris.clear();
    this.trace = [];
    this.last = null;
  }
}
