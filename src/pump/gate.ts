/**
 * The fail-closed gate: per camera frame and per worker answer it decides what the output track
 * gets. Pure logic (no browser objects) so every path is unit-tested.
 *
 * What it hands out is what the rest of the pump needs to act, and nothing else can make:
 *  - a SendTicket: the worker slot, reserved at the moment the gate decides to send (one frame in
 *    flight at a time; the newest camera frame waits as the next to send — latest wins);
 *  - a MaskedAnswer: a worker answer the gate accepted, the only way to write a masked frame;
 *  - a PausedFrame: a camera frame released by a passthrough decision, made only while the patient
 *    has paused masking, the only way a camera frame reaches the output.
 * Everything else the output gets is the obscured placeholder.
 *
 * A sent frame left unanswered for STALL_MS is a stall: the placeholder shows until masked frames
 * flow again. The stall clock runs from the oldest frame still unanswered: an answer to an old frame
 * does not stop it while a newer one hangs. An engine that is simply slow (a slow machine, a heavy
 * style) is not stalled: the limit grows to twice its usual answer time, up to LOST_MS.
 *
 * The output is one track: whatever is written (placeholder, masked or paused frame) carries its
 * camera frame's timestamp, and timestamps only grow. A frame that already got the placeholder never
 * gets its masked picture written after it, and an answer older than the last write is not written
 * (it still tells the gate that the worker masks again).
 */
import type { MaskSettings, ObscuredCause } from '../channel/protocol';
import type { MaskStyle } from '../settings/style';
import type { MaskStatus, Problem } from '../status/status';

/** A sent frame unanswered this long is a stall: the output shows the placeholder. */
export const STALL_MS = 200;
/** A frame unanswered for this long is counted lost (worker dead or starved), freeing the slot. */
export const LOST_MS = 1000;
/** How many unanswered sends the stall clock remembers (a dead worker gets one every LOST_MS). */
const MAX_UNANSWERED = 8;
/** How many recent answer times set the engine's usual pace. */
const PACE_WINDOW = 8;

declare const gateBrand: unique symbol;

/** The worker slot for one frame, with the style it must be drawn in. Made only by the gate. */
export interface SendTicket {
  readonly id: number;
  readonly style: MaskStyle;
  /** Draw the eye read-out over it. */
  readonly readout: boolean;
  readonly [gateBrand]: 'send';
}

/** A masked frame the gate accepted for writing. Made only by the gate. */
export interface MaskedAnswer {
  readonly id: number;
  readonly timestamp: number;
  readonly [gateBrand]: 'masked';
}

/** A camera frame the patient's pause lets through. Made only by a passthrough decision. */
export interface PausedFrame<F> {
  readonly frame: F;
  readonly [gateBrand]: 'paused';
}

export interface PassthroughDecision {
  kind: 'passthrough';
  /** The frame as a PausedFrame, or null if masking came back on since the decision. */
  pause<F>(frame: F): PausedFrame<F> | null;
}

export interface MaskingDecision {
  kind: 'masking';
  /** Write the obscured placeholder for this frame (nothing masked is current). */
  placeholder: boolean;
  /** Send this frame to the worker now, with this ticket. */
  send: SendTicket | null;
  /** Keep this frame as the next to send (replacing an older one). */
  hold: boolean;
}

export type CameraFrameDecision = PassthroughDecision | MaskingDecision;

export interface GateStatus {
  status: MaskStatus;
  problem?: Problem;
}

interface Sent {
  id: number;
  sentAt: number;
  arrivedAt: number;
}

export class FrameGate {
  private enabled: boolean;
  private style: MaskStyle;
  private showReadout: boolean;
  private nextId = 1;
  /** The frame holding the worker slot (null: free). */
  private inFlight: Sent | null = null;
  /** Sent frames not answered yet, oldest first (answers come back in order). */
  private unanswered: Sent[] = [];
  private lastWrittenTimestamp = -Infinity;
  /** ms from send to answer of the last PACE_WINDOW answered frames. */
  private answerMs: number[] = [];
  /** What the worker last said; null until it answers (and again after a settings change or reset). */
  private lastCause: ObscuredCause | 'masked' | null = null;
  private lastProblem: Problem | undefined;

  constructor(settings: MaskSettings) {
    this.enabled = settings.enabled;
    this.style = settings.style;
    this.showReadout = settings.showReadout;
  }

  get settings(): MaskSettings {
    return { enabled: this.enabled, style: this.style, showReadout: this.showReadout };
  }

  /**
   * New settings. Back to masking, or to another style: nothing drawn in the new settings is current,
   * so the placeholder covers until it is (a frame drawn in the old style is never written after).
   * The read-out going on or off changes only what the next frames are asked for: a masked frame
   * with or without the panel is as masked either way.
   */
  apply(settings: MaskSettings): void {
    this.showReadout = settings.showReadout;
    if (settings.enabled === this.enabled && settings.style === this.style) return;
    this.enabled = settings.enabled;
    this.style = settings.style;
    this.lastCause = null;
    this.lastProblem = undefined;
  }

