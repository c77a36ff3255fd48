import { describe, expect, it } from 'vitest';
import { behaviourScores, type SignalTrack } from '../../../eval/attackers/behaviour';
import { leaveOnePhotoOut, type ProbeSample } from '../../../eval/attackers/embedding-probe';
import { framingScores, geometryScores, type ShapeSample } from '../../../eval/attackers/geometry';
import { wilson } from '../../../eval/metrics/ci';
import { aucFromScores, rankOneFromScores, type ScoredProbe } from '../../../eval/metrics/reid';
import type { FrameSignals } from '../../../eval/measure/signals';
import { gauss, rng, shuffled } from '../../support/random';

/** The attack is at chance: chance lies inside the Wilson interval of its rank-1. */
function atChance(scored: ScoredProbe[]): boolean {
  const r = rankOneFromScores(scored);
  const [lo, hi] = wilson(r.rank1 * r.n, r.n);
  return lo <= r.chance && r.chance <= hi;
}

// ── embedding probe ─────────────────────────────────────────────────────────────────────
/**
 * 30 people, 4 "masked photos" each: the mask maps a person's 64-D identity through a fixed
 * random linear map and adds more noise than the identity's own spread, so a fixed recognizer
 * comparing to originals would fail, but identity is recoverable from masked images alone.
 */
function maskedEmbeddings(seed: number, people = 30, photos = 4, d = 64): ProbeSample[] {
  const r = rng(seed);
  const M = Array.from({ length: d }, () => Array.from({ length: d }, () => gauss(r) / Math.sqrt(d)));
  const out: ProbeSample[] = [];
  for (let p = 0; p < people; p++) {
    const id = Array.from({ length: d }, () => gauss(r));
    for (let k = 0; k < photos; k++) {
      const noisy = id.map((v) => v + 0.6 * gauss(r));
      out.push({ label: `p${p}`, fold: k, vec: M.map((row) => row.reduce((s, m, j) => s + m * noisy[j]!, 0)) });
    }
  }
  return out;
}

describe('embedding probe (trained on masked images, leave one photo out)', () => {
  for (const classifier of ['1-nn', 'logistic'] as const) {
    it(`${classifier}: recovers identity that the masked images carry`, () => {
      const scored = leaveOnePhotoOut(maskedEmbeddings(1), classifier);
      const r = rankOneFromScores(scored);
      expect(r.n).toBe(120);
      expect(r.identities).toBe(30);
      expect(r.rank1).toBeGreaterThan(0.8);
      expect(aucFromScores(scored)).toBeGreaterThan(0.95);
    });

    it(`${classifier}: stays at chance when the labels are shuffled`, () => {
      const r = rng(7);
      const s = maskedEmbeddings(2);
      const labels = shuffled(s.map((x) => x.label), r);
      const scored = leaveOnePhotoOut(s.map((x, i) => ({ ...x, label: labels[i]! })), classifier);
      expect(atChance(scored)).toBe(true);
      // (a shuffled set is slightly BELOW 0.5: a probe's true twins sit in other classes)
      expect(aucFromScores(scored)).toBeLessThan(0.55);
    });
  }

  it('never scores a probe with a classifier that saw it', () => {
    // a person with a single photo cannot be scored (leaving it out leaves nothing to learn it
    // from); b's second photo is scored by a classifier trained on a's and b's first ones only
    const s: ProbeSample[] = [
      { label: 'a', fold: 0, vec: [1, 0, 0] },
      { label: 'b', fold: 0, vec: [0, 1, 0] },
      { label: 'c', fold: 0, vec: [0, 0, 1] },
      { label: 'b', fold: 1, vec: [0, 1, 0.1] },
    ];
    const scored = leaveOnePhotoOut(s, '1-nn');
    expect(scored.map((x) => x.label)).toEqual(['b']);
    expect(rankOneFromScores(scored).rank1).toBe(1);
  });
});

// ── geometry ────────────────────────────────────────────────────────────────────────────
function rotation(yaw: number, pitch: number, roll: number): number[] {
  const [cy, sy, cp, sp, cr, sr] = [Math.cos(yaw), Math.sin(yaw), Math.cos(pitch), Math.sin(pitch), Math.cos(roll), Math.sin(roll)];
  // Ry · Rx · Rz
  const Ry = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
  const Rx = [1, 0, 0, 0, cp, -sp, 0, sp, cp];
  const Rz = [cr, -sr, 0, sr, cr, 0, 0, 0, 1];
  const mul = (a: number[], b: number[]) => Array.from({ length: 9 }, (_, k) => [0, 1, 2].reduce((s, j) => s + a[Math.floor(k / 3) * 3 + j]! * b[j * 3 + (k % 3)]!, 0));
  return mul(mul(Ry, Rx), Rz);
}

/** 20 people: each a fixed face shape (reference + 4 % of its size per point), seen at random poses, sizes and places. */
function shapes(seed: number, people = 20, photos = 3): { reference: number[]; samples: ShapeSample[][] } {
  const r = rng(seed);
  const reference = Array.from({ length: 468 * 3 }, () => gauss(r) * 5);
  const samples: ShapeSample[][] = [];
  for (let p = 0; p < people; p++) {
    const own = reference.map((v) => v + 0.2 * gauss(r));
    const photosOf: ShapeSample[] = [];
    for (let k = 0; k < photos; k++) {
      const R = rotation(0.4 * gauss(r), 0.2 * gauss(r), 0.2 * gauss(r));
      const s = 20 + 10 * r();
      const t = [300 * r(), 300 * r(), 50 * r()];
      const pts: number[] = [];
      for (let i = 0; i < 478; i++) {
        const q = i < 468 ? [own[i * 3]! + 0.05 * gauss(r), own[i * 3 + 1]! + 0.05 * gauss(r), own[i * 3 + 2]! + 0.05 * gauss(r)] : [0, 0, 0];
        for (let a = 0; a < 3; a++) pts.push(s * (R[a * 3]! * q[0]! + R[a * 3 + 1]! * q[1]! + R[a * 3 + 2]! * q[2]!) + t[a]!);
      }
      photosOf.push({ label: `p${p}`, points: pts });
    }
    samples.push(photosOf);
  }
  return { reference, samples };
}

