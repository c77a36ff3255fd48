/**
 * Transport supervision: which mask engine a camera session uses, and when it must be replaced.
 * An engine that has not started within START_TIMEOUT_MS, or that leaves a frame unanswered for
 * RECONNECT_AFTER_MS (worker crashed, frame removed by the page, process starved), is torn down and a
 * new one connected. An engine that could not connect, or whose model failed to load, says why and
 * is tried again after a wait that doubles with each failure in a row (a model that is broken for
 * good costs a load every MAX_RETRY_AFTER_MS, not a core). Meanwhile the gate keeps the output obscured.
 */
import type { FromWorker, ToWorker } from '../channel/protocol';
import type { Problem } from '../status/status';
import type { Clock } from './frame-io';
import type { EngineLink } from './frame-pump';
import { LOST_MS, type FrameGate } from './gate';

/** A transport silent this long is torn down and rebuilt. */
export const RECONNECT_AFTER_MS = 2 * LOST_MS;
/** A transport whose worker has not answered by then is reported as failed and rebuilt. */
export const START_TIMEOUT_MS = 15_000;
/** After a failed connection or model load, wait this long before the next one… */
export const RETRY_AFTER_MS = 1000;
/** …twice as long after each failure in a row, up to this. */
export const MAX_RETRY_AFTER_MS = 30_000;

/** A worker that masks frames, behind whatever channel reaches it (mask-transport.ts). */
export interface MaskEngine extends EngineLink {
  /** False once the channel to the worker is gone for good (the page removed or replaced the frame). */
  readonly alive: boolean;
  /** Why the worker will never mask (its model failed to load), once it has said so. */
  readonly failure: Problem | null;
  /** Where the worker's messages go; whoever holds the engine sets it. */
  onMessage: (message: FromWorker) => void;
  /** Resolves once the channel to the worker is up (the model may still be loading). */
  connect(): Promise<void>;
  send(message: Extract<ToWorker, { type: 'frame' }>): void;
  /** A new camera stream starts on this engine. */
  reset(): void;
  dispose(): void;
}

/** Gives a session an engine and takes it back (engine-pool.ts keeps one warm per document). */
export interface EngineProvider {
  acquire(): MaskEngine;
  release(engine: MaskEngine, healthy: boolean): void;
}

export class EngineSupervisor {
  private engine: MaskEngine | null = null;
  private since = 0;
  private retryAt: number | null = null;
  /** Connections in a row that failed (to connect, or to load the model). */
  private failures = 0;
  /** Why the engine is not working, when the gate cannot know (it failed to connect or start). */
  problem: Problem | null = null;

  constructor(
    private readonly engines: EngineProvider,
    private readonly gate: FrameGate,
    private readonly clock: Clock,
    private readonly onMessage: (message: FromWorker) => void,
    /** Called whenever the engine is replaced: frames held for the old one are stale. */
    private readonly onReplaced: () => void,
    signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => this.drop(), { once: true });
  }

  /** The engine frames go to now (null while none is connected). */
  get link(): EngineLink | null {
    return this.engine;
  }

  get ready(): boolean {
    return this.engine?.ready ?? false;
  }

  start(): void {
    this.connect();
  }

  /** Called by the session's watchdog. */
  tick(now: number): void {
    if (this.retryAt !== null) {
      if (now >= this.retryAt) this.connect();
      return;
    }
    if (this.engine?.failure) {
      this.failed(this.engine.failure);
    } else if (this.engine && !this.engine.alive) {
      this.problem = { kind: 'engine-removed' };
      this.replace();
    } else if (!this.ready && now - this.since > START_TIMEOUT_MS) {
      this.problem = { kind: 'engine-start', detail: `no answer within ${START_TIMEOUT_MS} ms` };
      this.replace();
    } else if (this.gate.stalledFor(now) > RECONNECT_AFTER_MS) {
      this.problem = { kind: 'stalled' };
      this.replace();
    }
  }

  private connect(): void {
    this.retryAt = null;
    // A replaced or failed engine was released as unhealthy: the pool never hands it out again.
    const engine = this.engines.acquire();
    engine.onMessage = (message) => {
      if (engine !== this.engine) return;
      // The engine keeps why its model failed (set before it says so): one source for the problem.
      if (engine.failure) this.failed(engine.failure);
      else if (message.type !== 'status' || message.status !== 'starting') this.problem = null;
      // A model that loaded ends the run of failures, whether or not a face is in view yet.
      if (message.type === 'masked' || (message.type === 'status' && message.status === 'masking')) this.failures = 0;
      this.onMessage(message);
    };
    engine.reset();
    this.engine = engine;
    this.since = this.clock.now();
    this.gate.resetPipeline();
    this.onReplaced();
    engine.connect().catch((error: unknown) => {
      if (engine !== this.engine) return;
      this.failed({ kind: 'engine-start', detail: error instanceof Error ? error.message : String(error) });
    });
  }

  /** The engine will not mask: say why, give it back as broken, and try a new one after a wait. */
  private failed(problem: Problem): void {
    this.problem = problem;
    this.drop();
    this.retryAt = this.clock.now() + Math.min(MAX_RETRY_AFTER_MS, RETRY_AFTER_MS * 2 ** this.failures);
    this.failures++;
  }

  private replace(): void {
    this.drop();
    this.connect();
  }

  /** Gives the engine back: a working one stays warm for the next session, a broken one is disposed. */
  private drop(): void {
    const engine = this.engine;
    this.engine = null;
    if (engine) this.engines.release(engine, engine.ready && this.problem === null && !this.gate.stalled(this.clock.now()));
  }
}
