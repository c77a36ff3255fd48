/**
 * Local only: during a masked call, no part of the extension (service worker, content scripts,
 * the mask frame and its worker) requests anything but its own packaged files. Every request of
 * every target is recorded through the DevTools protocol; the only other origin allowed is the
 * call page's own (https://doxy.me), whose requests are the page's, not ours.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, getExtensionWorker, waitForMasking } from '../../tools/chromium';
import { toFakeCamera } from '../../tools/fake-camera';
import { hostResolverRules, type StaticHttpsServer } from '../../tools/https-server';
import { recordRequests } from '../support/network-recorder';
import { chromiumAvailable, evaluateInIsolatedWorld, startPagesServer, TELEHEALTH_URL } from '../support/e2e';
import { faceClip } from '../support/testdata';

describe.skipIf(!chromiumAvailable())('no network: the extension fetches only its own files', () => {
  let server: StaticHttpsServer;

  beforeAll(async () => {
    server = await startPagesServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('records every request of every target during a masked call', async () => {
    const chromium = await launchChromium({
      fakeCamera: await toFakeCamera(faceClip()),
      extensionDir: inject('extensionDir'),
      hostResolverRules: hostResolverRules(server.port),
    });
    try {
      const { browser } = chromium;
      const recorded = await recordRequests(browser);
      const sw = await getExtensionWorker(browser);
      const page = await browser.newPage();
      await page.goto(TELEHEALTH_URL, { waitUntil: 'load' });
      await page.evaluate(() => (window as unknown as { testCall: { ready: Promise<boolean> } }).testCall.ready);
      await waitForMasking(sw, page);
      // Masked frames flow for a while; a pipeline that phoned home per frame or per second shows here.
      await new Promise((r) => setTimeout(r, 5000));

      const own = `chrome-extension://${sw.extensionId}/`;
      // The mask frame is loaded from the extension's per-session dynamic URL (use_dynamic_url), which
      // runtime.getURL gives only for a web-accessible file.
      const dynamic = String(await evaluateInIsolatedWorld(page, `chrome.runtime.getURL('/mask-frame.html')`)).replace(/mask-frame\.html$/, '');
      const ours = (url: string) => url.startsWith(own) || url.startsWith(dynamic);
      const allowed = (url: string) => ours(url) || url.startsWith('https://doxy.me/');
      // Chromium's own UI (omnibox popup and the like) loads chrome:// resources: not ours, not the page's.
      const relevant = recorded.requests.filter((r) => r.targetType !== 'browser_ui');
      const foreign = relevant.filter((r) => !allowed(r.url));
      const byExtension = recorded.requests.filter((r) => ours(r.targetUrl));
      const kinds = [...new Set(recorded.targets.map((t) => `${t.type} ${t.url.replace(/\?.*/, '')}`))];
      console.log(
        `[no-network] targets watched: ${recorded.targets.length} (${kinds.join('; ')}); requests outside Chromium's UI: ${relevant.length}, ` +
          `by extension contexts: ${byExtension.length} (${[...new Set(byExtension.map((r) => r.url.replace(own, '/')))].join(', ')}); foreign: ${foreign.length}`,
      );
      // The recorder must have seen the pipeline at work, or the test proves nothing.
      expect(byExtension.some((r) => r.url.endsWith('/models/face_landmarker.task'))).toBe(true);
      expect(recorded.targets.some((t) => t.url.includes('mask-worker'))).toBe(true);
      expect(foreign).toEqual([]);
      expect(byExtension.every((r) => ours(r.url))).toBe(true);
    } finally {
      await chromium.close();
    }
  });
});
