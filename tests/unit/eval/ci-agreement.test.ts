import { describe, expect, it } from 'vitest';
import { agreementOf, blandAltman, gazeHorizontalDeg, gazeVerticalDeg } from '../../../eval/metrics/agreement';
import { probesForHalfWidth, wilson } from '../../../eval/metrics/ci';
import { Pca, SoftmaxRegression, symmetricEigen } from '../../../eval/metrics/linalg';

describe('Wilson interval', () => {
  it('matches the published values and stays inside [0, 1]', () => {
    // Newcombe (1998), table I: 81/263 → 0.2553–0.3662; 0/10 → 0–0.2775
    const [a, b] = wilson(81, 263);
    expect(a).toBeCloseTo(0.2553, 3);
    expect(b).toBeCloseTo(0.3662, 3);
    const [c, d] = wilson(0, 10);
    expect(c).toBe(0);
    expect(d).toBeCloseTo(0.2775, 3);
    expect(wilson(10, 10)[1]).toBeCloseTo(1, 12);
    expect(wilson(1, 0)).toEqual([NaN, NaN]);
  });

  it('says how many probes a given precision needs', () => {
    const n = probesForHalfWidth(0.01, 0.02);
    const [lo, hi] = wilson(0.01 * n, n);
    expect((hi - lo) / 2).toBeLessThanOrEqual(0.02);
    const [lo2, hi2] = wilson(0.01 * (n - 1), n - 1);
    expect((hi2 - lo2) / 2).toBeGreaterThan(0.02);
  });
});

describe('gaze in degrees and Bland–Altman agreement', () => {
  it('maps the iris offset to the eye angle (eyeball radius 0.4 eye widths)', () => {
    expect(gazeHorizontalDeg(0.5)).toBeCloseTo(0, 9);
    expect(gazeHorizontalDeg(0.5 + 0.4 * Math.sin(Math.PI / 6))).toBeCloseTo(30, 6);
    expect(gazeHorizontalDeg(0.3)).toBeCloseTo(-30, 6);
    expect(gazeVerticalDeg(-0.2)).toBeCloseTo(30, 6); // iris above the corner line: looking up
    expect(gazeVerticalDeg(0.4)).toBeCloseTo(-90, 6);
    expect(gazeHorizontalDeg(2)).toBeCloseTo(90, 6); // clamped, not NaN
    expect(gazeHorizontalDeg(NaN)).toBeNaN();
  });

  it('gives the bias and 95 % limits of the differences, over frames measured in both', () => {
    const orig = [1, 2, 3, 4, null, 6];
    const out = [2, 3, 3.5, 6, 5, null];
    const a = blandAltman(orig, out);
    expect(a.n).toBe(4);
    const d = [1, 1, 0.5, 2];
    const m = 1.125;
    const sd = Math.sqrt(d.reduce((s, x) => s + (x - m) ** 2, 0) / 3);
    expect(a.bias).toBeCloseTo(m, 9);
    expect(a.sd).toBeCloseTo(sd, 9);
    expect(a.lo).toBeCloseTo(m - 1.96 * sd, 2);
    expect(a.hi).toBeCloseTo(m + 1.96 * sd, 2);
    expect(agreementOf([]).n).toBe(0);
  });
});

describe('linear algebra for the attackers', () => {
  it('symmetric eigen-decomposition reconstructs the matrix', () => {
    const a = Float64Array.from([4, 1, 2, 1, 3, 0, 2, 0, 5]);
    const { values, vectors } = symmetricEigen(a, 3);
    expect(values[0]).toBeGreaterThanOrEqual(values[1]!);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += vectors[i * 3 + k]! * values[k]! * vectors[j * 3 + k]!;
        expect(s).toBeCloseTo(a[i * 3 + j]!, 9);
      }
  });

  it('PCA whitens the training rows; softmax regression separates separable classes', () => {
    const rows = Array.from({ length: 40 }, (_, i) => [Math.cos(i), Math.sin(i * 1.3) * 3, i % 2 ? 5 : -5, (i * 7) % 3]);
    const pca = Pca.fit(rows, 4);
    const scores = rows.map((r) => pca.transform(r));
    for (let k = 0; k < pca.components; k++) {
      const v = scores.reduce((s, x) => s + x[k]! ** 2, 0) / (rows.length - 1);
      expect(v).toBeCloseTo(1, 6);
    }
    const labels = rows.map((r) => (r[2]! > 0 ? 'a' : 'b'));
    const lr = SoftmaxRegression.fit(scores, labels);
    const right = scores.filter((x, i) => {
      const s = lr.scores(x);
      return (s.get('a')! > s.get('b')! ? 'a' : 'b') === labels[i];
    }).length;
    expect(right).toBe(40);
  });
});
