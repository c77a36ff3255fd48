/**
 * Page ISOLATED world, document_start, every document the hook runs in: owns the native camera,
 * the frame pump and the mask engines, and the document's line to the background (settings in,
 * status out). Everything here lives as long as the document's telemask does: WXT's context signal,
 * ended early if the extension goes away.
 */
import { connectTabLink } from '@/src/channel/tab-link';
import { offerPageChannel } from '@/src/channel/page-channel';
import { CameraBridge } from '@/src/pump/camera-bridge';
import { framePathFor } from '@/src/pump/frame-paths';
import { EnginePool } from '@/src/pump/engine-pool';
import { MaskTransport } from '@/src/pump/mask-transport';
import { CONTENT_SCRIPT_DOCUMENTS } from '@/src/settings/origins';

export default defineContentScript({
  ...CONTENT_SCRIPT_DOCUMENTS,
  // WXT's default start message is a window.postMessage naming the extension: any page could read it.
  noScriptStartedPostMessage: true,
  main(ctx) {
    const lifecycle = new AbortController();
    ctx.onInvalidated(() => lifecycle.abort());
    const signal = lifecycle.signal;
    const link = connectTabLink(signal, () => lifecycle.abort());
    // The top document starts its engine now, so the model is loaded before the call asks for the camera.
    const engines = new EnginePool(() => new MaskTransport(), signal, window === window.top);
    engines.warm();
    offerPageChannel((end) => {
      new CameraBridge(end, {
        settings: link.settings,
        engines,
        framePath: framePathFor,
        reportStatus: (report) => link.report(report),
      }, signal);
      signal.addEventListener('abort', () => end.port.postMessage({ type: 'closed' }), { once: true });
    });
  },
});