  /** A camera frame with this timestamp arrived at `now`. */
  onCameraFrame(now: number, engineReady: boolean, timestamp: number): CameraFrameDecision {
    if (!this.enabled) {
      return {
        kind: 'passthrough',
        pause: <F>(frame: F) => {
          if (this.enabled || !this.claimWrite(timestamp)) return null;
          return { frame } as PausedFrame<F>;
        },
      };
    }
    this.expireLost(now);
    const send = engineReady && !this.inFlight ? this.reserve(now, now) : null;
    const current = this.lastCause === 'masked' && !this.stalled(now);
    const placeholder = !current && this.claimWrite(timestamp);
    return { kind: 'masking', placeholder, send, hold: engineReady && !send };
  }

  /** Whether a masked picture of the frame with this timestamp could still be written. */
  canWrite(timestamp: number): boolean {
    return timestamp > this.lastWrittenTimestamp;
  }

  /** After an answer: the slot for the held frame, if it may go to the worker now. */
  sendHeld(now: number, engineReady: boolean, arrivedAt: number): SendTicket | null {
    if (!this.enabled || !engineReady) return null;
    this.expireLost(now);
    return this.inFlight ? null : this.reserve(now, arrivedAt);
  }

  /** The ticket's frame never reached the worker (its pixels could not be copied): free the slot. */
  cancel(ticket: SendTicket): void {
    if (this.inFlight?.id === ticket.id) this.inFlight = null;
    this.unanswered = this.unanswered.filter((s) => s.id !== ticket.id);
  }

  /** A new worker is being connected: whatever the old one held is gone. */
  resetPipeline(): void {
    this.inFlight = null;
    this.unanswered = [];
    this.lastCause = null;
    this.lastProblem = undefined;
    this.answerMs = [];
  }

  /** Camera → answer time of frame `id`, if it is the one in flight. */
  latencyOf(id: number, now: number): number | undefined {
    return this.inFlight?.id === id ? now - this.inFlight.arrivedAt : undefined;
  }

  /**
   * A masked frame came back, drawn in `style`. Write it unless masking is off, the style changed
   * since it was sent, or a frame as new was written (then the worker still counts as masking).
   */
  onMasked(now: number, id: number, timestamp: number, style: MaskStyle): MaskedAnswer | null {
    this.settle(now, id);
    if (!this.enabled || style !== this.style) return null;
    this.lastCause = 'masked';
    this.lastProblem = undefined;
    return this.claimWrite(timestamp) ? ({ id, timestamp } as MaskedAnswer) : null;
  }

  /** The worker could not mask a frame: the next camera frames get the placeholder. */
  onObscured(now: number, id: number, cause: ObscuredCause, problem: Problem | undefined): void {
    this.settle(now, id);
    this.lastCause = cause;
    this.lastProblem = problem;
  }

  /** Milliseconds the oldest frame still unanswered has waited (0 when every sent frame is answered). */
  stalledFor(now: number): number {
    const oldest = this.unanswered[0];
    return oldest ? now - oldest.sentAt : 0;
  }

  /**
   * How long the oldest unanswered frame may wait before the output shows the placeholder: STALL_MS,
   * or twice the engine's usual answer time if it is slower (a picture every 250 ms is masking, not a
   * stall), up to LOST_MS.
   */
  stallLimit(): number {
    if (!this.answerMs.length) return STALL_MS;
    const sorted = [...this.answerMs].sort((a, b) => a - b);
    const usual = sorted[Math.floor(sorted.length / 2)]!;
    return Math.min(LOST_MS, Math.max(STALL_MS, 2 * usual));
  }

  /** Whether the oldest unanswered frame has waited past the stall limit. */
  stalled(now: number): boolean {
    return this.stalledFor(now) > this.stallLimit();
  }

  status(now: number, engineReady: boolean): GateStatus {
    if (!this.enabled) return { status: 'off' };
    if (this.stalledFor(now) > LOST_MS) return { status: 'error', problem: { kind: 'stalled' } };
    if (!engineReady || this.lastCause === null) return { status: 'starting' };
    if (this.lastCause === 'masked') return { status: 'masking' };
    return { status: this.lastCause, problem: this.lastProblem };
  }

  /** The output takes a frame with this timestamp only if it is newer than every frame written. */
  private claimWrite(timestamp: number): boolean {
    if (timestamp <= this.lastWrittenTimestamp) return false;
    this.lastWrittenTimestamp = timestamp;
    return true;
  }

  private reserve(now: number, arrivedAt: number): SendTicket {
    const sent = { id: this.nextId++, sentAt: now, arrivedAt };
    this.inFlight = sent;
    this.unanswered.push(sent);
    if (this.unanswered.length > MAX_UNANSWERED) this.unanswered.shift();
    return { id: sent.id, style: this.style, readout: this.showReadout } as SendTicket;
  }

  /** A frame in flight for longer than LOST_MS is lost: its slot is free (the stall clock keeps it). */
  private expireLost(now: number): void {
    if (this.inFlight && now - this.inFlight.sentAt > LOST_MS) this.inFlight = null;
  }

  private settle(now: number, id: number): void {
    const sent = this.unanswered.find((s) => s.id === id);
    if (sent) {
      this.answerMs.push(now - sent.sentAt);
      if (this.answerMs.length > PACE_WINDOW) this.answerMs.shift();
    }
    if (this.inFlight?.id === id) this.inFlight = null;
    // Answers come back in order: this one answers every frame sent up to it.
    this.unanswered = this.unanswered.filter((s) => s.id > id);
  }
}
