/**
 * Replaces the page's camera entry points so that every video request returns a masked track.
 * Audio-only requests go to the browser untouched. If the private channel to the isolated world is
 * missing, video requests fail (NotReadableError) rather than fall back to the raw camera.
 */
import type { CameraClient } from './camera-client';
import { dressAsCamera, patchTrackPrototype } from './camera-track';
import { replaceMethod } from './native-look';
import { patchImageCapture } from './photo';

const NativeDOMException = DOMException;

export function installCameraHook(getClient: () => Promise<CameraClient | null>): void {
  patchTrackPrototype();
  patchImageCapture();

  replaceMethod(MediaDevices.prototype, 'getUserMedia', (native) =>
    async function (this: unknown, ...args: unknown[]) {
      const constraints = args[0] as MediaStreamConstraints | undefined;
      if (!constraints?.video) return native.apply(this, args);
      const client = await getClient();
      if (!client) throw new NativeDOMException('Could not start video source', 'NotReadableError');
      const opened = await client.open(constraints.video, constraints.audio);
      const [video] = opened.stream.getVideoTracks();
      if (video) dressAsCamera(video, client, opened.session, opened.camera);
      return opened.stream;
    },
  );

  // The legacy callback API, under every prefix a browser has it (Firefox: mozGetUserMedia, which
  // gave a page the raw camera), goes through the patched one.
  const legacy = Object.getOwnPropertyNames(Navigator.prototype).filter((name) => /^(webkit|moz)?GetUserMedia$/i.test(name));
  for (const name of legacy) {
    replaceMethod(Navigator.prototype, name, () =>
      function (this: unknown, ...args: unknown[]) {
        const [constraints, onSuccess, onError] = args as [MediaStreamConstraints, (s: MediaStream) => void, (e: unknown) => void];
        navigator.mediaDevices.getUserMedia(constraints).then(onSuccess, onError);
      },
    );
  }
}
