/**
 * Isolated world: serves the MAIN world's camera requests with the native getUserMedia (the page
 * cannot reach this world's copy) and hands back the masked output stream of a CameraSession.
 * Sessions are built from the document's live settings as they are when the camera opens, and
 * live inside the document's lifecycle (its AbortSignal).
 */
import type { PageChannelEnd } from '../channel/page-channel';
import type { CameraError, MaskSettings, PageReply, PageRequest, StatusReport, VideoConstraints } from '../channel/protocol';
import type { LiveValue } from '../settings/live-value';
import { combineStatuses } from '../status/status';
import { CameraSession, describeCamera } from './camera-session';
import type { EngineProvider } from './engine-supervisor';
import type { CameraFrame, FramePath } from './frame-io';

export interface BridgeHost {
  /** The document's settings, always current. */
  settings: LiveValue<MaskSettings>;
  engines: EngineProvider;
  /** This document's frame path for a camera track (null: the browser has none). */
  framePath(track: MediaStreamTrack): FramePath<CameraFrame> | null;
  /** What this document's cameras show, all sessions together. */
  reportStatus(report: StatusReport): void;
}

export function cameraError(error: unknown): CameraError {
  if (error instanceof DOMException || error instanceof Error) {
    const constraint = (error as { constraint?: unknown }).constraint;
    return { name: error.name, message: error.message, ...(typeof constraint === 'string' ? { constraint } : {}) };
  }
  return { name: 'NotReadableError', message: String(error) };
}

export class CameraBridge {
  private readonly sessions = new Map<number, CameraSession<CameraFrame>>();
  private readonly statuses = new Map<number, StatusReport>();
  private nextSession = 1;

  constructor(
    private readonly end: PageChannelEnd,
    private readonly host: BridgeHost,
    private readonly signal: AbortSignal,
  ) {
    end.port.onmessage = (e: MessageEvent<PageRequest>) => void this.onRequest(e.data);
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
          if (!session) throw new DOMException('The track has ended', 'InvalidStateError');
          this.reply({ type: 'applied', id: request.id, camera: await session.applyConstraints(request.constraints) });
        } catch (error) {
          this.reply({ type: 'apply-failed', id: request.id, error: cameraError(error) });
        }
        return;
      }
      case 'photo-query': {
        const value = (await this.sessions.get(request.session)?.photoQuery(request.what)) ?? null;
        this.reply({ type: 'photo-query', id: request.id, value });
        return;
      }
      case 'photo-format': {
        const session = this.sessions.get(request.session);
        try {
          if (!session) throw new DOMException('The track has ended', 'InvalidStateError');
          this.reply({ type: 'photo-format', id: request.id, format: await session.photoFormat(request.settings) });
        } catch (error) {
          this.reply({ type: 'photo-format', id: request.id, format: null, error: cameraError(error) });
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
    try {
      if (this.signal.aborted) throw new DOMException('Could not start video source', 'NotReadableError');
      camera = await navigator.mediaDevices.getUserMedia({ video, audio });
    } catch (error) {
      this.reply({ type: 'open-failed', id, error: cameraError(error) });
      return;
    }
    const cameraTrack = camera.getVideoTracks()[0];
    // A frame path that cannot be built fails the request: the page's getUserMedia must settle.
    let path: FramePath<CameraFrame> | null;
    try {
      path = cameraTrack && !this.signal.aborted ? this.host.framePath(cameraTrack) : null;
    } catch {
      path = null;
    }
    if (!cameraTrack || !path) {
      for (const t of camera.getTracks()) t.stop();
      this.reply({ type: 'open-failed', id, error: { name: 'NotReadableError', message: 'Could not start video source' } });
      return;
    }
    const sessionId = this.nextSession++;
    // Built from the settings as they are now, after the camera opened: a change made while the
    // camera was starting (a permission prompt can take seconds) is already in them.
    const session = new CameraSession(camera, cameraTrack, path, this.host.settings, this.host.engines, {
      onStatus: (status) => {
        this.statuses.set(sessionId, status);
        this.reportAll();
      },
      onEnded: () => {
        this.sessions.delete(sessionId);
        this.statuses.delete(sessionId);
        this.reply({ type: 'ended', session: sessionId });
        this.reportAll();
      },
    }, this.signal);
    this.sessions.set(sessionId, session);
    session.start();
    // The stream crosses to the MAIN world as srcObject; the reply tells it to pick it up now.
    this.end.video.srcObject = session.output;
    this.reply({ type: 'opened', id, session: sessionId, camera: describeCamera(cameraTrack) });
  }

  private reportAll(): void {
    this.host.reportStatus(combineStatuses([...this.statuses.values()]));
  }
}
