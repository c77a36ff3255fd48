/**
 * Blinks, counted live from both eyes' lid gaps, with the eval's rule (eval/metrics/blink.ts,
 * docs/eval.md §Figures): each eye's gap over its own open gap (here the median of the last
 * BASELINE_S seconds, eyes being open most of the time), the frame's value the smaller eye's (a
 * wink counts); a blink starts below BLINK_ENTER and ends above BLINK_EXIT. Fed the unfiltered
 * gaps: no smoothing can erase a blink here.
 */
export const BLINK_ENTER = 0.6;
export const BLINK_EXIT = 0.75;
/** How far back the open-eye baseline looks (s). */
export const BASELINE_S = 10;
/** Blinks per minute are counted over this window (s), or since the start when shorter. */
export const RATE_WINDOW_S = 60;
/** No rate before this much time (s): one blink in two seconds is no rate. */
export const RATE_MIN_S = 10;

/** The median of the samples of the last `windowS` seconds. */
export class RunningMedian {
  private samples: { t: number; v: number }[] = [];

  constructor(private readonly windowS: number) {}

  add(t: number, v: number): void {
    this.samples.push({ t, v });
    while (this.samples.length && this.samples[0]!.t < t - this.windowS) this.samples.shift();
  }

  clear(): void {
    this.samples = [];
  }

  get value(): number {
    if (!this.samples.length) return NaN;
    const sorted = this.samples.map((s) => s.v).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  }
}

export interface BlinkCount {
  /** Blinks since the read-out started on this camera stream. */
  count: number;
  /** Blinks per minute over the last RATE_WINDOW_S, NaN before RATE_MIN_S of observation. */
  perMinute: number;
  /** The eyes are closed right now (inside a blink or held shut). */
  closed: boolean;
}

export class BlinkCounter {
  private readonly baselines = [new RunningMedian(BASELINE_S), new RunningMedian(BASELINE_S)] as const;
  private onsets: number[] = [];
  private total = 0;
  private inBlink = false;
  private start: number | null = null;

  /** One frame's lid gaps (any unit, the same every frame) at time `t` (s). */
  update(right: number, left: number, t: number): BlinkCount {
    this.start ??= t;
    const parts: number[] = [];
    [right, left].forEach((gap, i) => {
      if (!Number.isFinite(gap)) return;
      const base = this.baselines[i]!;
      base.add(t, gap);
      const open = base.value;
      if (open > 0) parts.push(gap / open);
    });
    if (parts.length) {
      const closure = Math.min(...parts);
      if (!this.inBlink && closure < BLINK_ENTER) {
        this.inBlink = true;
        this.total++;
        this.onsets.push(t);
      } else if (this.inBlink && closure > BLINK_EXIT) {
        this.inBlink = false;
      }
    }
    this.onsets = this.onsets.filter((o) => o >= t - RATE_WINDOW_S);
    const span = Math.min(RATE_WINDOW_S, t - this.start);
    return { count: this.total, perMinute: span >= RATE_MIN_S ? (this.onsets.length * 60) / span : NaN, closed: this.inBlink };
  }

  reset(): void {
    for (const b of this.baselines) b.clear();
    this.onsets = [];
    this.total = 0;
    this.inBlink = false;
    this.start = null;
  }
}
