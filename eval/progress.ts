/**
 * One-line terminal progress bar (stderr): overall share of work, what is running (each page's
 * sequence and frame, the face-api queue, the oldest open wait, memory: see `setStatus`), elapsed
 * time and a rough ETA. Without a TTY it prints a line every 10 % and at least every 30 s, so a
 * log always says what the run is doing (docs/eval.md §"No silent hang").
 */
export class Progress {
  private total = 0;
  private done = 0;
  private label = '';
  private extra = '';
  private readonly t0 = Date.now();
  private lastDraw = 0;
  private lastDecile = -1;
  private lastLine = 0;
  private readonly tty: boolean;
  private status: () => string = () => '';
  /** when work last advanced (the stall watchdog reads it) */
  lastAdvance = Date.now();

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = !!stream.isTTY && process.env.TERM !== 'dumb';
  }

  addTotal(units: number): void {
    this.total += units;
  }

  advance(units = 1): void {
    this.done += units;
    this.lastAdvance = Date.now();
    this.draw();
  }

  /** What is running, asked at every draw (the pages, the analysis queue, open waits, memory). */
  setStatus(status: () => string): void {
    this.status = status;
  }

  /** Redraws (the caller's timer: the status changes even when no unit of work completes). */
  tick(): void {
    this.draw();
  }

  setLabel(label: string): void {
    this.label = label;
    this.draw(true);
  }

  private readonly running = new Set<string>();

  /** `name` shows among the running tasks until end(name). */
  begin(name: string): void {
    this.running.add(name);
    this.setLabel([...this.running].join(', '));
  }

  end(name: string): void {
    this.running.delete(name);
    this.setLabel([...this.running].join(', '));
  }

  setExtra(extra: string): void {
    this.extra = extra;
    this.draw();
  }

  /** Prints a message above the bar. */
  log(message: string): void {
    if (this.tty) this.stream.write('\r\x1b[2K');
    this.stream.write(message + '\n');
    this.draw(true);
  }

  private draw(force = false): void {
    const now = Date.now();
    const frac = this.total ? Math.min(1, this.done / this.total) : 0;
    const elapsed = (now - this.t0) / 1000;
    if (!this.tty) {
      const decile = Math.floor(frac * 10);
      if (decile > this.lastDecile || now - this.lastLine >= 30_000) {
        this.lastDecile = Math.max(decile, this.lastDecile);
        this.lastLine = now;
        this.stream.write(`[eval] ${Math.round(frac * 100)}% ${fmt(elapsed)} ${this.label} ${this.extra} ${this.status()}\n`);
      }
      return;
    }
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = 28;
    const filled = Math.round(frac * width);
    const eta = frac > 0.02 ? fmt((elapsed / frac) * (1 - frac)) : '?';
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const cols = this.stream.columns || 120;
    const line = `${bar} ${(frac * 100).toFixed(0).padStart(3)}% ${fmt(elapsed)} eta ${eta}  ${this.label} ${this.extra} ${this.status()}`;
    this.stream.write('\r\x1b[2K' + line.slice(0, cols - 1));
  }

  finish(message?: string): void {
    this.done = this.total;
    if (this.tty) this.stream.write('\r\x1b[2K');
    if (message) this.stream.write(message + '\n');
  }
}

export function fmt(seconds: number): string {
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
