/**
 * A mask engine reached through the extension's own frame: carries camera pixels from the page's
 * isolated world to the mask worker and masked frames back.
 *
 * The worker lives in a web-accessible extension page (mask-frame.html) in a hidden iframe: on
 * strict-CSP pages WASM and workers are blocked in both content-script worlds, but the extension's
 * own origin runs them (docs/frame-path.md). A VideoFrame cannot cross into a cross-origin frame, so
 * pixels cross as a transferred buffer and come back as an ImageBitmap. The port is authenticated
 * with a one-time token the background issued to this tab, which the page cannot forge.
 *
 * What the page can see of it: the frame sits in a closed shadow root of one element appended to
 * <html> (the page cannot reach into it, or read the frame's URL), and the frame's URL is the
 * extension's per-session dynamic URL (`use_dynamic_url`), so a page cannot probe for telemask by
 * its fixed id. A page still sees one extra element and one more entry in `window.frames`.
 */
import { browser } from 'wxt/browser';
import { sendMessage } from '../channel/messaging';
import type { FromWorker, ToWorker } from '../channel/protocol';
import type { Problem } from '../status/status';
import type { MaskEngine } from './engine-supervisor';
import { SessionFrames } from './session-frames';

const FRAME_PAGE = '/mask-frame.html';
/** How long the frame page may take to load before the connection counts as failed. */
const LOAD_TIMEOUT_MS = 10_000;

/** The one element per document that holds the engines' frames, out of the page's reach. */
let host: { element: HTMLElement; root: ShadowRoot } | null = null;

function engineRoot(): ShadowRoot {
  if (!host || !host.element.isConnected) {
    const element = document.createElement('span');
    const root = element.attachShadow({ mode: 'closed' });
    (document.documentElement ?? document).appendChild(element);
    host = { element, root };
  }
  return host.root;
}

/** The origin the frame's document has: Chrome serves a dynamic URL from the extension id's origin. */
function frameOrigin(src: string): string {
  const url = new URL(src);
  return url.protocol === 'chrome-extension:' ? `chrome-extension://${browser.runtime.id}` : url.origin;
}

export class MaskTransport implements MaskEngine {
  onMessage: (message: FromWorker) => void = () => undefined;
  private iframe: HTMLIFrameElement | null = null;
  private port: MessagePort | null = null;
  private answered = false;
  private disposed = false;
  /** What the worker said when its model failed to load: it will never mask. */
  private failedWith: Problem | null = null;
  private readonly frames = new SessionFrames();
  private connecting: Promise<void> | null = null;

  /** True once the worker has said its model is loaded (or failed, which it then answers per frame). */
  get ready(): boolean {
    return this.answered && !this.disposed;
  }

  get failure(): Problem | null {
    return this.failedWith;
  }

  /** The frame is still in the document (document.open() or the page may have removed it). */
  get alive(): boolean {
    return !this.disposed && (this.iframe === null || this.iframe.isConnected);
  }

  /** Opens the frame and hands the worker its port; the same promise for every caller. */
  connect(): Promise<void> {
    this.connecting ??= this.open();
    return this.connecting;
  }

  send(message: Extract<ToWorker, { type: 'frame' }>): void {
    if (!this.port) return;
    const wire = { ...message, id: this.frames.outgoing(message.id) };
    this.port.postMessage(wire satisfies ToWorker, [message.pixels.buffer]);
  }

  reset(): void {
    this.frames.reset();
    this.port?.postMessage({ type: 'reset' } satisfies ToWorker);
  }

  dispose(): void {
    this.disposed = true;
    this.port?.close();
    this.iframe?.remove();
    this.port = null;
    this.iframe = null;
  }

  private receive(message: FromWorker): void {
    if (message.type === 'status') {
      // Frames sent while the model loads would only queue up behind it: send once it is ready.
      if (message.status !== 'starting') this.answered = true;
      if (message.status === 'error') this.failedWith = message.problem ?? { kind: 'model' };
      this.onMessage(message);
      return;
    }
    this.answered = true;
    const id = this.frames.answered(message.id);
    if (id === null) {
      // An answer to a camera session that has ended.
      if (message.type === 'masked') message.bitmap.close();
      return;
    }
    this.onMessage({ ...message, id });
  }

  private async open(): Promise<void> {
    const iframe = document.createElement('iframe');
    this.iframe = iframe;
    iframe.setAttribute('aria-hidden', 'true');
    iframe.tabIndex = -1;
    // Not display:none: a frame that is not rendered may be throttled.
    iframe.style.cssText =
      'position:fixed;left:-10px;top:-10px;width:1px;height:1px;opacity:0;border:0;pointer-events:none;';
    const loaded = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the mask frame did not load within ${LOAD_TIMEOUT_MS} ms`)), LOAD_TIMEOUT_MS);
      iframe.addEventListener('load', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
    iframe.src = browser.runtime.getURL(FRAME_PAGE);
    engineRoot().appendChild(iframe);
    const [token] = await Promise.all([sendMessage('issueFrameToken', undefined), loaded]);
    if (this.disposed) return;
    if (!iframe.contentWindow) throw new Error('the mask frame was removed before it loaded');
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    port1.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    // Only a document of the extension's own origin may get the port (the page could have navigated
    // the frame elsewhere): the dynamic URL is served from the origin of the extension's id.
    iframe.contentWindow.postMessage({ type: 'telemask-connect', token }, frameOrigin(iframe.src), [port2]);
  }
}
