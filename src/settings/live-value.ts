/**
 * A value that is always readable synchronously and tells its subscribers of every change. The
 * isolated world holds the tab's settings in one: a camera session reads it the moment it is created
 * and hears every later change, so no session can be built from a value that has since changed.
 */
export class LiveValue<T> {
  private current: T;
  private readonly listeners = new Set<(value: T) => void>();

  constructor(
    initial: T,
    private readonly same: (a: T, b: T) => boolean = (a, b) => JSON.stringify(a) === JSON.stringify(b),
  ) {
    this.current = initial;
  }

  get value(): T {
    return this.current;
  }

  set(value: T): void {
    if (this.same(value, this.current)) return;
    this.current = value;
    for (const listener of [...this.listeners]) listener(value);
  }

  /** Calls `listener` on every change until `signal` aborts. */
  subscribe(listener: (value: T) => void, signal: AbortSignal): void {
    if (signal.aborted) return;
    this.listeners.add(listener);
    signal.addEventListener('abort', () => this.listeners.delete(listener), { once: true });
  }
}
