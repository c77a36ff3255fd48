/**
 * The fail-closed gate: per camera frame and per worker answer it decides what the output track
 * gets. Pure logic (no browser objects) so every path is unit-tested.
 *
 * While masking, the only things that may be written are a masked frame or the obscured
 * placeholder; a raw frame is written only in 'off' mode, which only the patient's own toggle sets.
 *
 * One frame travels to the worker at a time; while it does, the newest camera frame waits as the
 * next to send (latest wins, older ones are dropped), so the worker never idles and never queues.
 * A frame the worker leaves unanswered for STALL_MS is a stall: the placeholder shows until
 * masked frames flow again.
 */
import type { ObscuredCause } from '../channel/protocol';
import type { MaskStatus } from '../status/status';

/** A sent frame unanswered this long is a stall: the output shows the placeholder. */
export const STALL_MS = 200;
/** A frame unanswered for this long is counted lost (worker dead or starved), freeing the slot. */
export const LOST_MS = 1000;

export type GateMode = 'masking' | 'off';

export type CameraFrameDecision =
  | { kind: 'passthrough' }
  /** send: to the worker now; hold: keep as the next to send (replacing any older one). */
  | { kind: 'masking'; send: boolean; hold: boolean; placeholder: boolean };

export type AnswerDecision = 'write-masked' | 'drop';

export interface GateStatus {
  status: MaskStatus;
  reason?: string;
}

export class FrameGate {
  private mode: GateMode;
  private inFlight: { id: number; sentAt: number; arrivedAt: number } | null = null;
  /** When the oldest frame sent since the last answer left; null when every sent frame is answered. */
  private unansweredSince: number | null = null;
  private lastWrittenTimestamp = -Infinity;
  /** What the worker last said; null until it answers (and again after a mode switch or reset). */
  private lastCause: ObscuredCause | 'masked' | null = null;
  private lastReason: string | undefined;

  constructor(mode: GateMode) {
    this.mode = mode;
  }

  setMode(mode: GateMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    // Back to masking: nothing masked is current, so the placeholder covers until it is.
    this.lastCause = null;
  }

  getMode(): GateMode {
    return this.mode;
  }

  onCameraFrame(now: number, transportReady: boolean): CameraFrameDecision {
    if (this.mode === 'off') return { kind: 'passthrough' };
    if (this.inFlight && now - this.inFlight.sentAt > LOST_MS) this.inFlight = null;
    const send = transportReady && !this.inFlight;
    const hold = transportReady && !send;
    const current = this.lastCause === 'masked' && this.stalledFor(now) <= STALL_MS;
    return { kind: 'masking', send, hold, placeholder: !current };
  }

  /** After an answer: may the held frame go to the worker now? */
  canSendHeld(transportReady: boolean): boolean {
    return this.mode === 'masking' && transportReady && !this.inFlight;
  }

  /** A new worker is being connected: whatever the old one held is gone. */
  resetPipeline(): void {
    this.inFlight = null;
    this.unansweredSince = null;
    this.lastCause = null;
    this.lastReason = undefined;
  }

  /** Frame `id`, which the camera delivered at `arrivedAt`, went to the worker at `now`. */
  onSent(id: number, now: number, arrivedAt = now): void {
    this.inFlight = { id, sentAt: now, arrivedAt };
    this.unansweredSince ??= now;
  }

  /** Camera → answer time of frame `id`, if it is the one in flight. */
  latencyOf(id: number, now: number): number | undefined {
    return this.inFlight?.id === id ? now - this.inFlight.arrivedAt : undefined;
  }

  /** A masked frame came back. Write it unless masking is off or a newer frame was written. */
  onMasked(id: number, timestamp: number): AnswerDecision {
    this.settle(id);
    if (this.mode === 'off' || timestamp <= this.lastWrittenTimestamp) return 'drop';
    this.lastCause = 'masked';
    this.lastReason = undefined;
    this.lastWrittenTimestamp = timestamp;
    return 'write-masked';
  }

  /** The worker could not mask a frame: the next camera frames get the placeholder. */
  onObscured(id: number, cause: ObscuredCause, reason: string | undefined): void {
    this.settle(id);
    this.lastCause = cause;
    this.lastReason = reason;
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
    if (this.inFlight?.id === id) this.inFlight = null;
    this.unansweredSince = null;
  }
}
