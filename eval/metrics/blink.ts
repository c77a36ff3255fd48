/**
 * Blink events from eye-aperture series, and how well the masked frames' events match the
 * original's (F1 with a frame tolerance).
 *
 * Detection: each eye's aperture is divided by its own median over the clip (eyes are open most
 * of the time, and the mask's eye need not have the person's proportions); the frame's closure
 * value is the smaller of the two eyes (a wink is an eyelid event too). An event starts when it
 * drops below `enter` and ends when it rises above `exit` (hysteresis, so noise does not split one
 * blink in two); the event's frame is its onset, the first frame below `enter`. Not the deepest
 * frame: an eye that stays shut for several frames has no single deepest one (its readings differ
 * by noise), and matching such minima within ±2 frames counted real blinks as misses. Frames
 * without a face interrupt nothing and start nothing.
 */
import { median, type Series } from './stats';

/** Default closure threshold, fraction of the eye's median aperture. */
export const BLINK_ENTER = 0.6;
/** Default re-opening threshold. */
export const BLINK_EXIT = 0.75;

export interface BlinkOptions {
  /** closure threshold, fraction of the eye's median aperture (default BLINK_ENTER) */
  enter?: number;
  /** re-opening threshold (default BLINK_EXIT) */
  exit?: number;
}

const ok = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** The frame's closure value: the smaller eye's aperture over its clip median; NaN without a face. */
export function closureSeries(left: Series, right: Series): number[] {
  const ml = median(left.filter(ok));
  const mr = median(right.filter(ok));
  const n = Math.max(left.length, right.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const l = left[i];
    const r = right[i];
    const parts: number[] = [];
    if (ok(l) && ml > 0) parts.push(l / ml);
    if (ok(r) && mr > 0) parts.push(r / mr);
    out.push(parts.length ? Math.min(...parts) : NaN);
  }
  return out;
}

export function blinkEvents(left: Series, right: Series, opts: BlinkOptions = {}): number[] {
  const enter = opts.enter ?? BLINK_ENTER;
  const exit = opts.exit ?? BLINK_EXIT;
  const closure = closureSeries(left, right);
  const events: number[] = [];
  let inEvent = false;
  let onset = -1;
  for (let i = 0; i < closure.length; i++) {
    const s = closure[i]!;
    if (Number.isNaN(s)) continue;
    if (!inEvent) {
      if (s < enter) {
        inEvent = true;
        onset = i;
      }
    } else if (s > exit) {
      events.push(onset);
      inEvent = false;
    }
  }
  if (inEvent) events.push(onset);
  return events;
}

export interface EventMatch {
  tp: number;
  fp: number;
  fn: number;
  /** 2TP / (2TP + FP + FN); NaN when neither series has an event */
  f1: number;
  /** the reference events left unmatched (the FN) and the test events left unmatched (the FP) */
  missed: number[];
  extra: number[];
}

/**
 * One-to-one matching of `test` events to `reference` events within ±tolerance frames, closest
 * pairs first.
 */
export function matchEvents(reference: readonly number[], test: readonly number[], tolerance = 2): EventMatch {
  const pairs: [number, number, number][] = [];
  reference.forEach((r, i) =>
    test.forEach((t, j) => {
      const d = Math.abs(r - t);
      if (d <= tolerance) pairs.push([d, i, j]);
    }),
  );
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const usedR = new Set<number>();
  const usedT = new Set<number>();
  let tp = 0;
  for (const [, i, j] of pairs) {
    if (usedR.has(i) || usedT.has(j)) continue;
    usedR.add(i);
    usedT.add(j);
    tp++;
  }
  const fp = test.length - tp;
  const fn = reference.length - tp;
  const denom = 2 * tp + fp + fn;
  return {
    tp,
    fp,
    fn,
    f1: denom === 0 ? NaN : (2 * tp) / denom,
    missed: reference.filter((_, i) => !usedR.has(i)),
    extra: test.filter((_, j) => !usedT.has(j)),
  };
}
