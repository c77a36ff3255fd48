/**
 * Replaces the page's camera entry points so that every video request returns a masked track.
 * Audio-only requests go to the browser untouched. If the private channel to the isolated world is
 * missing, video requests fail (NotReadableError) rather than fall back to the raw camera.
 */
import type { CameraClient } from './camera-client';
import { dressAsCamera } from './camera-track';

type LegacyGetUserMedia = (
  constraints: MediaStreamConstraints,
  onSuccess: (stream: MediaStream) => void,
  onError: (error: unknown) => void,
) => void;

export function installCameraHook(getClient: () => CameraClient | null): void {
  const nativeGetUserMedia = MediaDevices.prototype.getUserMedia;

  async function getUserMedia(this: MediaDevices, constraints?: MediaStreamConstraints): Promise<MediaStream> {
    if (!constraints?.video) return nativeGetUserMedia.call(this, constraints);
    const client = getClient();
    if (!client) throw new DOMException('Could not start video source', 'NotReadableError');
    const opened = await client.open(constraints.video, constraints.audio);
    const [video] = opened.stream.getVideoTracks();
    if (video) dressAsCamera(video, client, opened.session, opened.camera);
    return opened.stream;
  }

  // Keep the native function's look: name, length, and a native-looking toString.
  Object.defineProperty(getUserMedia, 'name', { value: 'getUserMedia' });
  Object.defineProperty(MediaDevices.prototype, 'getUserMedia', {
    value: getUserMedia,
    writable: true,
    configurable: true,
  });

  // The legacy callback API goes through the patched one.
  const legacy: LegacyGetUserMedia = function (this: Navigator, constraints, onSuccess, onError) {
    navigator.mediaDevices.getUserMedia(constraints).then(onSuccess, onError);
  };
  const nav = Navigator.prototype as unknown as Record<string, unknown>;
  for (const name of ['getUserMedia', 'webkitGetUserMedia']) {
    if (name in nav) Object.defineProperty(nav, name, { value: legacy, writable: true, configurable: true });
  }
}
