/**
 * Client of the face-analysis worker threads (measure/analysis-worker.ts): face-api detection,
 * 68 landmarks and both attackers' embeddings, off Node's main thread (which keeps serving frames
 * to the browser meanwhile). Jobs go to the thread with the shortest queue.
 *
 * Memory stays proportional to the threads, not to the data: at most `maxQueued` jobs (each a copy
 * of one frame) exist at once; a producer waits for a slot, and a producer that waits is a page
 * that waits (docs/eval.md §"Memory"). Every job and every wait for a slot has a deadline that names
 * the job (docs/eval.md §"No silent hang").
 */
import { Worker } from 'node:worker_threads';
import type { Box } from '../tests/support/face-identity';
import type { DetectedBox, Embeddings, Image, Landmarks68 } from './measure/face-analysis';
import type { RecognizerName } from './measure/recognizer';
import { TimeoutError, type Waits } from './waits';

export interface AnalysisJob {
  id: number;
  op: 'detect' | 'landmarks' | 'embed';
  width: number;
  height: number;
  rgba: ArrayBuffer;
  box?: Box;
}

/** An image, or a function that loads it when its job gets a slot. */
export type ImageSource = Image | (() => Image);

export type AnalysisReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** One job's deadline once a thread has it (a 1280x1280 detection takes ~1 s here). */
export const JOB_MS = 120_000;
/** How long a producer may wait for a free slot (every queued job must finish first). */
export const SLOT_MS = 150_000;

interface Thread {
  index: number;
  worker: Worker;
  pending: number;
  ready: Promise<void>;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  thread: Thread;
  what: string;
  timer: ReturnType<typeof setTimeout>;
}

export class Analyzer {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private slotWaiters: (() => void)[] = [];
  private failed: Error | null = null;
  private closing = false;
  private readonly threads: Thread[] = [];
  /** jobs done so far (progress) */
  done = 0;

  private constructor(
    second: RecognizerName,
    count: number,
    private readonly maxQueued: number,
    private readonly waits?: Waits,
  ) {
    for (let i = 0; i < count; i++) this.threads.push(this.spawn(second, i));
  }

  /** `threads` worker threads, each with its own copy of the models; at most 3 jobs per thread queued. */
  static start(second: RecognizerName, threads = 1, waits?: Waits): Analyzer {
    const n = Math.max(1, threads);
    return new Analyzer(second, n, 3 * n, waits);
  }

  private spawn(second: RecognizerName, index: number): Thread {
    // The worker is TypeScript: register tsx's loader inside the thread first (a worker does not
    // inherit the loader hooks of `tsx eval/run.ts`).
    const file = new URL('./measure/analysis-worker.ts', import.meta.url).href;
    const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(file)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: { second } });
    let readyResolve!: () => void;
    let readyReject!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    ready.catch(() => undefined);
    const thread: Thread = { index, worker, pending: 0, ready };
    worker.on('message', (m: AnalysisReply) => {
      if (m.id === 0) {
        if (m.ok) readyResolve();
        else readyReject(new Error(m.error));
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.settle(m.id, p);
      this.done++;
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(`${p.what}: ${m.error}`));
    });
    const fail = (e: Error) => {
      readyReject(e);
      this.fail(e);
    };
    worker.on('error', (e) => fail(new Error(`analysis thread ${index} failed: ${e.message}`)));
    worker.on('exit', (code) => {
      if (!this.closing) fail(new Error(`analysis thread ${index} exited (code ${code})`));
    });
    return thread;
  }

  async ready(ms = 180_000): Promise<void> {
    const all = Promise.all(this.threads.map((t) => t.ready)).then(() => undefined);
    await (this.waits ? this.waits.track('face-api and the second recognizer to load in the analysis threads', all, ms) : all);
  }

  private settle(id: number, p: Pending): void {
    clearTimeout(p.timer);
    this.pending.delete(id);
    p.thread.pending--;
    const w = this.slotWaiters;
    this.slotWaiters = [];
    for (const f of w) f();
  }

  private fail(e: Error) {
    if (this.failed) return;
    this.failed = e;
    for (const [id, p] of [...this.pending]) {
      this.settle(id, p);
      p.reject(e);
    }
  }

  get inFlight(): number {
    return this.pending.size;
  }

  private async slot(what: string): Promise<void> {
    const wait = (async () => {
      while (this.pending.size >= this.maxQueued && !this.failed) await new Promise<void>((r) => this.slotWaiters.push(r));
    })();
    await (this.waits ? this.waits.track(`a free face-api slot for ${what} (${this.pending.size} jobs queued)`, wait, SLOT_MS) : wait);
    if (this.failed) throw this.failed;
  }

  /**
   * `source` is the image, or a loader called once a slot is free (so a queue of waiting
   * producers holds no pixels).
   */
  private async call<T>(op: AnalysisJob['op'], source: ImageSource, what: string, box?: Box): Promise<T> {
    if (this.failed) throw this.failed;
    await this.slot(what);
    const id = this.nextId++;
    const loaded = typeof source === 'function';
    const img = loaded ? source() : source;
    // a loaded image is the job's own; else copy: the caller may keep using its image
    const whole = img.rgba.byteOffset === 0 && img.rgba.byteLength === img.rgba.buffer.byteLength;
    const rgba = loaded && whole ? (img.rgba.buffer as ArrayBuffer) : img.rgba.slice().buffer;
    const job: AnalysisJob = { id, op, width: img.width, height: img.height, rgba, box };
    const thread = this.threads.reduce((a, b) => (b.pending < a.pending ? b : a));
    thread.pending++;
    const label = `face-api ${op} of ${what} (analysis thread ${thread.index})`;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const p = this.pending.get(id);
        if (!p) return;
        // a thread that does not answer is stuck: the run cannot trust it any more
        this.fail(new TimeoutError(label, JOB_MS));
      }, JOB_MS);
      timer.unref?.();
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, thread, what: label, timer });
      thread.worker.postMessage(job, [rgba]);
    });
  }

  detect(img: ImageSource, what: string): Promise<DetectedBox[]> {
    return this.call('detect', img, what);
  }

  landmarks(img: ImageSource, what: string): Promise<Landmarks68[]> {
    return this.call('landmarks', img, what);
  }

  embed(img: ImageSource, box: Box, what: string): Promise<Embeddings> {
    return this.call('embed', img, what, box);
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const [id, p] of [...this.pending]) {
      this.settle(id, p);
      p.reject(new Error('analyzer closed'));
    }
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
