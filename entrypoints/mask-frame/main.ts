/**
 * The extension frame: a web-accessible page the isolated world embeds in the call page.
 * It accepts one port from its parent, asks the background whether the token with it was issued
 * to this very tab, and only then hands the port to the mask worker.
 */
import { sendMessage } from '@/src/channel/messaging';

let accepted = false;

window.addEventListener('message', async (e: MessageEvent<{ type?: string; token?: unknown }>) => {
  const port = e.ports[0];
  if (accepted || e.source !== window.parent || e.data?.type !== 'telemask-connect' || !port) return;
  accepted = true; // one port per frame, even while the first is being checked
  if (typeof e.data.token !== 'string' || !(await sendMessage('redeemFrameToken', e.data.token))) {
    port.close();
    return;
  }
  const worker = new Worker('/mask-worker.js');
  worker.postMessage({ type: 'connect', port }, [port]);
});
