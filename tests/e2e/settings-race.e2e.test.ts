/**
 * A setting changed while the camera is opening — a permission prompt keeps getUserMedia pending for
 * seconds — must be the setting the camera starts with. The camera is made slow to open through the
 * DevTools protocol (the isolated world's native getUserMedia waits OPEN_DELAY_MS first): nothing in
 * the shipped code knows. Masking is switched back on, or a stronger style chosen, at several moments
 * of that wait; the page must then never see one raw frame (the camera is stamped with the raw marker,
 * which the silhouette style, showing the room, also lets through).
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitForTabState } from '../../tools/chromium';
import type { StaticHttpsServer } from '../../tools/https-server';
import {
  chromiumAvailable, evaluateInIsolatedWorld, markedFaceCamera, openExtensionPage, openPopup, startPagesServer, type ExtensionBrowser,
} from '../support/e2e';
import { classifyStream, PROBE_OPTIONS, type ProbeResult } from '../support/frame-probe';

const OPEN_DELAY_MS = 3000;
const MOMENTS_MS = [200, 1500, 2800];

async function slowCamera(page: Page): Promise<void> {
  await evaluateInIsolatedWorld(
    page,
    `(() => {
      const native = MediaDevices.prototype.getUserMedia;
      MediaDevices.prototype.getUserMedia = function (c) {
        return new Promise((r) => setTimeout(r, ${OPEN_DELAY_MS})).then(() => native.call(this, c));
      };
      return true;
    })()`,
  );
}

/** The page asks for the camera, and returns at once; callResult() waits for what its track showed. */
async function startCall(page: Page): Promise<void> {
  // The script's value must not be the promise: evaluate would wait for the whole call.
  await page.evaluate(`window.__classify = ${classifyStream.toString()};
    window.__call = navigator.mediaDevices.getUserMedia({ video: true }).then((s) => window.__classify(s, ${JSON.stringify(PROBE_OPTIONS)}));
    undefined;`);
}

async function callResult(page: Page): Promise<ProbeResult> {
  return page.evaluate('window.__call') as Promise<ProbeResult>;
}

const count = (r: ProbeResult, kind: string) => r.kinds.filter((k) => k === kind).length;

describe.skipIf(!chromiumAvailable())('a setting changed while the camera opens is the one it starts with', () => {
  let server: StaticHttpsServer;
  let tab: ExtensionBrowser;
  let popup: Page;

  beforeAll(async () => {
    server = await startPagesServer();
    tab = await openExtensionPage({ server, camera: await markedFaceCamera(), url: 'https://doxy.me/empty.html', extensionDir: inject('extensionDir') });
    await slowCamera(tab.page);
    popup = await openPopup(tab.browser, tab.sw, tab.page);
  });
  afterAll(async () => {
    await tab?.close();
    await server?.close();
  });

  const click = (selector: string) => popup.click(selector);
  const toggleTo = async (enabled: boolean) => {
    const checked = await popup.$eval('#masking-toggle', (e) => (e as HTMLInputElement).checked);
    if (checked !== enabled) await click('#masking-toggle');
    await waitForTabState(tab.sw, tab.page, (s) => s?.enabled === enabled, 10_000);
  };

  for (const moment of MOMENTS_MS) {
    it(`masking switched on ${moment} ms into opening: not one raw frame`, async () => {
      await toggleTo(false);
      await startCall(tab.page);
      await new Promise((r) => setTimeout(r, moment));
      await toggleTo(true);
      const onAt = Date.now();
      const result = await callResult(tab.page);
      console.log(
        `[settings-race] on at ${moment} ms of ${OPEN_DELAY_MS} ms opening: ${result.kinds.length} frames after the camera opened ` +
          `(${Date.now() - onAt} ms after "on"): raw ${count(result, 'raw')}, obscured ${count(result, 'obscured')}, masked ${count(result, 'masked')}`,
      );
      expect(count(result, 'raw'), 'raw frames after the setting said on').toBe(0);
      expect(count(result, 'masked')).toBe(PROBE_OPTIONS.masked);
    });
  }

  for (const moment of MOMENTS_MS) {
    it(`the digital mask chosen ${moment} ms into opening (over the silhouette): no frame of the weaker style`, async () => {
      await toggleTo(true);
      await click('input[name="style"][value="silhouette"]');
      await new Promise((r) => setTimeout(r, 300));
      await startCall(tab.page);
      await new Promise((r) => setTimeout(r, moment));
      await click('input[name="style"][value="digital"]');
      await popup.waitForFunction(() => (document.querySelector('input[name="style"][value="digital"]') as HTMLInputElement).checked);
      const result = await callResult(tab.page);
      console.log(
        `[settings-race] digital chosen at ${moment} ms of opening: ${result.kinds.length} frames: ` +
          `silhouette/raw ${count(result, 'raw')}, obscured ${count(result, 'obscured')}, masked ${count(result, 'masked')}`,
      );
      expect(count(result, 'raw'), 'frames showing camera pixels after the digital mask was chosen').toBe(0);
      expect(count(result, 'masked')).toBe(PROBE_OPTIONS.masked);
    });
  }
});
