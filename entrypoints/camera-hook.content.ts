/**
 * Page MAIN world, document_start, every frame — including about:blank, srcdoc, blob:, data: and
 * javascript: documents (match_origin_as_fallback): replace getUserMedia before page code runs.
 * Never touches a raw frame: it only receives the masked stream from the isolated world.
 */
import { acceptPageChannel } from '@/src/channel/page-channel';
import { CameraClient } from '@/src/hook/camera-client';
import { installCameraHook } from '@/src/hook/install-hook';
import { CONTENT_SCRIPT_DOCUMENTS } from '@/src/settings/origins';

/** How long a camera request waits for telemask's isolated world before it fails (closed). */
const CHANNEL_WAIT_MS = 10_000;

export default defineContentScript({
  ...CONTENT_SCRIPT_DOCUMENTS,
  world: 'MAIN',
  main() {
    // The isolated world offers the channel as soon as it runs; a page that asks for the camera
    // before that (Firefox can run the MAIN world's script well before the isolated one) waits for it.
    let client: CameraClient | null = null;
    let arrive = () => {};
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    acceptPageChannel((end) => {
      client = new CameraClient(end);
      arrive();
    });
    const wait = new Promise<void>((resolve) => setTimeout(resolve, CHANNEL_WAIT_MS));
    installCameraHook(async () => client ?? (await Promise.race([arrived, wait]), client));
  },
});
