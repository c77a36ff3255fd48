/**
 * The One Euro filter (Casiez, Roussel, Vogel, CHI 2012): a low-pass filter whose cutoff rises
 * with the signal's speed, so a still eye reads steady while a saccade, a nystagmus beat or a
 * blink passes with little lag. Parameters per quantity are in docs/readout.md §Smoothing.
 */
export interface OneEuroParams {
  /** Cutoff (Hz) when the signal is still: lower is steadier. */
  minCutoff: number;
  /** How much the cutoff rises per unit/s of speed: higher lags less on fast moves. */
  beta: number;
  /** Cutoff (Hz) of the speed estimate. */
  dCutoff: number;
}

/** A gap longer than this (s) between samples starts the filter afresh (the face was lost). */
export const ONE_EURO_RESTART_GAP_S = 0.5;

const alpha = (cutoff: number, dt: number) => {
  const tau = 1 / (2 * Math.PI * cutoff);
  return 1 / (1 + tau / dt);
};

export class OneEuroFilter {
  private x: number | null = null;
  private dx = 0;
  private t = 0;

  constructor(private readonly params: OneEuroParams) {}

  /** The filtered value of sample `value` taken at time `t` (s). NaN passes through and restarts. */
  filter(value: number, t: number): number {
    if (!Number.isFinite(value)) {
      this.x = null;
      return NaN;
    }
    const dt = t - this.t;
    if (this.x === null || !(dt > 0) || dt > ONE_EURO_RESTART_GAP_S) {
      this.x = value;
      this.dx = 0;
      this.t = t;
      return value;
    }
    const { minCutoff, beta, dCutoff } = this.params;
    const rawDx = (value - this.x) / dt;
    this.dx += alpha(dCutoff, dt) * (rawDx - this.dx);
    const cutoff = minCutoff + beta * Math.abs(this.dx);
    this.x += alpha(cutoff, dt) * (value - this.x);
    this.t = t;
    return this.x;
  }

  reset(): void {
    this.x = null;
  }
}
