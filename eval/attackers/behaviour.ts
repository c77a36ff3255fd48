/**
 * Behaviour linkage: the mask keeps how a person moves (pose, gaze, lids, blinks, expressions),
 * so someone holding many masked recordings may link them by HOW the face moves (DESIGN.md
 * §"Leak channels": mask-to-mask linkage across calls). Features of motion over a window of a
 * clip, from the MediaPipe signals measured on the output (docs/eval.md §Attackers):
 *
 *   per signal (yaw, pitch, roll, each eye's aperture and iris x/y, mouth opening, mouth and brow
 *   asymmetry): mean and standard deviation; mean absolute frame-to-frame change of yaw, pitch and
 *   roll (how fast the head moves); blinks per minute; the share of frames with a face.
 *
 * Each clip is cut into WINDOWS equal parts; the attacker's gallery is the first half of every
 * clip, the probes the second half. The attacker learns from its gallery which features tell
 * people apart: features are z-scored on the gallery and weighted by their Fisher ratio (variance
 * between people's means / variance between windows of one person, from the gallery's windows),
 * and identities are ranked by the weighted Euclidean distance. With one clip per person this links two halves of ONE session: an upper bound for
 * linking two sessions of one person, which this data cannot measure (docs/eval.md says what would).
 */
import { blinkEvents } from '../metrics/blink';
import { euclidean, scoreByDistance, type Labelled, type ScoredProbe } from '../metrics/reid';
import { zscore, zscoreFit } from '../metrics/linalg';
import type { FrameSignal, FrameSignals } from '../measure/signals';

export const WINDOWS = 4;

const STAT_SIGNALS: FrameSignal[] = [
  'yaw', 'pitch', 'roll', 'eye_aperture_left', 'eye_aperture_right', 'iris_x_left', 'iris_x_right',
  'iris_y_left', 'iris_y_right', 'mouth_open', 'mouth_asymmetry', 'brow_asymmetry',
];
const SPEED_SIGNALS: FrameSignal[] = ['yaw', 'pitch', 'roll'];

export const FEATURE_NAMES = [
  ...STAT_SIGNALS.flatMap((s) => [`${s} mean`, `${s} sd`]),
  ...SPEED_SIGNALS.map((s) => `${s} speed`),
  'blinks per minute',
  'face found',
];

const ok = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Motion features of a run of frames (null = no face on that frame). NaN where not measurable. */
export function motionFeatures(frames: readonly (FrameSignals | null)[], fps: number): number[] {
  const out: number[] = [];
  for (const s of STAT_SIGNALS) {
    const v = frames.map((f) => f?.[s]).filter(ok);
    const m = v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
    const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : NaN;
    out.push(m, sd);
  }
  for (const s of SPEED_SIGNALS) {
    let sum = 0;
    let n = 0;
    for (let i = 1; i < frames.length; i++) {
      const a = frames[i - 1]?.[s];
      const b = frames[i]?.[s];
      if (ok(a) && ok(b)) {
        sum += Math.abs(b - a);
        n++;
      }
    }
    out.push(n ? (sum / n) * fps : NaN);
  }
  const found = frames.filter((f) => f && ok(f.eye_aperture_left)).length;
  const minutes = frames.length / fps / 60;
  const blinks = found ? blinkEvents(frames.map((f) => f?.eye_aperture_left ?? null), frames.map((f) => f?.eye_aperture_right ?? null)).length : NaN;
  out.push(minutes > 0 ? blinks / minutes : NaN);
  out.push(frames.length ? found / frames.length : NaN);
  return out;
}

export interface SignalTrack {
  label: string;
  fps: number;
  /** per frame: the signals of the person's face on this output, or null */
  frames: readonly (FrameSignals | null)[];
}

/** The clip's WINDOWS parts' features, in order. */
export function windowFeatures(track: SignalTrack, windows = WINDOWS): number[][] {
  const n = track.frames.length;
  return Array.from({ length: windows }, (_, w) => motionFeatures(track.frames.slice(Math.floor((w * n) / windows), Math.floor(((w + 1) * n) / windows)), track.fps));
}

/**
 * Gallery: the first half of the windows of every gallery track; probes: the second half of every
 * probe track (same labels = same person). A feature NaN on a window counts as the gallery's mean.
 */
export function behaviourScores(gallery: readonly SignalTrack[], probes: readonly SignalTrack[], windows = WINDOWS): ScoredProbe[] {
  const half = Math.floor(windows / 2);
  const g = gallery.flatMap((t) => windowFeatures(t, windows).slice(0, half).map((f) => ({ label: t.label, f })));
  const p = probes.flatMap((t) => windowFeatures(t, windows).slice(half).map((f) => ({ label: t.label, f })));
  if (!g.length || !p.length) return [];
  // z-score on the gallery, a missing value (a window without a face) standing at the mean
  const means = FEATURE_NAMES.map((_, j) => meanOf(g.map((y) => y.f[j]!)));
  const fit = zscoreFit(g.map((x) => x.f.map((v, j) => (Number.isFinite(v) ? v : means[j]!))));
  const weights = fisherWeights(g.map((x) => ({ label: x.label, z: zscore(x.f, fit) })));
  const weigh = (f: number[]) => Float64Array.from(zscore(f, fit), (v, j) => v * Math.sqrt(weights[j]!));
  const gz: Labelled[] = g.map((x) => ({ label: x.label, vec: weigh(x.f) }));
  return scoreByDistance(gz, p.map((x) => ({ label: x.label, vec: weigh(x.f) })), euclidean);
}

/**
 * Per feature: variance of the people's mean / mean variance within a person (over the gallery's
 * windows), capped at 100; a feature that does not vary within anyone gets the cap when it varies
 * between people, 0 when it does not.
 */
export function fisherWeights(rows: readonly { label: string; z: ArrayLike<number> }[]): number[] {
  const groups = new Map<string, ArrayLike<number>[]>();
  for (const r of rows) {
    let g = groups.get(r.label);
    if (!g) groups.set(r.label, (g = []));
    g.push(r.z);
  }
  const d = rows[0]?.z.length ?? 0;
  const out: number[] = [];
  for (let j = 0; j < d; j++) {
    const personMeans: number[] = [];
    let within = 0;
    let withinN = 0;
    for (const g of groups.values()) {
      const m = g.reduce((s, z) => s + z[j]!, 0) / g.length;
      personMeans.push(m);
      if (g.length > 1) {
        within += g.reduce((s, z) => s + (z[j]! - m) ** 2, 0) / (g.length - 1);
        withinN++;
      }
    }
    const mm = personMeans.reduce((a, b) => a + b, 0) / Math.max(1, personMeans.length);
    const between = personMeans.reduce((s, m) => s + (m - mm) ** 2, 0) / Math.max(1, personMeans.length - 1);
    const w = withinN ? within / withinN : 0;
    out.push(between <= 1e-12 ? 0 : w <= 1e-12 ? 100 : Math.min(100, between / w));
  }
  return out;
}

function meanOf(v: number[]): number {
  const f = v.filter(Number.isFinite);
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : 0;
}
