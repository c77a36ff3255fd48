/**
 * One camera session in the page's isolated world: the native camera, its frame path, and the
 * output track the page receives. It owns one lifecycle: everything it starts (pump, engine,
 * watchdog, settings subscription) is scoped to one AbortSignal, a child of the document's, and
 * everything ends through it — page release, camera unplugged, pump finished, extension reloaded.
 *
 *   camera track → FrameSource → FramePump ⇄ gate ⇄ (pixels) → mask engine (EngineSupervisor)
 *                                     ↓ placeholder / masked / paused
 *                                  FrameSink → the page's track
 */
import type { CameraInfo, FromWorker, MaskSettings, PhotoFormat, StatusReport } from '../channel/protocol';
import type { LiveValue } from '../settings/live-value';
import { EngineSupervisor, type EngineProvider } from './engine-supervisor';
import { realClock, type CameraFrame, type Clock, type FramePath } from './frame-io';
import { FramePump } from './frame-pump';
import { FrameGate } from './gate';
import { StatusReporter } from './status-reporter';

const WATCHDOG_MS = 250;

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

export class CameraSession<F extends CameraFrame> {
  readonly output: MediaStream;
  private readonly controller = new AbortController();
  private readonly signal: AbortSignal;
  private readonly gate: FrameGate;
  private readonly pump: FramePump<F>;
  private readonly engine: EngineSupervisor;
  private readonly reporter: StatusReporter;

  constructor(
    private readonly camera: MediaStream,
    private readonly cameraTrack: MediaStreamTrack,
    path: FramePath<F>,
    settings: LiveValue<MaskSettings>,
    engines: EngineProvider,
    private readonly events: SessionEvents,
    parent: AbortSignal,
    private readonly clock: Clock = realClock,
  ) {
    this.signal = AbortSignal.any([parent, this.controller.signal]);
    // The settings as they are at this very moment, and every change from now on.
    this.gate = new FrameGate(settings.value);
    this.engine = new EngineSupervisor(engines, this.gate, clock, (m) => this.onWorkerMessage(m), () => this.pump.dropHeld(), this.signal);
    this.pump = new FramePump(path.source, path.sink, this.gate, () => this.engine.link, clock, this.signal);
    this.reporter = new StatusReporter((s) => events.onStatus(s), clock.now());
    this.output = new MediaStream([path.output, ...camera.getAudioTracks()]);
    settings.subscribe((s) => this.applySettings(s), this.signal);
    cameraTrack.addEventListener('ended', () => this.stop(), { signal: this.signal });
    this.signal.addEventListener('abort', () => {
      for (const track of camera.getVideoTracks()) track.stop();
      path.sink.close();
      events.onEnded();
    }, { once: true });
  }

  get ended(): boolean {
    return this.signal.aborted;
  }

  start(): void {
    if (this.signal.aborted) return;
    this.engine.start();
    void this.pump.run().finally(() => this.stop());
    this.clock.every(WATCHDOG_MS, () => this.watchdog(), this.signal);
    this.report();
  }

  stop(): void {
    this.controller.abort();
  }

  async applyConstraints(constraints: MediaTrackConstraints): Promise<CameraInfo> {
    await this.cameraTrack.applyConstraints(constraints);
    return describeCamera(this.cameraTrack);
  }

  /** The real camera's photo capabilities or settings (no pixels), for the page's ImageCapture. */
  async photoQuery(what: 'capabilities' | 'settings'): Promise<PhotoCapabilities | PhotoSettings | null> {
    if (typeof ImageCapture !== 'function') return null;
    const capture = new ImageCapture(this.cameraTrack);
    return (what === 'capabilities' ? capture.getPhotoCapabilities() : capture.getPhotoSettings()).catch(() => null);
  }

  /**
   * The page takes a photo: the real camera takes one (its flash, focus and size as the page asked),
   * and only its format leaves here; the page's photo is drawn from the masked track (src/hook/photo.ts).
   */
  async photoFormat(settings: PhotoSettings): Promise<PhotoFormat> {
    const blob = await new ImageCapture(this.cameraTrack).takePhoto(settings);
    const image = await createImageBitmap(blob);
    const format = { type: blob.type, width: image.width, height: image.height };
    image.close();
    return format;
  }

  private applySettings(settings: MaskSettings): void {
    this.gate.apply(settings);
    if (!settings.enabled) this.pump.dropHeld();
    this.report();
  }

  private onWorkerMessage(message: FromWorker): void {
    if (message.type !== 'status') this.pump.onAnswer(message);
    this.report();
  }

  private watchdog(): void {
    this.engine.tick(this.clock.now());
    this.report();
  }

  private report(): void {
    if (this.signal.aborted) return;
    const now = this.clock.now();
    const problem = this.gate.settings.enabled ? this.engine.problem : null;
    const status: StatusReport = problem ? { status: 'error', problem } : this.gate.status(now, this.engine.ready);
    this.reporter.update(now, status, this.pump.perf);
  }
}
