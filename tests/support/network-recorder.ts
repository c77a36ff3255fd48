/**
 * Records every network request of every target in the browser (pages, out-of-process frames, the
 * extension's service worker, dedicated workers inside frames) through the DevTools protocol:
 * a browser-level auto-attach, then Network.enable and auto-attach again in each attached target.
 */
import type { Browser, CDPSession } from 'puppeteer-core';

export interface RecordedRequest {
  url: string;
  /** The kind and URL of the target that made it (page, iframe, worker, service_worker, …). */
  targetType: string;
  targetUrl: string;
}

interface TargetInfo {
  type: string;
  url: string;
}

export async function recordRequests(browser: Browser): Promise<{ requests: RecordedRequest[]; targets: TargetInfo[] }> {
  const root = await browser.target().createCDPSession();
  const connection = root.connection();
  if (!connection) throw new Error('no CDP connection');
  const requests: RecordedRequest[] = [];
  const targets: TargetInfo[] = [];
  const autoAttach = { autoAttach: true, waitForDebuggerOnStart: false, flatten: true };

  const watch = (session: CDPSession, info: TargetInfo) => {
    targets.push({ type: info.type, url: info.url });
    session.on('Network.requestWillBeSent', (e: { request: { url: string } }) =>
      requests.push({ url: e.request.url, targetType: info.type, targetUrl: info.url }),
    );
    session.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: TargetInfo }) => {
      const child = connection.session(e.sessionId);
      if (child) watch(child, e.targetInfo);
    });
    // Not every target has a Network domain (e.g. some shared workers); those have no requests.
    void session.send('Network.enable').catch(() => undefined);
    void session.send('Target.setAutoAttach', autoAttach).catch(() => undefined);
  };

  root.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: TargetInfo }) => {
    const child = connection.session(e.sessionId);
    if (child) watch(child, e.targetInfo);
  });
  await root.send('Target.setAutoAttach', autoAttach);
  return { requests, targets };
}
