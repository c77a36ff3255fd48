import { describe, expect, it } from 'vitest';
import { markDetected, markFidelity, markReid } from '../../../eval/goals';
import { reidRows, type ReidSample } from '../../../eval/reid';

const names = { faceapi: 'face-api', second: 'faceres' };

/** Person k's embedding: a one-hot-ish vector, plus a small per-photo offset. */
const vec = (k: number, j: number) => [k === 0 ? 1 : 0, k === 1 ? 1 : 0, k === 2 ? 1 : 0, 0.01 * j];

function samples(masked: (k: number, j: number) => number[]): ReidSample[] {
  const out: ReidSample[] = [];
  for (let k = 0; k < 3; k++)
    for (let j = 0; j < 3; j++) {
      const e = { faceapi: vec(k, j), second: vec(k, j) };
      const m = { faceapi: masked(k, j), second: masked(k, j) };
      out.push({ label: `p${k}`, role: j === 0 ? 'gallery' : 'probe', fold: j, emb: { none: e, digital: m }, obscured: { digital: false } });
    }
  return out;
}

describe('reidRows', () => {
  it('a mask that keeps the identity fails the goal; the baseline is not judged', () => {
    const rows = reidRows(samples(vec), ['none', 'digital'], 'ds', 'photo', names);
    // per style: 2 recognizers × (orig->mask, mask->mask, probe 1-NN, probe logistic)
    expect(rows).toHaveLength(2 * 2 * 4);
    for (const r of rows) {
      expect(r.rank1).toBe(1);
      expect(r.chance).toBeCloseTo(1 / 3);
      expect(r.n).toBe(r.attack === 'trained on masked' ? 9 : 6);
      expect(r.mark).toBe(r.style === 'none' ? 'n/a' : 'fail');
      expect(r.ci![0]).toBeGreaterThan(0.5);
      expect(r.ci![1]).toBeCloseTo(1, 9);
      expect(r).toMatchObject({ dataset: 'ds', kind: 'photo' });
    }
    expect(rows.map((r) => r.attack)).toContain('mask->mask');
    expect(rows.map((r) => r.attacker)).toContain('faceres probe logistic');
  });

  it('a mask that renders everyone the same scores chance and meets the goal', () => {
    const rows = reidRows(samples(() => [0.5, 0.5, 0.5, 0]), ['digital'], 'ds', 'video', names);
    const o2m = rows.find((r) => r.attack === 'orig->mask' && r.attacker === 'face-api')!;
    // equidistant from every gallery person: a three-way tie for every probe
    expect(o2m.rank1).toBeCloseTo(1 / 3);
    expect(o2m.mark).toBe('pass');
    const m2m = rows.find((r) => r.attack === 'mask->mask' && r.attacker === 'faceres')!;
    expect(m2m.rank1).toBeCloseTo(1 / 3); // a three-way tie for every probe
    expect(m2m.auc).toBeCloseTo(0.5);
  });
});

describe('goal marks', () => {
  it('follow DESIGN.md §Goals', () => {
    expect(markReid(0.12, 0.08)).toBe('pass');
    expect(markReid(0.14, 0.08)).toBe('fail');
    expect(markDetected(0.99)).toBe('pass');
    expect(markDetected(0.98)).toBe('fail');
    expect(markFidelity('eye_aperture_left', 'pearson_r', 0.95)).toBe('pass');
    expect(markFidelity('iris_y_right', 'pearson_r', 0.94)).toBe('fail');
    expect(markFidelity('blink', 'f1', 0.96)).toBe('pass');
    expect(markFidelity('yaw', 'mae_deg', 3.2)).toBe('fail');
    expect(markFidelity('brow_asymmetry', 'pearson_r', 0.9)).toBe('pass');
    expect(markFidelity('mouth_open', 'pearson_r', 0.1)).toBe('n/a');
    expect(markFidelity('yaw', 'pearson_r', 0.1)).toBe('n/a');
  });
});
