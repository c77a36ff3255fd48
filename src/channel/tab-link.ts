/**
 * A document's line to the background: one runtime port per document (isolated world), over which
 * the background pushes the settings in force here and the document reports what its cameras show.
 * The port's life is the document's life, which is what the background ties a tab's state to.
 *
 * The background's service worker may be stopped while idle, which closes the port; the link then
 * reconnects — at once while a camera is in use, else the next time it has something to say — and
 * repeats its last status, so the background rebuilds what it knew.
 */
import { browser, type Browser } from 'wxt/browser';
import { FAIL_SAFE_SETTINGS, FRAME_PORT, type BackgroundToFrame, type FrameToBackground, type MaskSettings, type StatusReport } from './protocol';
import { LiveValue } from '../settings/live-value';

const RECONNECT_DELAY_MS = 100;

export interface TabLink {
  /** The settings in force for this document: fail-safe (masked, strongest style) until the background answers. */
  settings: LiveValue<MaskSettings>;
  report(status: StatusReport): void;
}

/** `onContextLost`: the extension was reloaded or removed; this document's telemask must end. */
export function connectTabLink(signal: AbortSignal, onContextLost: () => void): TabLink {
  const settings = new LiveValue<MaskSettings>(FAIL_SAFE_SETTINGS);
  let port: Browser.runtime.Port | null = null;
  let last: StatusReport | null = null;

  const post = (message: FrameToBackground) => port?.postMessage(message);

  const connect = () => {
    if (signal.aborted || port) return;
    try {
      port = browser.runtime.connect({ name: FRAME_PORT });
    } catch {
      onContextLost();
      return;
    }
    port.onMessage.addListener((message: BackgroundToFrame) => {
      if (message?.type === 'settings') settings.set(message.settings);
    });
    port.onDisconnect.addListener(() => {
      port = null;
      if (!browser.runtime?.id) {
        onContextLost();
        return;
      }
      // A camera in use keeps the line open; otherwise it is reopened when needed.
      if (last && last.status !== 'idle') setTimeout(connect, RECONNECT_DELAY_MS);
    });
    if (last) post({ type: 'status', report: last });
  };

  signal.addEventListener('abort', () => {
    port?.disconnect();
    port = null;
  }, { once: true });
  connect();

  return {
    settings,
    report(status) {
      last = status;
      if (!port) connect();
      else post({ type: 'status', report: status });
    },
  };
}
