import { describe, expect, it } from 'vitest';
import { blinkEvents, matchEvents } from '../../../eval/metrics/blink';

/** Eye aperture 0.3 with blinks (dips to 0.03) centred at the given frames, 3 frames wide. */
function eye(n: number, blinks: number[], open = 0.3): number[] {
  const s = Array.from({ length: n }, () => open);
  for (const b of blinks) {
    s[b - 1] = open * 0.5;
    s[b] = open * 0.1;
    s[b + 1] = open * 0.5;
  }
  return s;
}

describe('blinkEvents', () => {
  it('finds each blink once, at its onset (first frame below the threshold)', () => {
    const l = eye(100, [20, 50, 80]);
    expect(blinkEvents(l, l)).toEqual([19, 49, 79]);
  });

  it('times an eye held shut by its onset, whichever of its closed frames reads deepest', () => {
    const shut = (deepest: number) => Array.from({ length: 40 }, (_, i) => (i >= 10 && i < 25 ? (i === deepest ? 0.02 : 0.04) : 0.3));
    expect(blinkEvents(shut(12), shut(12))).toEqual([10]);
    expect(blinkEvents(shut(23), shut(23))).toEqual([10]);
  });

  it('normalises each eye by its own median (a mask eye of another size blinks the same)', () => {
    expect(blinkEvents(eye(60, [30], 0.05), eye(60, [30], 0.9))).toEqual([29]);
  });

  it('counts a wink of one eye', () => {
    expect(blinkEvents(eye(60, [10]), eye(60, []))).toEqual([9]);
  });

  it('ignores frames without a face and small wobble', () => {
    const l: (number | null)[] = eye(60, [40]).map((v, i) => (i % 7 === 0 ? null : v * (1 + 0.05 * Math.sin(i))));
    expect(blinkEvents(l, l)).toEqual([39]);
    expect(blinkEvents([null, null], [null, null])).toEqual([]);
  });

  it('does not split a blink that flickers around the threshold (hysteresis)', () => {
    const s = [1, 1, 1, 0.5, 0.65, 0.4, 0.7, 1, 1, 1];
    expect(blinkEvents(s, s)).toEqual([3]);
  });
});

describe('matchEvents', () => {
  it('matches within ±2 frames, not beyond', () => {
    expect(matchEvents([10, 20, 30], [12, 18, 33], 2)).toEqual({ tp: 2, fp: 1, fn: 1, f1: 4 / 6, missed: [30], extra: [33] });
  });

  it('matches one to one', () => {
    const m = matchEvents([10], [9, 11], 2);
    expect(m.tp).toBe(1);
    expect(m.fp).toBe(1);
    expect(m.f1).toBeCloseTo(2 / 3);
  });

  it('prefers the closest pairs', () => {
    // 11 could take 10 or 12; closest-first gives 10↔10 and 12↔11 → both matched
    expect(matchEvents([10, 12], [10, 11], 2).tp).toBe(2);
  });

  it('is 1 for identical events, 0 when nothing matches, NaN with no events at all', () => {
    expect(matchEvents([5, 50], [5, 50]).f1).toBe(1);
    expect(matchEvents([5], []).f1).toBe(0);
    expect(matchEvents([], [7]).f1).toBe(0);
    expect(matchEvents([], []).f1).toBeNaN();
  });
});
