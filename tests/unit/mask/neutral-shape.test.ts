import { describe, expect, it } from 'vitest';
import {
  NEUTRAL_FAST_INTERVAL_MS,
  NEUTRAL_MAX_SAMPLES,
  NEUTRAL_SETTLED_SAMPLES,
  NEUTRAL_SLOW_INTERVAL_MS,
  NeutralShape,
  median,
} from '../../../src/mask/neutral-shape';

describe('median', () => {
  it('finds the middle of odd and even lists, whatever their order', () => {
    expect(median(Float64Array.from([5, 1, 4, 2, 3]))).toBe(3);
    expect(median(Float64Array.from([4, 1, 3, 2]))).toBe(2.5);
    expect(median(Float64Array.from([7]))).toBe(7);
    expect(median(Float64Array.from([2, 2, 2, 9, 2, 2]))).toBe(2);
    const r = Float64Array.from({ length: 45 }, (_, i) => (i * 37) % 45);
    expect(median(r)).toBe(22);
  });
});

describe('NeutralShape', () => {
  const shape = (v: number) => Float64Array.from({ length: 6 }, () => v);

  it('starts from the first frame even when it is not calm, then takes calm frames only', () => {
    const n = new NeutralShape(6);
    expect(n.initialized).toBe(false);
    expect(n.offer(shape(1), 0, false)).toBe(true);
    expect(Array.from(n.neutral)).toEqual(Array.from(shape(1)));
    expect(n.confidence).toBe(0);
    expect(n.offer(shape(2), 500, false)).toBe(false);
    expect(n.offer(shape(2), 500, true)).toBe(true);
  });

  it('samples quickly until settled, slowly afterwards', () => {
    const n = new NeutralShape(6);
    let t = 0;
    n.offer(shape(0), t, true);
    expect(n.offer(shape(0), t + NEUTRAL_FAST_INTERVAL_MS - 1, true)).toBe(false);
    while (n.sampleCount < NEUTRAL_SETTLED_SAMPLES) {
      t += NEUTRAL_FAST_INTERVAL_MS;
      expect(n.offer(shape(0), t, true)).toBe(true);
    }
    expect(n.confidence).toBe(1);
    expect(n.offer(shape(0), t + NEUTRAL_FAST_INTERVAL_MS, true)).toBe(false);
    expect(n.offer(shape(0), t + NEUTRAL_SLOW_INTERVAL_MS, true)).toBe(true);
  });

  it('is a median: a minority of odd samples does not move it, a majority does', () => {
    const n = new NeutralShape(6);
    let t = 0;
    n.offer(shape(10), t, true); // a first frame caught mid-expression
    for (let i = 0; i < 4; i++) n.offer(shape(0), (t += NEUTRAL_FAST_INTERVAL_MS), true);
    expect(n.neutral[0]).toBe(0);
    // The ring forgets the oldest samples: a lasting change of the resting face wins in the end.
    for (let i = 0; i < NEUTRAL_MAX_SAMPLES; i++) n.offer(shape(3), (t += NEUTRAL_SLOW_INTERVAL_MS), true);
    expect(n.neutral[0]).toBe(3);
  });

  it('once settled, moves only when the slow samples outvote it: a held expression is not taken in for half the ring', () => {
    const n = new NeutralShape(6);
    let t = 0;
    for (let i = 0; i < NEUTRAL_SETTLED_SAMPLES; i++) n.offer(shape(0), (t += NEUTRAL_FAST_INTERVAL_MS), true);
    expect(n.settled).toBe(1);
    const half = (NEUTRAL_MAX_SAMPLES - 1) / 2;
    for (let i = 0; i < half; i++) {
      n.offer(shape(3), (t += NEUTRAL_SLOW_INTERVAL_MS), true);
      expect(n.neutral[0]).toBe(0);
    }
    n.offer(shape(3), t + NEUTRAL_SLOW_INTERVAL_MS, true);
    expect(n.neutral[0]).toBe(3);
  });

  it('is less confident when its samples disagree', () => {
    const agree = new NeutralShape(6);
    const disagree = new NeutralShape(6);
    // Half the samples one shape, half another: no median describes them both.
    for (let i = 0; i < 2 * NEUTRAL_SETTLED_SAMPLES; i++) {
      agree.offer(shape(0.01 * (i % 2)), i * NEUTRAL_SLOW_INTERVAL_MS, true);
      disagree.offer(shape(i % 2), i * NEUTRAL_SLOW_INTERVAL_MS, true);
    }
    expect(agree.confidence).toBe(1);
    expect(disagree.confidence).toBe(0);
  });

  it('reset forgets everything', () => {
    const n = new NeutralShape(6);
    for (let i = 0; i < 30; i++) n.offer(shape(1), i * 100, true);
    n.reset();
    expect(n.initialized).toBe(false);
    expect(n.confidence).toBe(0);
    n.offer(shape(5), 10_000, false);
    expect(n.neutral[0]).toBe(5);
  });
});
