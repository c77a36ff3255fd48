/**
 * Carries camera pixels from the page's isolated world to the mask worker and masked frames back.
 *
 * The worker lives in a web-accessible extension page in a hidden iframe: on strict-CSP pages
 * WASM and workers are blocked in both content-script worlds, but the extension's own origin runs
 * them (notes/frame-path.md). A VideoFrame cannot cross into a cross-origin frame, so pixels cross
 * as a transferred buffer and come back as an ImageBitmap. The port is authenticated with a
 * one-time token the background issued to this tab, which the page cannot forge.
 */
import { browser } from 'wxt/browser';
import { sendMessage } from '../channel/messaging';
import type { FromWorker, ToWorker } from '../channel/protocol';
import type { MaskStyle } from '../settings/style';

const FRAME_PAGE = '/mask-frame.html';

export class MaskTransport {
  private iframe: HTMLIFrameElement | null = null;
  private port: MessagePort | null = null;
  private connected = false;
  private disposed = false;

  constructor(
    private readonly onMessage: (message: FromWorker) => void,
    private style: MaskStyle,
  ) {}

  /** The mask style the worker draws; sent first on connect, and on every change. */
  setStyle(style: MaskStyle): void {
    this.style = style;
    this.port?.postMessage({ type: 'config', style } satisfies ToWorker);
  }

  /** True once the worker's model is loaded (or failed, which it then answers per frame). */
  get ready(): boolean {
    return this.connected && !this.disposed;
  }

  async connect(): Promise<void> {
    const iframe = document.createElement('iframe');
    this.iframe = iframe;
    iframe.setAttribute('aria-hidden', 'true');
    iframe.tabIndex = -1;
    iframe.style.cssText =
      'position:fixed!important;left:-10px!important;top:-10px!important;width:1px!important;height:1px!important;' +
      'opacity:0!important;border:0!important;pointer-events:none!important;';
    const loaded = new Promise<void>((resolve) => iframe.addEventListener('load', () => resolve(), { once: true }));
    iframe.src = browser.runtime.getURL(FRAME_PAGE);
    (document.body ?? document.documentElement).appendChild(iframe);
    const [token] = await Promise.all([sendMessage('issueFrameToken', undefined), loaded]);
    if (this.disposed || !iframe.contentWindow) return;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    port1.onmessage = (e: MessageEvent<FromWorker>) => {
      // Frames sent while the model loads would only queue up behind it: send once it is ready.
      if (e.data.type !== 'status' || e.data.status !== 'starting') this.connected = true;
      this.onMessage(e.data);
    };
    port1.postMessage({ type: 'config', style: this.style } satisfies ToWorker);
    iframe.contentWindow.postMessage({ type: 'telemask-connect', token }, new URL(iframe.src).origin, [port2]);
  }

  send(message: ToWorker): void {
    this.port?.postMessage(message, message.type === 'frame' ? [message.pixels.buffer] : []);
  }

  dispose(): void {
    this.disposed = true;
    this.port?.close();
    this.iframe?.remove();
    this.port = null;
    this.iframe = null;
  }
}
