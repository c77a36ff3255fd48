/**
 * The self-view's camera: the same pipeline a call uses (docs/architecture.md) — the native camera,
 * the browser's frame path (src/pump/frame-paths.ts), a CameraSession with its FrameGate, FramePump and EngineSupervisor, and
 * the mask worker behind the extension's own frame (MaskTransport) — so what the patient sees here
 * is what a call page would get, fail-closed rules included. Only the page differs: it is
 * telemask's own, and it has no pause (its settings are always enabled).
 */
import type { MaskSettings, StatusReport } from '../channel/protocol';
import { CameraSession } from '../pump/camera-session';
import { EnginePool } from '../pump/engine-pool';
import type { CameraFrame } from '../pump/frame-io';
import { framePathFor } from '../pump/frame-paths';
import { MaskTransport } from '../pump/mask-transport';
import { LiveValue } from '../settings/live-value';
import type { MaskStyle } from '../settings/style';

export interface SelfViewCamera {
  /** The camera as it is: shown small, on this page only; never recorded. */
  camera: MediaStream;
  session: CameraSession<CameraFrame>;
  setStyle(style: MaskStyle): void;
}

export async function openSelfViewCamera(
  style: MaskStyle,
  onStatus: (report: StatusReport) => void,
  onEnded: () => void,
  signal: AbortSignal,
): Promise<SelfViewCamera> {
  const camera = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
  const track = camera.getVideoTracks()[0];
  if (!track || signal.aborted) {
    for (const t of camera.getTracks()) t.stop();
    throw new Error('no camera track');
  }
  const path = framePathFor(track);
  if (!path) {
    for (const t of camera.getTracks()) t.stop();
    throw new Error('this browser cannot process camera frames');
  }
  // The read-out is for the clinician's view of a call; the self-view shows the mask alone.
  const settings = new LiveValue<MaskSettings>({ enabled: true, style, showReadout: false });
  const engines = new EnginePool(() => new MaskTransport(), signal, false);
  const session = new CameraSession(camera, track, path, settings, engines, { onStatus, onEnded }, signal);
  session.start();
  return { camera, session, setStyle: (next) => settings.set({ enabled: true, style: next, showReadout: false }) };
}
