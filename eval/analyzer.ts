/**
 * Client of the face-analysis worker threads (measure/analysis-worker.ts): face-api detection,
 * 68 landmarks and both attackers' embeddings, off Node's main thread (which keeps serving frames
 * to the browser meanwhile). Jobs go to the thread with the shortest queue. `backlog` lets
 * producers wait so queued frames do not pile up in memory.
 */
import { Worker } from 'node:worker_threads';
import type { Box } from '../tests/support/face-identity';
import type { DetectedBox, Embeddings, Image, Landmarks68 } from './measure/face-analysis';
import type { RecognizerName } from './measure/recognizer';

export interface AnalysisJob {
  id: number;
  op: 'detect' | 'landmarks' | 'embed';
  width: number;
  height: number;
  rgba: ArrayBuffer;
  box?: Box;
}

export type AnalysisReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

interface Thread {
  worker: Worker;
  pending: number;
  ready: Promise<void>;
}

export class Analyzer {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; thread: Thread }>();
  private drainWaiters: (() => void)[] = [];
  private failed: Error | null = null;
  private closing = false;
  private readonly threads: Thread[] = [];
  /** jobs done so far (progress) */
  done = 0;

  private constructor(second: RecognizerName, count: number) {
    for (let i = 0; i < count; i++) this.threads.push(this.spawn(second));
  }

  /** `threads` worker threads, each with its own copy of the models. */
  static start(second: RecognizerName, threads = 1): Analyzer {
    return new Analyzer(second, Math.max(1, threads));
  }

  private spawn(second: RecognizerName): Thread {
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
    const thread: Thread = { worker, pending: 0, ready };
    worker.on('message', (m: AnalysisReply) => {
      if (m.id === 0) {
        if (m.ok) readyResolve();
        else readyReject(new Error(m.error));
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      p.thread.pending--;
      this.done++;
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(m.error));
      this.wakeDrain();
    });
    const fail = (e: Error) => {
      readyReject(e);
      this.fail(e);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closing) fail(new Error(`analysis worker exited (code ${code})`));
    });
    return thread;
  }

  async ready(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.ready));
  }

  private fail(e: Error) {
    if (this.failed) return;
    this.failed = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.wakeDrain();
  }

  private wakeDrain() {
    const w = this.drainWaiters;
    this.drainWaiters = [];
    for (const f of w) f();
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Resolves once fewer than `max` jobs are queued. */
  async backlog(max: number): Promise<void> {
    while (this.pending.size >= max && !this.failed) await new Promise<void>((r) => this.drainWaiters.push(r));
    if (this.failed) throw this.failed;
  }

  private call<T>(op: AnalysisJob['op'], img: Image, box?: Box): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    // copy: the caller may keep using its image (and another job may need the same pixels)
    const rgba = img.rgba.slice().buffer;
    const job: AnalysisJob = { id, op, width: img.width, height: img.height, rgba, box };
    const thread = this.threads.reduce((a, b) => (b.pending < a.pending ? b : a));
    thread.pending++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, thread });
      thread.worker.postMessage(job, [rgba]);
    });
  }

  detect(img: Image): Promise<DetectedBox[]> {
    return this.call('detect', img);
  }

  landmarks(img: Image): Promise<Landmarks68[]> {
    return this.call('landmarks', img);
  }

  embed(img: Image, box: Box): Promise<Embeddings> {
    return this.call('embed', img, box);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