describe('geometry attack (Procrustes-aligned landmarks)', () => {
  it('recovers a face shape seen at another pose, size and place', () => {
    const { reference, samples } = shapes(3);
    const scored = geometryScores(samples.map((s) => s[0]!), samples.flatMap((s) => s.slice(1)), reference);
    const r = rankOneFromScores(scored);
    expect(r.n).toBe(40);
    expect(r.rank1).toBeGreaterThan(0.9);
    expect(aucFromScores(scored)).toBeGreaterThan(0.95);
  });

  it('stays at chance when the probes are shuffled between people, and when no face is found', () => {
    const { reference, samples } = shapes(4);
    const probes = samples.flatMap((s) => s.slice(1));
    const labels = shuffled(probes.map((p) => p.label), rng(9));
    expect(atChance(geometryScores(samples.map((s) => s[0]!), probes.map((p, i) => ({ ...p, label: labels[i]! })), reference))).toBe(true);
    const none = geometryScores(samples.map((s) => s[0]!), probes.map((p) => ({ ...p, points: null })), reference);
    expect(rankOneFromScores(none).rank1).toBeCloseTo(1 / 20, 6);
  });
});

describe('framing attack (where and how big the face sits in the original face box)', () => {
  /** A generic face drawn at a size that follows each person's own face box by a personal factor. */
  function framed(seed: number, people = 20, photos = 3): ShapeSample[][] {
    const r = rng(seed);
    const generic = Array.from({ length: 478 * 3 }, (_, i) => (i % 3 === 2 ? 0 : r()));
    return Array.from({ length: people }, (_, p) => {
      const own = 0.8 + 0.4 * r();
      return Array.from({ length: photos }, () => {
        const box = { x: 500 * r(), y: 500 * r(), width: 100 + 100 * r(), height: 0 };
        box.height = box.width * 1.2;
        const s = box.width * own * (1 + 0.005 * gauss(r));
        const points = generic.map((v, i) => (i % 3 === 0 ? box.x + v * s : i % 3 === 1 ? box.y + v * s : 0));
        return { label: `p${p}`, points, box };
      });
    });
  }

  it('recovers a person from the size of a generic face in their own face box', () => {
    const s = framed(12);
    const r = rankOneFromScores(framingScores(s.map((x) => x[0]!), s.flatMap((x) => x.slice(1))));
    expect(r.rank1).toBeGreaterThan(0.5);
  });

  it('stays at chance when the sizes follow nobody', () => {
    const s = framed(13);
    const probes = s.flatMap((x) => x.slice(1));
    const labels = shuffled(probes.map((p) => p.label), rng(14));
    expect(atChance(framingScores(s.map((x) => x[0]!), probes.map((p, i) => ({ ...p, label: labels[i]! }))))).toBe(true);
  });
});

// ── behaviour ───────────────────────────────────────────────────────────────────────────
/** 12 people, one 20 s clip each: everyone holds the head at their own angle and blinks at their own rate. */
function clips(seed: number, people = 12, seconds = 20, fps = 30): SignalTrack[] {
  const r = rng(seed);
  return Array.from({ length: people }, (_, p) => {
    const yaw0 = 15 * gauss(r);
    const pitch0 = 8 * gauss(r);
    const sway = 1 + 4 * r();
    const blinkEvery = Math.round(fps * (2 + 4 * r()));
    const frames: FrameSignals[] = [];
    for (let i = 0; i < seconds * fps; i++) {
      const closed = i % blinkEvery < 4;
      const ap = closed ? 0.05 : 0.3 + 0.01 * gauss(r);
      frames.push({
        yaw: yaw0 + sway * Math.sin(i / 20) + 0.3 * gauss(r),
        pitch: pitch0 + 0.3 * gauss(r),
        roll: 0.3 * gauss(r),
        eye_aperture_left: ap,
        eye_aperture_right: ap,
        iris_x_left: 0.5 + 0.01 * gauss(r),
        iris_x_right: 0.5 + 0.01 * gauss(r),
        mouth_open: 0.05 + 0.01 * gauss(r),
      });
    }
    return { label: `p${p}`, fps, frames };
  });
}

describe('behaviour linkage (motion features over time)', () => {
  it('links the halves of a clip by how the person moves', () => {
    const t = clips(5);
    const scored = behaviourScores(t, t);
    const r = rankOneFromScores(scored);
    expect(r.n).toBe(24);
    expect(r.rank1).toBeGreaterThan(0.8);
  });

  it('stays at chance when the second halves belong to shuffled people', () => {
    const t = clips(6, 40);
    const labels = shuffled(t.map((x) => x.label), rng(11));
    const scored = behaviourScores(t, t.map((x, i) => ({ ...x, label: labels[i]! })));
    expect(atChance(scored)).toBe(true);
  });
});
