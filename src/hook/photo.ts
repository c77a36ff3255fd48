/**
 * ImageCapture on a masked track, as on a camera's: `takePhoto()` returns a photo of the masked
 * picture, like every frame the page gets — the real camera takes its photo (flash, size, format as
 * the page asked), only that photo's format crosses to this world, and the masked frame is encoded in
 * it; `getPhotoCapabilities()` and `getPhotoSettings()` are the real camera's (no pixels).
 * `grabFrame()` already reads the masked track natively.
 */
import { cameraOf } from './camera-track';
import { replaceMethod } from './native-look';

const NativeDOMException = DOMException;

export function patchImageCapture(): void {
  if (typeof ImageCapture !== 'function') return;
  const proto = ImageCapture.prototype;
  const trackOf = Object.getOwnPropertyDescriptor(proto, 'track')!.get!;
  const grabFrame = proto.grabFrame;

  replaceMethod(proto, 'takePhoto', (native) =>
    async function (this: unknown, ...args: unknown[]) {
      const camera = cameraOf(trackOf.call(this));
      if (!camera) return native.apply(this, args);
      const settings = (args[0] ?? {}) as PhotoSettings;
      const format = await camera.client.photoFormat(camera.session, settings);
      const frame = await grabFrame.call(this as ImageCapture).catch((e: unknown) => {
        throw new NativeDOMException(e instanceof Error ? e.message : 'takePhoto failed', 'UnknownError');
      });
      const canvas = new OffscreenCanvas(format.width, format.height);
      canvas.getContext('2d')!.drawImage(frame, 0, 0, format.width, format.height);
      frame.close();
      return canvas.convertToBlob({ type: format.type, quality: 0.92 });
    },
  );
  replaceMethod(proto, 'getPhotoCapabilities', (native) =>
    async function (this: unknown, ...args: unknown[]) {
      const camera = cameraOf(trackOf.call(this));
      if (!camera) return native.apply(this, args);
      const capabilities = await camera.client.photoQuery(camera.session, 'capabilities');
      if (!capabilities) throw new NativeDOMException('getPhotoCapabilities failed', 'UnknownError');
      return capabilities;
    },
  );
  replaceMethod(proto, 'getPhotoSettings', (native) =>
    async function (this: unknown, ...args: unknown[]) {
      const camera = cameraOf(trackOf.call(this));
      if (!camera) return native.apply(this, args);
      const settings = await camera.client.photoQuery(camera.session, 'settings');
      if (!settings) throw new NativeDOMException('getPhotoSettings failed', 'UnknownError');
      return settings;
    },
  );
}
