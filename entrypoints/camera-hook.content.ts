/**
 * Page MAIN world, document_start, every frame: replace getUserMedia before page code runs.
 * Never touches a raw frame: it only receives the masked stream from the isolated world.
 */
import { acceptPageChannel } from '@/src/channel/page-channel';
import { CameraClient } from '@/src/hook/camera-client';
import { installCameraHook } from '@/src/hook/install-hook';
import { DEFAULT_TELEHEALTH_MATCHES } from '@/src/settings/origins';

export default defineContentScript({
  matches: [...DEFAULT_TELEHEALTH_MATCHES],
  world: 'MAIN',
  runAt: 'document_start',
  allFrames: true,
  matchAboutBlank: true,
  main() {
    let client: CameraClient | null = null;
    acceptPageChannel((end) => {
      client = new CameraClient(end);
    });
    installCameraHook(() => client);
  },
});
