/**
 * The patient pauses masking, then the single-page call app changes its URL the ways Meet, Teams and
 * Zoom do (history.pushState, replaceState, a hash change, going back within the page): no new page,
 * so the pause stands, and the popup and the badge must keep saying so for as long as raw frames
 * flow. A real new page load then starts masked, with no raw frame.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getTabState, waitForMasking, waitForTabState } from '../../tools/chromium';
import type { StaticHttpsServer } from '../../tools/https-server';
import { badgeText, chromiumAvailable, markedFaceCamera, openCall, openPopup, startPagesServer, type CallSession } from '../support/e2e';
import { rawSince, watchRaw } from '../support/raw-watch';

describe.skipIf(!chromiumAvailable())('a pause lasts as long as its page, whatever the page does to its URL', () => {
  let server: StaticHttpsServer;
  let call: CallSession;
  let popup: Page;

  beforeAll(async () => {
    server = await startPagesServer();
    call = await openCall({ server, camera: await markedFaceCamera(), url: 'https://doxy.me/', extensionDir: inject('extensionDir') });
    await waitForMasking(call.sw!, call.page);
    await watchRaw(call.page);
    popup = await openPopup(call.browser, call.sw!, call.page);
    await popup.click('#masking-toggle');
    await waitForTabState(call.sw!, call.page, (s) => s?.status === 'off' && s.enabled === false, 10_000);
  });
  afterAll(async () => {
    await call?.close();
    await server?.close();
  });

  const navigations: [string, string][] = [
    ['history.pushState', `history.pushState({ step: 1 }, '', '/visit/room-1')`],
    ['history.replaceState', `history.replaceState({ step: 2 }, '', '/visit/room-1?joined=1')`],
    ['a hash change', `location.hash = '#participants'`],
    ['a same-document navigation back', `history.back()`],
  ];

  for (const [name, code] of navigations) {
    it(`after ${name}: the popup says paused and the badge OFF while raw frames flow`, async () => {
      const since = Date.now();
      await call.page.evaluate(code);
      await new Promise((r) => setTimeout(r, 1500));
      const state = await getTabState(call.sw!, call.page);
      const badge = await badgeText(call.sw!, call.page);
      const shown = await popup.$eval('[data-status]', (e) => (e as HTMLElement).dataset.status);
      const checked = await popup.$eval('#masking-toggle', (e) => (e as HTMLInputElement).checked);
      const frames = await rawSince(call.page, since);
      console.log(`[tab-state] ${name} → ${call.page.url()}: state ${JSON.stringify(state)}, badge "${badge}", popup ${shown}/${checked ? 'on' : 'off'}, frames ${frames.raw}/${frames.frames} raw`);
      expect(frames.raw, 'the pause is in force: the camera is shown').toBeGreaterThan(0);
      expect(state).toMatchObject({ status: 'off', enabled: false });
      expect(badge).toBe('OFF');
      expect(shown).toBe('off');
      expect(checked).toBe(false);
    });
  }

  it('a real new page load starts masked: not one raw frame', async () => {
    await call.page.goto('https://doxy.me/', { waitUntil: 'load' });
    const since = Date.now();
    await watchRaw(call.page);
    const state = await waitForMasking(call.sw!, call.page);
    await new Promise((r) => setTimeout(r, 1000));
    const frames = await rawSince(call.page, since);
    console.log(`[tab-state] reload: state ${JSON.stringify(state)}, badge "${await badgeText(call.sw!, call.page)}", frames ${frames.raw}/${frames.frames} raw`);
    expect(state?.enabled).toBe(true);
    expect(frames.frames).toBeGreaterThan(0);
    expect(frames.raw).toBe(0);
    expect(await badgeText(call.sw!, call.page)).toBe('ON');
  });
});
