import { describe, expect, it } from 'vitest';
import { cosineDistance, euclidean, rankOne, rocAuc, verificationAuc, type Labelled } from '../../../eval/metrics/reid';
import { rng } from '../../support/random';

const randVec = (r: () => number, d: number) => Array.from({ length: d }, () => r() * 2 - 1);

describe('rankOne', () => {
  it('is 1 when every probe equals its own gallery embedding', () => {
    const r = rng(1);
    const gallery: Labelled[] = Array.from({ length: 10 }, (_, i) => ({ label: `p${i}`, vec: randVec(r, 16) }));
    const probes = gallery.flatMap((g) => [g, { ...g }]);
    const res = rankOne(gallery, probes);
    expect(res.rank1).toBe(1);
    expect(res.chance).toBeCloseTo(0.1);
    expect(res.n).toBe(20);
    expect(res.identities).toBe(10);
  });

  it('is about 1/N for random embeddings', () => {
    const r = rng(2);
    const N = 8;
    let sum = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const gallery = Array.from({ length: N }, (_, i) => ({ label: `p${i}`, vec: randVec(r, 8) }));
      const probes = Array.from({ length: N * 3 }, (_, k) => ({ label: `p${k % N}`, vec: randVec(r, 8) }));
      sum += rankOne(gallery, probes).rank1;
    }
    expect(sum / trials).toBeGreaterThan(1 / N - 0.03);
    expect(sum / trials).toBeLessThan(1 / N + 0.03);
  });

  it('scores exactly chance when every image gives the same embedding (a blank output)', () => {
    const gallery = ['a', 'b', 'c', 'd'].map((label) => ({ label, vec: [0, 0, 0] }));
    const probes = ['a', 'b', 'c', 'd', 'a'].map((label) => ({ label, vec: [0, 0, 0] }));
    expect(rankOne(gallery, probes).rank1).toBeCloseTo(0.25, 10);
  });

  it('uses the nearest of a person’s gallery embeddings and skips probes of unknown people', () => {
    const gallery = [
      { label: 'a', vec: [0, 0] },
      { label: 'a', vec: [10, 10] },
      { label: 'b', vec: [5, 5] },
    ];
    const probes = [
      { label: 'a', vec: [9, 9] }, // nearest is a's second embedding
      { label: 'b', vec: [5, 4] },
      { label: 'zz', vec: [0, 0] },
    ];
    const res = rankOne(gallery, probes);
    expect(res.rank1).toBe(1);
    expect(res.n).toBe(2);
  });
});

describe('rocAuc', () => {
  it('is 1 for perfectly separable scores and 0 when reversed', () => {
    const scores = [0.9, 0.8, 0.7, 0.3, 0.2, 0.1];
    const labels = [true, true, true, false, false, false];
    expect(rocAuc(scores, labels)).toBe(1);
    expect(rocAuc(scores.map((s) => -s), labels)).toBe(0);
  });

  it('is 0.5 for constant scores and about 0.5 for random ones', () => {
    expect(rocAuc([1, 1, 1, 1], [true, false, true, false])).toBe(0.5);
    const r = rng(3);
    const n = 4000;
    const scores = Array.from({ length: n }, () => r());
    const labels = Array.from({ length: n }, () => r() < 0.3);
    expect(Math.abs(rocAuc(scores, labels) - 0.5)).toBeLessThan(0.03);
  });

  it('matches a hand-computed value with a tie', () => {
    // positives 0.8, 0.4 ; negatives 0.4, 0.2 → pairs: (0.8>0.4) 1, (0.8>0.2) 1, (0.4=0.4) 0.5, (0.4>0.2) 1 → 3.5/4
    expect(rocAuc([0.8, 0.4, 0.4, 0.2], [true, true, false, false])).toBeCloseTo(0.875, 10);
  });

  it('is NaN without both classes', () => {
    expect(rocAuc([1, 2], [true, true])).toBeNaN();
  });
});

describe('verificationAuc and distances', () => {
  it('is 1 when same-person pairs are always closer', () => {
    const gallery = [
      { label: 'a', vec: [0, 0] },
      { label: 'b', vec: [10, 0] },
    ];
    const probes = [
      { label: 'a', vec: [1, 0] },
      { label: 'b', vec: [9, 0] },
    ];
    expect(verificationAuc(gallery, probes, euclidean)).toBe(1);
  });

  it('computes Euclidean and cosine distances', () => {
    expect(euclidean([0, 3], [4, 0])).toBe(5);
    expect(cosineDistance([1, 0], [2, 0])).toBeCloseTo(0);
    expect(cosineDistance([1, 0], [0, 5])).toBeCloseTo(1);
    expect(() => euclidean([1], [1, 2])).toThrow();
  });
});
