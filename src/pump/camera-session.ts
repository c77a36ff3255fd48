/**
 * One camera session in the page's isolated world: the native camera, the frame pump and the
 * output track the page receives. Everything ends through one path, `stop()`, driven by an
 * AbortSignal: page release, camera unplugged, tab close.
 *
 *   camera track → MediaStreamTrackProcessor → gate → (pixels) → mask worker
 *                                                 ↘ placeholder      ↓ masked bitmap
 *                            MediaStreamTrackGenerator ← gate ←──────┘
 */
import type { CameraInfo, FromWorker, MaskSettings, StatusReport } from '../channel/protocol';
import type { MaskStyle } from '../settings/style';
import { FrameGate, LOST_MS, type GateMode } from './gate';
import { MaskTransport } from './mask-transport';
import { maskedFrame, OutputWriter, placeholderFrame } from './output-frames';
import { PerfWindow } from '../status/perf';

/** A transport silent this long is torn down and rebuilt (worker crashed, frame removed). */
const RECONNECT_AFTER_MS = 2 * LOST_MS;
/** A transport whose worker has not answered by then is reported as failed and rebuilt. */
const START_TIMEOUT_MS = 15_000;
const WATCHDOG_MS = 250;
/** How often the pipeline's speed is reported while masking. */
const PERF_EVERY_MS = 2000;

interface HeldFrame {
  frame: VideoFrame;
  arrivedAt: number;
}

export interface SessionEvents {
  onStatus(status: StatusReport): void;
  onEnded(): void;
}

export function describeCamera(track: MediaStreamTrack): CameraInfo {
  return {
    label: track.label,
    settings: track.getSettings(),
    constraints: track.getConstraints(),
    capabilities: track.getCapabilities?.() ?? {},
  };
}

export class CameraSession {
  readonly output: MediaStream;
  private readonly gate: FrameGate;
  private readonly writer: OutputWriter;
  private readonly generator: MediaStreamTrackGenerator;
  private readonly abort = new AbortController();
  private transport: MaskTransport | null = null;
  /** The newest camera frame waiting for the worker to finish the one it has. */
  private held: HeldFrame | null = null;
  private nextFrameId = 1;
  private lastStatus = '';
  private transportSince = 0;
  private readonly perf = new PerfWindow(performance.now());
  private perfReportedAt = performance.now();

  private style: MaskStyle;

  constructor(
    private readonly camera: MediaStream,
    private readonly cameraTrack: MediaStreamTrack,
    settings: MaskSettings,
    private readonly events: SessionEvents,
  ) {
    this.gate = new FrameGate(settings.enabled ? 'masking' : 'off');
    this.style = settings.style;
    this.generator = new MediaStreamTrackGenerator({ kind: 'video' });
    this.writer = new OutputWriter(this.generator.writable.getWriter());
    this.output = new MediaStream([this.generator, ...camera.getAudioTracks()]);
    cameraTrack.addEventListener('ended', () => this.stop(), { signal: this.abort.signal });
  }

  start(): void {
    this.connectTransport();
    void this.pump();
    const timer = setInterval(() => this.watchdog(), WATCHDOG_MS);
    this.abort.signal.addEventListener('abort', () => clearInterval(timer));
    this.reportStatus();
  }

  applySettings(settings: MaskSettings): void {
    const mode: GateMode = settings.enabled ? 'masking' : 'off';
    this.gate.setMode(mode);
    if (mode === 'off') this.dropHeld();
    if (settings.style !== this.style) {
      this.style = settings.style;
      this.transport?.setStyle(settings.style);
    }
    this.reportStatus();
  }

  async applyConstraints(constraints: MediaTrackConstraints): Promise<CameraInfo> {
    await this.cameraTrack.applyConstraints(constraints);
    return describeCamera(this.cameraTrack);
  }

  stop(): void {
    if (this.abort.signal.aborted) return;
    this.abort.abort();
    for (const track of this.camera.getVideoTracks()) track.stop();
    this.transport?.dispose();
    this.transport = null;
    this.dropHeld();
    this.writer.close();
    this.events.onEnded();
  }

