import { describe, expect, it } from 'vitest';
import { OneEuroFilter } from '../../../src/readout/one-euro';
import { GAZE_FILTER, LID_FILTER } from '../../../src/readout/readout';
import { gaussian } from '../mask/synthetic-face';

const FPS = 30;
const run = (f: OneEuroFilter, signal: (t: number) => number, seconds: number, fps = FPS) =>
  Array.from({ length: Math.round(seconds * fps) }, (_, i) => ({ t: i / fps, x: signal(i / fps), y: f.filter(signal(i / fps), i / fps) }));
const sd = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
};
/** Amplitude of the `hz` component of (t, y) samples (least squares on sin and cos). */
function amplitudeAt(samples: { t: number; y: number }[], hz: number): number {
  let s = 0, c = 0;
  for (const p of samples) {
    s += p.y * Math.sin(2 * Math.PI * hz * p.t);
    c += p.y * Math.cos(2 * Math.PI * hz * p.t);
  }
  return (2 * Math.hypot(s, c)) / samples.length;
}

describe('One Euro filter with the read-out’s parameters', () => {
  it('a step: settles on the new value within a few frames, without overshoot', () => {
    const out = run(new OneEuroFilter(GAZE_FILTER), (t) => (t < 1 ? 0 : 10), 2);
    const after = out.filter((p) => p.t >= 1);
    expect(Math.max(...out.map((p) => p.y))).toBeLessThanOrEqual(10);
    // within 1° of the new value 200 ms (6 frames) after the step
    expect(after[6]!.y).toBeGreaterThan(9);
    expect(after.at(-1)!.y).toBeCloseTo(10, 1);
  });

  it('a 3 Hz ±5° nystagmus keeps its frequency and at least 4° of its amplitude, at 30 and at 15 frames/s', () => {
    for (const fps of [30, 15]) {
      const out = run(new OneEuroFilter(GAZE_FILTER), (t) => 5 * Math.sin(2 * Math.PI * 3 * t), 4, fps).filter((p) => p.t > 1);
      const a3 = amplitudeAt(out, 3);
      expect(a3).toBeGreaterThan(4);
      expect(a3).toBeLessThanOrEqual(5.05);
      expect(amplitudeAt(out, 2)).toBeLessThan(0.5);
      expect(amplitudeAt(out, 4)).toBeLessThan(0.5);
    }
  });

  it('steadies a still eye: landmark noise of 0.5° SD comes out at under 60 %', () => {
    const noise = gaussian(7);
    const n = Array.from({ length: 300 }, () => 0.5 * noise());
    const f = new OneEuroFilter(GAZE_FILTER);
    const out = n.map((x, i) => f.filter(x, i / FPS));
    expect(sd(out.slice(30))).toBeLessThan(0.6 * sd(n));
  });

  it('a blink (fissure 10 mm → 1 mm → 10 mm in 200 ms) still reaches below 40 % of the open fissure', () => {
    const blink = (t: number) => {
      const x = t - 1;
      if (x < 0 || x > 0.2) return 10;
      return 10 - 9 * Math.sin((Math.PI * x) / 0.2);
    };
    const out = run(new OneEuroFilter(LID_FILTER), blink, 2);
    expect(Math.min(...out.map((p) => p.y))).toBeLessThan(4);
  });

  it('restarts after a gap and passes NaN (a closed eye has no gaze)', () => {
    const f = new OneEuroFilter(GAZE_FILTER);
    f.filter(0, 0);
    f.filter(0, 0.033);
    expect(f.filter(NaN, 0.066)).toBeNaN();
    expect(f.filter(10, 0.1)).toBe(10);
    f.filter(10, 0.133);
    expect(f.filter(-5, 2)).toBe(-5);
  });
});
