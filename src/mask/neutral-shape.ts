/**
 * A robust running estimate of one person's neutral (resting) face shape N, in the pose-free
 * canonical frame: the per-coordinate median of a ring of samples taken from calm frames.
 *
 * The first-seconds trap (DESIGN §"The digital mask"): N starts from the person's own first frame
 * (forced sample), so the mask starts at the canonical face with no expression instead of at the
 * person's shape. Then calm frames are sampled quickly until N rests on NEUTRAL_SETTLED_SAMPLES of
 * them (their median outvotes a first frame caught mid-smile), and once a second afterwards. Once
 * settled, the median counts the settled N for every slot of the ring no slow sample has filled
 * yet, so N moves only when about NEUTRAL_MAX_SAMPLES / 2 seconds of slow samples outvote it: it
 * follows the landmarker's slow drift, not the face of the last few seconds. A moving N moves the
 * mask (D_t = P_t − N): while N followed each new sample, a one-sided smile held from the first
 * second of a call became N and left the mask, and the test clips' mouth and brow asymmetry
 * agreed at r 0.88 / 0.91 with the person's (0.999 with N held still; docs/mask.md, "A neutral
 * that holds still").
 */

/** Spacing of samples until N has settled: N rests on about 1.2 s of calm, not a moment. */
export const NEUTRAL_FAST_INTERVAL_MS = 150;
/** Spacing once settled: one per second, so the median window spans most of a minute ("slowly updated"). */
export const NEUTRAL_SLOW_INTERVAL_MS = 1000;
/** Ring size: the samples the median spans once settled (the settled N standing in for those not taken yet); odd, so the median is a real value. */
export const NEUTRAL_MAX_SAMPLES = 45;
/** Samples (the forced first one included) after which N has settled (and the expression gain is full): their median outvotes four odd ones. */
export const NEUTRAL_SETTLED_SAMPLES = 9;
/**
 * Spread of the samples around N (median over samples of their RMS distance to N, cm of the
 * canonical face, which is ~15.5 cm wide). Up to OK the samples agree (landmark jitter is ~0.05 cm);
 * at BAD they describe different faces (talking through every calm frame, a tracking mix-up), so
 * N is not trusted.
 */
export const NEUTRAL_SPREAD_OK_CM = 0.15;
export const NEUTRAL_SPREAD_BAD_CM = 0.45;
/**
 * Landmark jitter is fixed in pixels, so a small face's samples spread more in cm: the spread that
 * still counts as agreement is at least this many pixels (about 1.2 px of 3D jitter per point, with
 * room to spare).
 */
export const NEUTRAL_SPREAD_NOISE_FLOOR_PX = 2;

export class NeutralShape {
  /** The current estimate (valid once `initialized`). */
  readonly neutral: Float64Array;
  private readonly samples: Float64Array[] = [];
  private next = 0;
  private taken = 0;
  private lastSampleMs = -Infinity;
  private spreadCm = 0;
  private readonly column: Float64Array;
  /** N as it settled: the median's stand-in for the slow samples not taken yet. */
  private readonly settledNeutral: Float64Array;

  constructor(private readonly values: number) {
    this.neutral = new Float64Array(values);
    this.settledNeutral = new Float64Array(values);
    this.column = new Float64Array(NEUTRAL_MAX_SAMPLES);
  }

  get initialized(): boolean {
    return this.taken > 0;
  }

  /** Samples taken since the last reset (not capped by the ring). */
  get sampleCount(): number {
    return this.taken;
  }

  /** 0..1, how settled N is, for noise-free landmarks (see confidenceFor). */
  get confidence(): number {
    return this.confidenceFor(0);
  }

  /** 0..1, how many calm samples N rests on: 0 with only the forced first frame, 1 from NEUTRAL_SETTLED_SAMPLES on. */
  get settled(): number {
    return this.taken === 0 ? 0 : Math.min(1, (this.taken - 1) / (NEUTRAL_SETTLED_SAMPLES - 1));
  }

