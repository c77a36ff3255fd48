/**
 * The fail-closed gate: per camera frame and per worker answer it decides what the output track
 * gets. Pure logic (no browser objects) so every path is unit-tested.
 *
 * While masking, the only things that may be written are a fresh masked frame or the obscured
 * placeholder; a raw frame is written only in 'off' mode, which only the patient's own toggle sets.
 * Latest wins: at most MAX_IN_FLIGHT frames travel to the worker, extra camera frames are dropped.
 */
import type { ObscuredCause } from '../channel/protocol';
import type { MaskStatus } from '../status/status';

/** With no fresh masked frame for this long, the output shows the placeholder. */
export const STALL_MS = 200;
export const MAX_IN_FLIGHT = 2;
/** A frame unanswered for this long is counted lost (worker dead or starved), freeing its slot. */
export const LOST_MS = 1000;

export type GateMode = 'masking' | 'off';

export type CameraFrameDecision =
  | { kind: 'passthrough' }
  | { kind: 'masking'; send: boolean; placeholder: boolean };

export type AnswerDecision = 'write-masked' | 'drop';

export interface GateStatus {
  status: MaskStatus;
  reason?: string;
}

export class FrameGate {
  private mode: GateMode;
  private readonly inFlight = new Map<number, number>(); // frame id → sent at
  private lastMaskedAt = -Infinity;
  private lastWrittenTimestamp = -Infinity;
  /** When the oldest frame sent since the last answer left; null when every sent frame is answered. */
  private unansweredSince: number | null = null;
  private lastCause: ObscuredCause | 'masked' | null = null;
  private lastReason: string | undefined;

  constructor(mode: GateMode) {
    this.mode = mode;
  }

  setMode(mode: GateMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    // Back to masking: nothing masked is fresh yet, so the placeholder covers until it is.
    this.lastMaskedAt = -Infinity;
  }

  getMode(): GateMode {
    return this.mode;
  }

  onCameraFrame(now: number, transportReady: boolean): CameraFrameDecision {
    if (this.mode === 'off') return { kind: 'passthrough' };
    this.expireLost(now);
    const send = transportReady && this.inFlight.size < MAX_IN_FLIGHT;
    const fresh = this.lastCause === 'masked' && now - this.lastMaskedAt <= STALL_MS;
    return { kind: 'masking', send, placeholder: !fresh };
  }

  /** A new worker is being connected: whatever the old one held is gone. */
  resetPipeline(): void {
    this.inFlight.clear();
    this.unansweredSince = null;
    this.lastCause = null;
    this.lastReason = undefined;
    this.lastMaskedAt = -Infinity;
  }

  onSent(id: number, now: number): void {
    this.inFlight.set(id, now);
    this.unansweredSince ??= now;
  }

  /** How long ago frame `id` was sent to the worker (undefined once answered or lost). */
  ageOf(id: number, now: number): number | undefined {
    const sentAt = this.inFlight.get(id);
    return sentAt === undefined ? undefined : now - sentAt;
  }

  /** A masked frame came back. Write it unless masking is off or a newer frame was written. */
  onMasked(id: number, timestamp: number, now: number): AnswerDecision {
    this.settle(id);
    this.lastCause = 'masked';
    this.lastReason = undefined;
    if (this.mode === 'off' || timestamp <= this.lastWrittenTimestamp) return 'drop';
    this.lastMaskedAt = now;
    this.lastWrittenTimestamp = timestamp;
    return 'write-masked';
  }

  /** The worker could not mask a frame: the next camera frames get the placeholder. */
  onObscured(id: number, cause: ObscuredCause, reason: string | undefined): void {
    this.settle(id);
    this.lastCause = cause;
    this.lastReason = reason;
    this.lastMaskedAt = -Infinity;
  }

  /** Milliseconds the pipeline has left a sent frame unanswered (0 when nothing is pending). */
  stalledFor(now: number): number {
    return this.unansweredSince === null ? 0 : now - this.unansweredSince;
  }

  status(now: number, transportReady: boolean): GateStatus {
    if (this.mode === 'off') return { status: 'off' };
    if (this.stalledFor(now) > LOST_MS) return { status: 'error', reason: 'The masking pipeline stopped answering' };
    if (!transportReady || this.lastCause === null) return { status: 'starting' };
    if (this.lastCause === 'masked') return { status: 'masking' };
    return { status: this.lastCause, reason: this.lastReason };
  }

  private settle(id: number): void {
    this.inFlight.delete(id);
    this.unansweredSince = null;
  }

  private expireLost(now: number): void {
    for (const [id, sentAt] of this.inFlight) {
      if (now - sentAt > LOST_MS) this.inFlight.delete(id);
    }
  }
}
