import { describe, expect, it } from 'vitest';
import { fallBackWhenStarved, STARVED_CHECKS, STARVED_FRAMES, type StarvationWatch } from '../../../src/pump/starved-source';
import { FakeFrame, FakeSource } from './fakes';

/** The camera's delivered-frame count and the check timer, both moved by the test. */
class FakeWatch implements StarvationWatch {
  count: number | null = 0;
  private ticks = new Set<() => void>();
  delivered(): number | null {
    return this.count;
  }
  every(_ms: number, fn: () => void): () => void {
    this.ticks.add(fn);
    return () => this.ticks.delete(fn);
  }
  /** The camera delivers `frames` more, then one check runs. */
  deliver(frames: number): void {
    if (this.count !== null) this.count += frames;
    for (const fn of [...this.ticks]) fn();
  }
  /** The camera delivers `frames` unread, then the checks that call the reader starved. */
  starve(frames = STARVED_FRAMES): void {
    this.deliver(frames);
    for (let i = 1; i < STARVED_CHECKS; i++) this.deliver(0);
  }
  get checking(): number {
    return this.ticks.size;
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('fallBackWhenStarved', () => {
  it('keeps reading the first source while its frames arrive', async () => {
    const primary = new FakeSource();
    const watch = new FakeWatch();
    let made = 0;
    const source = fallBackWhenStarved(primary, () => (made++, new FakeSource()), watch);
    for (let i = 1; i <= 40; i++) {
      const read = source.read();
      watch.deliver(1);
      primary.push(new FakeFrame(i));
      expect((await read)?.timestamp).toBe(i);
    }
    expect(made).toBe(0);
    expect(watch.checking).toBe(1); // one check for the source's life, not one per read
    source.cancel();
    expect(watch.checking).toBe(0);
  });

  it('does not call a camera that delivers nothing starved (a slow start, a paused camera)', async () => {
    const primary = new FakeSource();
    const watch = new FakeWatch();
    let made = 0;
    const source = fallBackWhenStarved(primary, () => (made++, new FakeSource()), watch);
    const read = source.read();
    for (let i = 0; i < 100; i++) watch.deliver(0);
    primary.push(new FakeFrame(7));
    expect((await read)?.timestamp).toBe(7);
    expect(made).toBe(0);
  });

  it('hands over to the second source once the camera delivered frames the first never produced', async () => {
    const primary = new FakeSource();
    const fallback = new FakeSource();
    const watch = new FakeWatch();
    const source = fallBackWhenStarved(primary, () => fallback, watch);
    const first = source.read();
    watch.deliver(1);
    primary.push(new FakeFrame(1));
    expect((await first)?.timestamp).toBe(1);

    const read = source.read();
    watch.deliver(STARVED_FRAMES - 1);
    await settle();
    expect(primary.cancelled).toBe(false);
    watch.deliver(1); // one check finds it starved: not yet
    await settle();
    expect(primary.cancelled).toBe(false);
    watch.deliver(0); // the next one too
    await settle();
    expect(primary.cancelled).toBe(true);
    expect(watch.checking).toBe(0); // nothing watches the camera after the handover
    fallback.push(new FakeFrame(100));
    expect((await read)?.timestamp).toBe(100);
    // From now on only the second source is read.
    fallback.push(new FakeFrame(101));
    expect((await source.read())?.timestamp).toBe(101);
  });

  it('does not call a busy main thread starved: the frame queued behind a late check arrives before the next', async () => {
    const primary = new FakeSource();
    const watch = new FakeWatch();
    let made = 0;
    const source = fallBackWhenStarved(primary, () => (made++, new FakeSource()), watch);
    for (let i = 1; i <= 5; i++) {
      const read = source.read();
      watch.deliver(STARVED_FRAMES + 3); // the thread was blocked for 0.6 s: the check runs first
      primary.push(new FakeFrame(i)); // then the frame that was waiting
      expect((await read)?.timestamp).toBe(i);
    }
    expect(made).toBe(0);
  });

  it('closes a frame the starved source yields after the handover', async () => {
    const primary = new FakeSource();
    const fallback = new FakeSource();
    const watch = new FakeWatch();
    const late = new FakeFrame(5);
    // A source whose pending read resolves with a frame after it was cancelled.
    const stubborn = { read: () => primary.read(), cancel: () => undefined };
    const source = fallBackWhenStarved(stubborn, () => fallback, watch);
    const read = source.read();
    watch.starve();
    await settle();
    primary.push(late);
    await settle();
    expect(late.closed).toBe(true);
    fallback.push(new FakeFrame(6));
    expect((await read)?.timestamp).toBe(6);
  });

  it('never switches where the browser does not count delivered frames', async () => {
    const primary = new FakeSource();
    const watch = new FakeWatch();
    watch.count = null;
    let made = 0;
    const source = fallBackWhenStarved(primary, () => (made++, new FakeSource()), watch);
    const read = source.read();
    for (let i = 0; i < 10; i++) watch.starve();
    primary.push(null);
    expect(await read).toBeNull();
    expect(made).toBe(0);
  });

  it('cancel ends whichever source is active', async () => {
    const primary = new FakeSource();
    const fallback = new FakeSource();
    const watch = new FakeWatch();
    const source = fallBackWhenStarved(primary, () => fallback, watch);
    const read = source.read();
    watch.starve();
    await settle();
    source.cancel();
    expect(fallback.cancelled).toBe(true);
    expect(await read).toBeNull();
  });
});
