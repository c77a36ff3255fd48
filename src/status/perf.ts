/**
 * Rolling figures of the masking pipeline over a short window: masked frames per second, the
 * worker's time per frame (landmarks + mask), and capture → masked-frame latency. Shown in the
 * popup so a patient (or a clinic's IT) can see the mask keeps up; nothing leaves the computer.
 */
export interface PerfFigures {
  fps: number;
  /** Median worker time per frame, ms. */
  maskMs: number;
  /** Median time from camera frame to masked frame, ms. */
  latencyMs: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export class PerfWindow {
  private maskMs: number[] = [];
  private latencyMs: number[] = [];
  private since: number;

  constructor(now: number) {
    this.since = now;
  }

  addMasked(maskMs: number, latencyMs: number): void {
    this.maskMs.push(maskMs);
    this.latencyMs.push(latencyMs);
  }

  /** The window's figures, then a fresh window; null when nothing was masked in it. */
  take(now: number): PerfFigures | null {
    const seconds = (now - this.since) / 1000;
    const figures =
      this.maskMs.length === 0 || seconds <= 0
        ? null
        : {
            fps: Math.round((this.maskMs.length / seconds) * 10) / 10,
            maskMs: Math.round(median(this.maskMs) * 10) / 10,
            latencyMs: Math.round(median(this.latencyMs) * 10) / 10,
          };
    this.maskMs = [];
    this.latencyMs = [];
    this.since = now;
    return figures;
  }
}
