import { describe, expect, it } from 'vitest';
import { BlinkCounter, RATE_MIN_S } from '../../../src/readout/blink-counter';
import { gaussian } from '../mask/synthetic-face';

const FPS = 30;
/** Lid gap of an eye blinking at the given onsets (s): 10 → 0.5 → 10 over 240 ms, with noise. */
function gapAt(t: number, onsets: readonly number[], noise: () => number): number {
  let g = 10;
  for (const o of onsets) {
    const x = t - o;
    if (x >= 0 && x <= 0.24) g = Math.min(g, 10 - 9.5 * Math.sin((Math.PI * x) / 0.24));
  }
  return g + 0.3 * noise();
}

describe('blink counter', () => {
  it('counts every blink once, at its onset, and gives blinks per minute', () => {
    const onsets = [2, 5.5, 9, 13, 17.2, 21, 25, 29.5];
    const noise = gaussian(3);
    const c = new BlinkCounter();
    const seen: number[] = [];
    let last = 0;
    let count = c.update(10, 10, 0);
    for (let i = 1; i < 32 * FPS; i++) {
      const t = i / FPS;
      const g = gapAt(t, onsets, noise);
      count = c.update(g, g + 0.2 * noise(), t);
      if (count.count > last) seen.push(t);
      last = count.count;
    }
    expect(count.count).toBe(onsets.length);
    seen.forEach((t, k) => expect(Math.abs(t - onsets[k]!)).toBeLessThan(0.1));
    expect(count.perMinute).toBeCloseTo((onsets.length * 60) / 32, 0);
  });

  it('a wink (one eye) is a blink; a half-closed squint held steady is not', () => {
    const c = new BlinkCounter();
    let n = 0;
    for (let i = 0; i < 10 * FPS; i++) {
      const t = i / FPS;
      const wink = t > 4 && t < 4.2 ? 1 : 10;
      n = c.update(10, wink, t).count;
    }
    expect(n).toBe(1);
    const s = new BlinkCounter();
    // The eyes narrow slowly to 70 % over 3 s and stay there: no blink.
    for (let i = 0; i < 20 * FPS; i++) {
      const t = i / FPS;
      const g = 10 - 3 * Math.min(1, Math.max(0, (t - 5) / 3));
      n = s.update(g, g, t).count;
    }
    expect(n).toBe(0);
  });

  it('no rate before enough time, and nothing after a reset', () => {
    const c = new BlinkCounter();
    expect(c.update(10, 10, 0).perMinute).toBeNaN();
    expect(c.update(10, 10, RATE_MIN_S / 2).perMinute).toBeNaN();
    c.update(1, 1, RATE_MIN_S / 2 + 0.03);
    expect(c.update(10, 10, RATE_MIN_S + 1).count).toBe(1);
    c.reset();
    expect(c.update(10, 10, 100)).toEqual({ count: 0, perMinute: NaN, closed: false });
  });
});
