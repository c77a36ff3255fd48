/**
 * Every wait of the eval has a deadline that names what it waited for (docs/eval.md §"No silent
 * hang"). `deadline` races a promise against a timer; `Waits` keeps the waits that are open, so the
 * progress line and a stall report can say what the run is waiting for, and for how long.
 */

export class TimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`timed out after ${fmtMs(ms)} waiting for ${what}`);
    this.name = 'TimeoutError';
  }
}

function fmtMs(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** `p`, or a TimeoutError naming `what` after `ms`. The timer never keeps Node alive. */
export function deadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
    (timer as { unref?: () => void }).unref?.();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export interface OpenWait {
  what: string;
  since: number;
}

/** The waits that are open now (for the progress line and the stall report). */
export class Waits {
  private readonly open = new Set<OpenWait>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Waits for `p` with a deadline; listed as open until it settles. */
  track<T>(what: string, p: Promise<T>, ms: number): Promise<T> {
    const w: OpenWait = { what, since: this.now() };
    this.open.add(w);
    return deadline(p, ms, what).finally(() => this.open.delete(w));
  }

  /** Open waits, oldest first. */
  list(): OpenWait[] {
    return [...this.open].sort((a, b) => a.since - b.since);
  }

  /** "embed photo x (12 s)" for the oldest open wait, or ''. */
  describeOldest(): string {
    const w = this.list()[0];
    return w ? `${w.what} (${Math.round((this.now() - w.since) / 1000)} s)` : '';
  }
}

/**
 * Rejects (once) when `lastProgress()` has not moved for `ms`: the backstop that turns any wait
 * nobody foresaw into an error that lists what was running and what was being waited for.
 */
export function stallWatch(
  lastProgress: () => number,
  ms: number,
  describe: () => string,
  now: () => number = Date.now,
): { stalled: Promise<never>; stop: () => void } {
  let timer: ReturnType<typeof setInterval> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      const idle = now() - lastProgress();
      if (idle >= ms) {
        clearInterval(timer);
        reject(new Error(`no progress for ${fmtMs(idle)}; ${describe()}`));
      }
    }, Math.min(5_000, Math.max(10, ms / 4)));
    (timer as { unref?: () => void }).unref?.();
  });
  stalled.catch(() => undefined);
  return { stalled, stop: () => clearInterval(timer) };
}
