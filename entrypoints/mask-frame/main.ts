/**
 * The extension frame: a web-accessible page the isolated world embeds in the call page.
 * It accepts one port from its parent, asks the background whether the token with it was issued
 * to this very tab, and only then hands the port to the mask worker. The page shares the parent
 * window and may post here too, but it has no token: its ports are closed, and they cannot keep
 * the real one out.
 */
import { sendMessage } from '@/src/channel/messaging';

let accepted = false;

async function accept(port: MessagePort, token: unknown): Promise<void> {
  const valid = typeof token === 'string' && (await sendMessage('redeemFrameToken', token).catch(() => false));
  if (!valid || accepted) {
    port.close();
    return;
  }
  accepted = true; // one worker per frame
  const worker = new Worker('/mask-worker.js');
  worker.postMessage({ type: 'connect', port }, [port]);
}

window.addEventListener('message', (e: MessageEvent<{ type?: string; token?: unknown }>) => {
  const port = e.ports[0];
  if (accepted || e.source !== window.parent || e.data?.type !== 'telemask-connect' || !port) return;
  void accept(port, e.data.token);
});
