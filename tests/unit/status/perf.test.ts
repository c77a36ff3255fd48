import { describe, expect, it } from 'vitest';
import { PerfWindow } from '../../../src/status/perf';

describe('PerfWindow', () => {
  it('reports masked frames per second and median times over its window', () => {
    const w = new PerfWindow(0);
    for (let i = 0; i < 50; i++) w.addMasked(20 + (i % 5), 30 + (i % 3));
    expect(w.take(2000)).toEqual({ fps: 25, maskMs: 22, latencyMs: 31 });
  });

  it('starts a fresh window after each take, and says nothing for an empty one', () => {
    const w = new PerfWindow(0);
    w.addMasked(10, 10);
    w.take(1000);
    expect(w.take(2000)).toBeNull();
  });
});
