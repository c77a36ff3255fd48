/**
 * Pump and scheduling: reads camera frames, asks the gate what each one is for, copies the chosen
 * ones' pixels to the mask engine, and writes what the gate lets through to the sink. Latest frame
 * wins: one frame is with the worker, the newest waits as the next to send, older ones are dropped —
 * never a queue, and never a raw frame unless the gate made it a PausedFrame.
 */
import type { FromWorker, ToWorker } from '../channel/protocol';
import { PerfWindow } from '../status/perf';
import type { CameraFrame, Clock, FrameSink, FrameSource } from './frame-io';
import type { FrameGate, SendTicket } from './gate';

/** What the pump needs of the mask engine in use right now. */
export interface EngineLink {
  readonly ready: boolean;
  send(message: Extract<ToWorker, { type: 'frame' }>): void;
}

interface Held<F> {
  frame: F;
  arrivedAt: number;
}

export class FramePump<F extends CameraFrame> {
  readonly perf: PerfWindow;
  private held: Held<F> | null = null;

  constructor(
    private readonly source: FrameSource<F>,
    private readonly sink: FrameSink<F>,
    private readonly gate: FrameGate,
    private readonly engine: () => EngineLink | null,
    private readonly clock: Clock,
    private readonly signal: AbortSignal,
  ) {
    this.perf = new PerfWindow(clock.now());
    signal.addEventListener('abort', () => {
      this.dropHeld();
      source.cancel();
    }, { once: true });
  }

  private get engineReady(): boolean {
    return this.engine()?.ready ?? false;
  }

  /** Pumps until the camera ends or the session's signal aborts. */
  async run(): Promise<void> {
    while (!this.signal.aborted) {
      const frame = await this.source.read().catch(() => null);
      if (!frame) return;
      if (this.signal.aborted) {
        frame.close();
        return;
      }
      this.onCameraFrame(frame);
    }
  }

  onCameraFrame(frame: F): void {
    const now = this.clock.now();
    const decision = this.gate.onCameraFrame(now, this.engineReady, frame.timestamp);
    if (decision.kind === 'passthrough') {
      const paused = decision.pause(frame);
      if (paused) this.sink.writePaused(paused);
      else frame.close();
      return;
    }
    if (decision.placeholder) this.sink.writeObscured(frame.displayWidth, frame.displayHeight, frame.timestamp);
    if (decision.send) {
      void this.send(frame, decision.send);
    } else if (decision.hold) {
      this.dropHeld();
      this.held = { frame, arrivedAt: now };
    } else {
      frame.close();
    }
  }

  /** A worker answer: a masked frame the gate accepts is written; then the held frame goes next. */
  onAnswer(message: Extract<FromWorker, { type: 'masked' | 'obscured' }>): void {
    const now = this.clock.now();
    if (message.type === 'masked') {
      const latency = this.gate.latencyOf(message.id, now);
      const answer = this.gate.onMasked(now, message.id, message.timestamp, message.style);
      if (answer) {
        if (latency !== undefined) this.perf.addMasked(message.ms, latency);
        this.sink.writeMasked(answer, message.bitmap);
      } else {
        message.bitmap.close();
      }
    } else {
      this.gate.onObscured(now, message.id, message.cause, message.problem);
    }
    this.sendHeld();
  }

  /** A new engine replaces the old one, or masking was paused: the held frame is stale. */
  dropHeld(): void {
    this.held?.frame.close();
    this.held = null;
  }

  private sendHeld(): void {
    const held = this.held;
    if (!held) return;
    // It got the placeholder meanwhile: its masked picture could never be written.
    if (!this.gate.canWrite(held.frame.timestamp)) return this.dropHeld();
    const ticket = this.gate.sendHeld(this.clock.now(), this.engineReady, held.arrivedAt);
    if (!ticket) return;
    this.held = null;
    void this.send(held.frame, ticket);
  }

  /** Copies the frame's pixels to the engine and closes it; the frame itself never leaves. */
  private async send(frame: F, ticket: SendTicket): Promise<void> {
    try {
      const pixels = await frame.copyPixels();
      const engine = this.engine();
      if (!engine?.ready || this.signal.aborted) {
        this.gate.cancel(ticket);
        return;
      }
      engine.send({ type: 'frame', id: ticket.id, timestamp: frame.timestamp, style: ticket.style, readout: ticket.readout, pixels });
    } catch {
      this.gate.cancel(ticket);
    } finally {
      frame.close();
    }
  }
}