  private async pump(): Promise<void> {
    const processor = new MediaStreamTrackProcessor({ track: this.cameraTrack, maxBufferSize: 2 });
    const reader = processor.readable.getReader();
    this.abort.signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined));
    for (;;) {
      const { value: frame, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done || !frame) break;
      this.onCameraFrame(frame).catch(() => frame.close());
    }
    this.stop();
  }

  private async onCameraFrame(frame: VideoFrame): Promise<void> {
    const now = performance.now();
    const decision = this.gate.onCameraFrame(now, this.transport?.ready ?? false);
    if (decision.kind === 'passthrough') {
      this.writer.writeRawWhilePaused(frame, 'off');
      return;
    }
    if (decision.placeholder) {
      this.writer.writeSafe(placeholderFrame(frame.displayWidth, frame.displayHeight, frame.timestamp));
    }
    if (decision.send) {
      await this.sendToWorker({ frame, arrivedAt: now });
    } else if (decision.hold) {
      // Latest wins: this frame goes next, the one it replaces is dropped.
      this.held?.frame.close();
      this.held = { frame, arrivedAt: now };
    } else {
      frame.close();
    }
  }

  /** Copies the frame's pixels to the worker and closes it; the frame itself never leaves. */
  private async sendToWorker({ frame, arrivedAt }: HeldFrame): Promise<void> {
    try {
      const transport = this.transport;
      if (!transport) return;
      const buffer = new ArrayBuffer(frame.allocationSize());
      const layout = await frame.copyTo(buffer);
      const id = this.nextFrameId++;
      const rect = frame.visibleRect;
      this.gate.onSent(id, performance.now(), arrivedAt);
      transport.send({
        type: 'frame',
        id,
        timestamp: frame.timestamp,
        pixels: {
          format: frame.format ?? 'I420',
          codedWidth: frame.codedWidth,
          codedHeight: frame.codedHeight,
          visibleRect: rect
            ? { x: rect.x, y: rect.y, width: rect.width, height: rect.height }
            : { x: 0, y: 0, width: frame.codedWidth, height: frame.codedHeight },
          layout,
          displayWidth: frame.displayWidth,
          displayHeight: frame.displayHeight,
          buffer,
        },
      });
    } finally {
      frame.close();
    }
  }

  private sendHeld(): void {
    const held = this.held;
    if (!held || !this.gate.canSendHeld(this.transport?.ready ?? false)) return;
    this.held = null;
    this.sendToWorker(held).catch(() => undefined);
  }

  private dropHeld(): void {
    this.held?.frame.close();
    this.held = null;
  }

  private onWorkerMessage(message: FromWorker): void {
    const now = performance.now();
    if (message.type === 'masked') {
      const latency = this.gate.latencyOf(message.id, now);
      if (this.gate.onMasked(message.id, message.timestamp) === 'write-masked') {
        if (latency !== undefined) this.perf.addMasked(message.ms, latency);
        this.writer.writeSafe(maskedFrame(message.bitmap, message.timestamp));
      } else {
        message.bitmap.close();
      }
    } else if (message.type === 'obscured') {
      this.gate.onObscured(message.id, message.cause, message.reason);
    }
    this.sendHeld();
    this.reportStatus();
  }

  private connectTransport(): void {
    this.dropHeld();
    const transport = new MaskTransport((m) => this.onWorkerMessage(m), this.style);
    this.transport = transport;
    this.transportSince = performance.now();
    this.gate.resetPipeline();
    transport.connect().catch(() => undefined);
  }

  private watchdog(): void {
    const now = performance.now();
    if (this.gate.getMode() !== 'masking') return this.reportStatus();
    const ready = this.transport?.ready ?? false;
    if (!ready && now - this.transportSince > START_TIMEOUT_MS) {
      this.reportStatus({ status: 'error', reason: 'The masking engine did not start' });
      this.transport?.dispose();
      this.connectTransport();
    } else if (this.gate.stalledFor(now) > RECONNECT_AFTER_MS) {
      this.reportStatus(this.gate.status(now, ready));
      this.transport?.dispose();
      this.connectTransport();
    } else if (now - this.perfReportedAt >= PERF_EVERY_MS) {
      this.perfReportedAt = now;
      const perf = this.perf.take(now);
      const status = this.gate.status(now, ready);
      if (status.status === 'masking' && perf) this.reportStatus({ ...status, perf }, true);
      else this.reportStatus();
    } else {
      this.reportStatus();
    }
  }

  private reportStatus(override?: StatusReport, force = false): void {
    const status = override ?? this.gate.status(performance.now(), this.transport?.ready ?? false);
    const key = `${status.status}|${status.reason ?? ''}`;
    if (key === this.lastStatus && !force) return;
    this.lastStatus = key;
    this.events.onStatus(status);
  }
}
