/**
 * Fakes for the camera session's parts, so its logic runs in Node: a clock the test moves, camera
 * frames that say when they were closed, a frame source the test feeds, a sink that records every
 * write, and a mask engine the test answers for.
 */
import type { FramePixels, FromWorker, ToWorker } from '../../../src/channel/protocol';
import type { EngineProvider, MaskEngine } from '../../../src/pump/engine-supervisor';
import type { CameraFrame, Clock, FramePath, FrameSink, FrameSource } from '../../../src/pump/frame-io';
import type { MaskedAnswer, PausedFrame } from '../../../src/pump/gate';
import type { Problem } from '../../../src/status/status';

export class FakeClock implements Clock {
  t = 0;
  private timers: { every: number; next: number; fn: () => void; signal: AbortSignal }[] = [];
  now(): number {
    return this.t;
  }
  every(ms: number, fn: () => void, signal: AbortSignal): void {
    this.timers.push({ every: ms, next: this.t + ms, fn, signal });
  }
  /** Moves time on by `ms`, firing due timers in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => !x.signal.aborted && x.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.t = due.next;
      due.next += due.every;
      due.fn();
    }
    this.t = end;
  }
}

export class FakeFrame implements CameraFrame {
  closed = false;
  /** Resolves copyPixels; the test may hold it to make a copy slow. */
  release: () => void = () => undefined;
  constructor(
    readonly timestamp: number,
    readonly slowCopy = false,
    readonly displayWidth = 640,
    readonly displayHeight = 480,
  ) {}
  copyPixels(): Promise<FramePixels> {
    const pixels: FramePixels = {
      format: 'I420', codedWidth: 640, codedHeight: 480, layout: [], visibleRect: { x: 0, y: 0, width: 640, height: 480 },
      displayWidth: 640, displayHeight: 480, buffer: new ArrayBuffer(8),
    };
    if (!this.slowCopy) return Promise.resolve(pixels);
    return new Promise((resolve) => (this.release = () => resolve(pixels)));
  }
  close(): void {
    this.closed = true;
  }
}

export class FakeSource implements FrameSource<FakeFrame> {
  private waiting: ((f: FakeFrame | null) => void) | null = null;
  private queue: (FakeFrame | null)[] = [];
  cancelled = false;
  read(): Promise<FakeFrame | null> {
    const next = this.queue.shift();
    if (next !== undefined) return Promise.resolve(next);
    return new Promise((resolve) => (this.waiting = resolve));
  }
  push(frame: FakeFrame | null): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w(frame);
    } else this.queue.push(frame);
  }
  cancel(): void {
    this.cancelled = true;
    this.push(null);
  }
}

export type Written = { kind: 'masked'; timestamp: number } | { kind: 'obscured'; timestamp: number } | { kind: 'paused'; frame: FakeFrame };

export class FakeSink implements FrameSink<FakeFrame> {
  written: Written[] = [];
  closed = false;
  writeMasked(answer: MaskedAnswer, bitmap: ImageBitmap): void {
    bitmap.close();
    this.written.push({ kind: 'masked', timestamp: answer.timestamp });
  }
  writeObscured(_w: number, _h: number, timestamp: number): void {
    this.written.push({ kind: 'obscured', timestamp });
  }
  writePaused(paused: PausedFrame<FakeFrame>): void {
    this.written.push({ kind: 'paused', frame: paused.frame });
  }
  close(): void {
    this.closed = true;
  }
  kinds(): string[] {
    return this.written.map((w) => w.kind);
  }
}

export function fakeBitmap(): ImageBitmap {
  return { width: 640, height: 480, close: () => undefined } as ImageBitmap;
}

export class FakeEngine implements MaskEngine {
  onMessage: (m: FromWorker) => void = () => undefined;
  sent: Extract<ToWorker, { type: 'frame' }>[] = [];
  resets = 0;
  disposed = false;
  ready = false;
  get alive(): boolean {
    return !this.disposed && !this.removed;
  }
  removed = false;
  failure: Problem | null = null;
  connectResult: Promise<void> = Promise.resolve();
  connect(): Promise<void> {
    return this.connectResult;
  }
  send(message: Extract<ToWorker, { type: 'frame' }>): void {
    this.sent.push(message);
  }
  reset(): void {
    this.resets++;
  }
  dispose(): void {
    this.disposed = true;
  }
  /** The worker says its model is loaded. */
  start(): void {
    this.ready = true;
    this.onMessage({ type: 'status', status: 'masking' });
  }
  /** The worker says its model failed to load. */
  fail(problem: Problem = { kind: 'model', detail: 'Unable to open zip archive.' }): void {
    this.ready = true;
    this.failure = problem;
    this.onMessage({ type: 'status', status: 'error', problem });
  }
  /** Answers the oldest unanswered sent frame, masked (in the style it was sent in) or obscured. */
  answer(kind: 'masked' | 'no-face' = 'masked'): void {
    const m = this.sent.shift();
    if (!m) throw new Error('nothing to answer');
    if (kind === 'masked') this.onMessage({ type: 'masked', id: m.id, timestamp: m.timestamp, style: m.style ?? 'digital', bitmap: fakeBitmap(), faces: 1, ms: 20 });
    else this.onMessage({ type: 'obscured', id: m.id, timestamp: m.timestamp, cause: 'no-face' });
  }
}

/** Hands out FakeEngines, and records what came back. */
export class FakeEngines implements EngineProvider {
  made: FakeEngine[] = [];
  released: { engine: FakeEngine; healthy: boolean }[] = [];
  acquire(): FakeEngine {
    const engine = new FakeEngine();
    this.made.push(engine);
    return engine;
  }
  release(engine: MaskEngine, healthy: boolean): void {
    this.released.push({ engine: engine as FakeEngine, healthy });
  }
  get current(): FakeEngine {
    return this.made[this.made.length - 1]!;
  }
}

export function fakePath(): FramePath<FakeFrame> & { source: FakeSource; sink: FakeSink } {
  return { source: new FakeSource(), sink: new FakeSink(), output: { kind: 'video' } as MediaStreamTrack };
}

/** Lets queued promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
