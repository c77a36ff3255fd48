import { describe, expect, it } from 'vitest';
import { angleMae, meanAbsError, median, pairedCount, pearson } from '../../../eval/metrics/stats';

describe('pearson', () => {
  it('is ±1 for exact linear relations, whatever the scale', () => {
    const x = [1, 2, 3, 4, 5];
    expect(pearson(x, x.map((v) => 3 * v + 7))).toBeCloseTo(1, 12);
    expect(pearson(x, x.map((v) => -0.5 * v))).toBeCloseTo(-1, 12);
  });

  it('matches a hand-computed value', () => {
    // x = 1,2,3 ; y = 1,3,2 → cov = 0.5·(…): r = 0.5
    expect(pearson([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 12);
  });

  it('uses only frames present in both series', () => {
    const a = [1, 2, null, 4, 5, 6];
    const b = [2, 4, 100, 8, undefined, 12];
    expect(pearson(a, b)).toBeCloseTo(1, 12);
    expect(pairedCount(a, b)).toBe(4);
  });

  it('is NaN for a constant series or fewer than 3 pairs', () => {
    expect(pearson([1, 2, 3, 4], [5, 5, 5, 5])).toBeNaN();
    expect(pearson([1, 2], [1, 2])).toBeNaN();
    expect(pearson([1, 2, 3], [NaN, NaN, 1])).toBeNaN();
  });
});

describe('errors', () => {
  it('mean absolute error', () => {
    expect(meanAbsError([1, 2, 3], [2, 2, 1])).toBeCloseTo(1);
    expect(meanAbsError([null], [1])).toBeNaN();
  });

  it('angle MAE wraps around ±180°', () => {
    expect(angleMae([179, -179], [-179, 179])).toBeCloseTo(2);
    expect(angleMae([10, 20], [13, 17])).toBeCloseTo(3);
  });

  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
