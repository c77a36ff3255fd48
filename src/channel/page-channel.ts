/**
 * The private MAIN ⇄ ISOLATED channel inside a page.
 *
 * At document_start, before any page script runs, the isolated world hands the MAIN world a
 * MessagePort and a detached <video> element by dispatching events on `document`; the MAIN world
 * catches them in capture listeners, stops them, and keeps both in a closure. The page never sees
 * the port (docs/frame-path.md: window.postMessage of a port leaks it to page listeners).
 * Streams cannot be posted over a port, so the masked stream crosses as the shared <video>'s srcObject.
 *
 * Either world may run first: the isolated world offers at start and again whenever the MAIN world
 * says hello; the MAIN world takes the first offer and confirms over the port.
 */
const HELLO = 'telemask:hello';
const OFFER_PORT = 'telemask:port';
const OFFER_VIDEO = 'telemask:video';
const CONFIRM = 'telemask:confirm';

export interface PageChannelEnd {
  port: MessagePort;
  /** Carries a MediaStream from the isolated world to the MAIN world as its srcObject. */
  video: HTMLVideoElement;
}

/** MAIN world: catch the isolated world's offer. Returns the channel as soon as it arrives. */
export function acceptPageChannel(onReady: (end: PageChannelEnd) => void): void {
  let port: MessagePort | null = null;
  let video: HTMLVideoElement | null = null;
  let done = false;
  const finish = () => {
    if (done || !port || !video) return;
    done = true;
    port.postMessage(CONFIRM);
    onReady({ port, video });
  };
  const onPort = (e: Event) => {
    e.stopImmediatePropagation();
    const p = (e as MessageEvent).ports[0];
    if (!done && p) {
      port = p;
      finish();
    }
  };
  const onVideo = (e: Event) => {
    e.stopImmediatePropagation();
    const v = (e as MouseEvent).relatedTarget;
    if (!done && v instanceof HTMLVideoElement) {
      video = v;
      finish();
    }
  };
  document.addEventListener(OFFER_PORT, onPort, true);
  document.addEventListener(OFFER_VIDEO, onVideo, true);
  document.dispatchEvent(new Event(HELLO));
}

/** Isolated world: offer the channel now and on every hello; resolve with the confirmed end. */
export function offerPageChannel(onConfirmed: (end: PageChannelEnd) => void): void {
  const video = document.createElement('video');
  let confirmed = false;
  const offer = () => {
    if (confirmed) return;
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = (e) => {
      if (e.data !== CONFIRM || confirmed) return;
      confirmed = true;
      port1.onmessage = null;
      onConfirmed({ port: port1, video });
    };
    // Video first: the MAIN world finishes when it holds both.
    document.dispatchEvent(new MouseEvent(OFFER_VIDEO, { relatedTarget: video }));
    document.dispatchEvent(new MessageEvent(OFFER_PORT, { ports: [port2] }));
  };
  document.addEventListener(
    HELLO,
    (e) => {
      e.stopImmediatePropagation();
      offer();
    },
    true,
  );
  offer();
}
