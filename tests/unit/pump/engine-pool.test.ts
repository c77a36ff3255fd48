import { describe, expect, it } from 'vitest';
import { EnginePool } from '../../../src/pump/engine-pool';
import { FakeEngine } from './fakes';

describe('EnginePool', () => {
  it('hands out the warm engine first, takes a healthy one back, disposes a broken one', () => {
    const made: FakeEngine[] = [];
    const life = new AbortController();
    const pool = new EnginePool(() => {
      const e = new FakeEngine();
      made.push(e);
      return e;
    }, life.signal, true);
    pool.warm();
    expect(made).toHaveLength(1);
    const first = pool.acquire() as FakeEngine;
    expect(first).toBe(made[0]);
    const second = pool.acquire() as FakeEngine;
    expect(made).toHaveLength(2);
    pool.release(first, true);
    expect(pool.acquire()).toBe(first);
    pool.release(second, false);
    expect(second.disposed).toBe(true);
    life.abort();
    expect(first.disposed).toBe(true);
  });

  it('keeps nothing loaded between cameras in a frame', () => {
    const pool = new EnginePool(() => new FakeEngine(), new AbortController().signal, false);
    pool.warm();
    const engine = pool.acquire() as FakeEngine;
    pool.release(engine, true);
    expect(engine.disposed).toBe(true);
  });

  it('never hands out a warm engine whose model failed to load', () => {
    const made: FakeEngine[] = [];
    const pool = new EnginePool(() => {
      const e = new FakeEngine();
      made.push(e);
      return e;
    }, new AbortController().signal, true);
    pool.warm();
    made[0]!.fail();
    const engine = pool.acquire();
    expect(engine).not.toBe(made[0]);
    expect(made[0]!.disposed).toBe(true);
  });
});
