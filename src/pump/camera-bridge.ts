/**
 * Isolated world: serves the MAIN world's camera requests with the native getUserMedia (the page
 * cannot reach this world's copy) and hands back the masked output stream of a CameraSession.
 */
import type { PageChannelEnd } from '../channel/page-channel';
import type { MaskSettings, PageReply, PageRequest, StatusReport, VideoConstraints } from '../channel/protocol';
import { CameraSession, describeCamera } from './camera-session';

export interface BridgeHost {
  /** The tab's settings, asked once, when the first camera opens. */
  initialSettings(): Promise<MaskSettings>;
  reportStatus(report: StatusReport): void;
}

export class CameraBridge {
  private readonly sessions = new Map<number, CameraSession>();
  private nextSession = 1;
  private settings: Promise<MaskSettings> | null = null;

  constructor(
    private readonly end: PageChannelEnd,
    private readonly host: BridgeHost,
  ) {
    end.port.onmessage = (e: MessageEvent<PageRequest>) => void this.onRequest(e.data);
  }

  applySettings(settings: MaskSettings): void {
    this.settings = Promise.resolve(settings);
    for (const session of this.sessions.values()) session.applySettings(settings);
  }

  private reply(message: PageReply): void {
    this.end.port.postMessage(message);
  }

  private async onRequest(request: PageRequest): Promise<void> {
    switch (request.type) {
      case 'open':
        return this.open(request.id, request.video, request.audio);
      case 'apply': {
        const session = this.sessions.get(request.session);
        try {
          if (!session) throw new DOMException('Track ended', 'InvalidStateError');
          const camera = await session.applyConstraints(request.constraints);
          this.reply({ type: 'applied', id: request.id, ok: true, camera });
        } catch (error) {
          const { name, message } = error instanceof Error ? error : new Error(String(error));
          this.reply({ type: 'applied', id: request.id, ok: false, name, message });
        }
        return;
      }
      case 'release':
        this.sessions.get(request.session)?.stop();
        return;
    }
  }

  private async open(id: number, video: VideoConstraints, audio: MediaTrackConstraints | boolean | undefined): Promise<void> {
    let camera: MediaStream;
    let settings: MaskSettings;
    try {
      this.settings ??= this.host.initialSettings();
      [camera, settings] = await Promise.all([navigator.mediaDevices.getUserMedia({ video, audio }), this.settings]);
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      this.reply({ type: 'open-failed', id, name, message });
      return;
    }
    const cameraTrack = camera.getVideoTracks()[0];
    if (!cameraTrack) {
      for (const t of camera.getTracks()) t.stop();
      this.reply({ type: 'open-failed', id, name: 'NotReadableError', message: 'Could not start video source' });
      return;
    }
    const sessionId = this.nextSession++;
    const session = new CameraSession(camera, cameraTrack, settings, {
      onStatus: (status) => this.host.reportStatus(status),
      onEnded: () => {
        this.sessions.delete(sessionId);
        this.reply({ type: 'ended', session: sessionId });
        if (this.sessions.size === 0) this.host.reportStatus({ status: 'idle' });
      },
    });
    this.sessions.set(sessionId, session);
    session.start();
    // The stream crosses to the MAIN world as srcObject; the reply tells it to pick it up now.
    this.end.video.srcObject = session.output;
    this.reply({ type: 'opened', id, session: sessionId, camera: describeCamera(cameraTrack) });
  }
}