  /**
   * 0..1, how settled N is: grows with the number of calm samples (0 with only the forced first
   * frame) and falls when the samples disagree by more than `jitterCm` (the landmark jitter
   * expected at this face's size) or NEUTRAL_SPREAD_OK_CM, whichever is larger.
   */
  confidenceFor(jitterCm: number): number {
    if (this.taken === 0) return 0;
    const count = this.settled;
    const ok = Math.max(NEUTRAL_SPREAD_OK_CM, jitterCm);
    const spread = 1 - (this.spreadCm - ok) / (NEUTRAL_SPREAD_BAD_CM - NEUTRAL_SPREAD_OK_CM);
    return count * Math.min(1, Math.max(0, spread));
  }

  reset(): void {
    this.samples.length = 0;
    this.next = 0;
    this.taken = 0;
    this.lastSampleMs = -Infinity;
    this.spreadCm = 0;
    this.neutral.fill(0);
  }

  /**
   * Offers a pose-free shape. The first shape after a reset is always taken (N starts as the
   * person's own first frame); later ones only when `calm` and the sampling interval has passed.
   * Returns whether the shape was taken.
   */
  offer(shape: ArrayLike<number>, timeMs: number, calm: boolean): boolean {
    if (this.taken > 0) {
      if (!calm) return false;
      const interval = this.taken < NEUTRAL_SETTLED_SAMPLES ? NEUTRAL_FAST_INTERVAL_MS : NEUTRAL_SLOW_INTERVAL_MS;
      if (timeMs - this.lastSampleMs < interval) return false;
    }
    let slot = this.samples[this.next];
    if (!slot) {
      slot = new Float64Array(this.values);
      this.samples[this.next] = slot;
    }
    for (let i = 0; i < this.values; i++) slot[i] = shape[i]!;
    this.next = (this.next + 1) % NEUTRAL_MAX_SAMPLES;
    this.taken++;
    this.lastSampleMs = timeMs;
    this.recompute();
    if (this.taken === NEUTRAL_SETTLED_SAMPLES) this.settledNeutral.set(this.neutral);
    return true;
  }

  private recompute(): void {
    const n = this.samples.length;
    if (n === 1) {
      this.neutral.set(this.samples[0]!);
      this.spreadCm = 0;
      return;
    }
    // Samples taken since N settled: the most recent ones in the ring.
    const slowTaken = this.taken - NEUTRAL_SETTLED_SAMPLES;
    if (slowTaken > 0) {
      // The slow samples and the settled N for the rest of the ring.
      const slow = Math.min(slowTaken, NEUTRAL_MAX_SAMPLES);
      const col = this.column;
      for (let v = 0; v < this.values; v++) {
        for (let k = 0; k < slow; k++) col[k] = this.samples[(this.next - 1 - k + 2 * NEUTRAL_MAX_SAMPLES) % NEUTRAL_MAX_SAMPLES]![v]!;
        col.fill(this.settledNeutral[v]!, slow);
        this.neutral[v] = median(col);
      }
    } else {
      const col = this.column.subarray(0, n);
      for (let v = 0; v < this.values; v++) {
        for (let s = 0; s < n; s++) col[s] = this.samples[s]![v]!;
        this.neutral[v] = median(col);
      }
    }
    const col = this.column.subarray(0, n);
    // Spread: median over samples of the sample's RMS distance (per point) to N.
    const points = this.values / 3;
    for (let s = 0; s < n; s++) {
      const sample = this.samples[s]!;
      let sum = 0;
      for (let v = 0; v < this.values; v++) sum += (sample[v]! - this.neutral[v]!) ** 2;
      col[s] = Math.sqrt(sum / points);
    }
    this.spreadCm = median(col);
  }
}

/** Median of `a` (reordered in place): quickselect, average of the two middle values for even n. */
export function median(a: Float64Array): number {
  const n = a.length;
  const k = (n - 1) >> 1;
  select(a, k);
  const lower = a[k]!;
  if (n % 2 === 1) return lower;
  // After select, a[k+1..] are all ≥ a[k]: the upper middle is their minimum.
  let upper = Infinity;
  for (let i = k + 1; i < n; i++) if (a[i]! < upper) upper = a[i]!;
  return (lower + upper) / 2;
}

/** Hoare quickselect: puts the k-th smallest at a[k], smaller ones before it, larger after. */
function select(a: Float64Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}
