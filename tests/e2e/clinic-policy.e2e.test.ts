/**
 * A clinic's rollout, with a real managed policy file read by real Chromium (tools/managed-policy.ts:
 * a private mount namespace puts the file at /etc/chromium/policies/managed/ for that browser only).
 * The first policy is the very file docs/deploy.md gives as the Linux example.
 *
 *  - forceMasking: masked, the popup has no pause control, and no message can pause it;
 *  - extraSites: a page on an origin that is not built in gets masked frames (once the clinic's sites
 *    are allowed, the one click Chrome requires);
 *  - defaultStyle / lockStyle hold; an invalid value is ignored and reported on the options page;
 *  - without the policy the patient is in control again;
 *  - a site the patient adds through the popup is masked after a reload, and plain again after removal;
 *  - a page on a covered site can neither read nor change any of it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getExtensionWorker, launchChromium, tabIdOf, waitForMasking, waitForTabState, type ExtensionWorker, type LaunchedChromium } from '../../tools/chromium';
import { hostResolverRules, OTHER_HOST, TELEHEALTH_HOST, type StaticHttpsServer } from '../../tools/https-server';
import { managedPolicyUnavailable, policyBrowser, type PolicyBrowser } from '../../tools/managed-policy';
import { chromiumAvailable, markedFaceCamera, openPopup, pressToggle, startPagesServer } from '../support/e2e';
import { screenshot, seriousViolations } from '../support/page-check';
import { rawSince, watchRaw } from '../support/raw-watch';
import { clickToolbarButton, preAllowSite } from '../support/site-access';

const GUIDE_FILE = path.resolve(import.meta.dirname, '../../docs/deploy/chromium-policy.json');
const guideFile = () => JSON.parse(readFileSync(GUIDE_FILE, 'utf8')) as { '3rdparty': { extensions: Record<string, Record<string, unknown>> } };
const EXTENSION_ID = Object.keys(guideFile()['3rdparty'].extensions)[0]!;
const policyFile = (keys: Record<string, unknown>) => ({ '3rdparty': { extensions: { [EXTENSION_ID]: keys } } });

const CLINIC_URL = 'https://video.example-clinic.org/';
const CLINIC_SUBDOMAIN_URL = 'https://room7.visits.example-clinic.org/';
const PATIENT_HOST = 'visits.example-ehr.org';
const HOSTS = [TELEHEALTH_HOST, OTHER_HOST, 'video.example-clinic.org', 'room7.visits.example-clinic.org', PATIENT_HOST];

const unavailable = chromiumAvailable() ? managedPolicyUnavailable() : 'no Chromium';
if (unavailable) console.log(`SKIPPED clinic policy e2e: ${unavailable}`);

interface PolicyCall {
  chromium: LaunchedChromium;
  browser: Browser;
  sw: ExtensionWorker;
  close(): Promise<void>;
}

/** Sends a message to the background as the given extension page would, and returns {res} or {err}. */
async function ask(page: Page, type: string, data: unknown): Promise<{ res?: unknown; err?: { message: string } }> {
  return page.evaluate(
    (type: string, data: unknown) =>
      (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ res?: unknown; err?: { message: string } }> } } }).chrome.runtime.sendMessage({ id: 1, type, data, timestamp: Date.now() }),
    type,
    data,
  );
}

async function openCallPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: 'load' });
  const ok = await page.evaluate(() => (window as unknown as { testCall: { ready: Promise<boolean> } }).testCall.ready);
  if (!ok) throw new Error(`getUserMedia failed on ${url}`);
  await watchRaw(page);
  return page;
}

async function openOptions(c: PolicyCall): Promise<Page> {
  const page = await c.browser.newPage();
  await page.goto(`chrome-extension://${c.sw.extensionId}/options.html`, { waitUntil: 'load' });
  return page;
}

/** Frames the page presents over `ms`: how many, how many raw. */
async function watch(page: Page, ms = 1500): Promise<{ frames: number; raw: number }> {
  const since = Date.now();
  await new Promise((r) => setTimeout(r, ms));
  return rawSince(page, since);
}

describe.skipIf(!!unavailable)('clinic policy: a real policy file in real Chromium', () => {
  let server: StaticHttpsServer;
  let camera: string;

  beforeAll(async () => {
    server = await startPagesServer();
    camera = await markedFaceCamera();
  });
  afterAll(async () => {
    await server?.close();
  });

  async function launch(policy: object): Promise<PolicyCall> {
    const files: PolicyBrowser = policyBrowser(policy);
    const chromium = await launchChromium({
      executablePath: files.executablePath,
      fakeCamera: camera,
      extensionDir: inject('extensionDir'),
      hostResolverRules: hostResolverRules(server.port, HOSTS),
      // Extensions.triggerAction: the toolbar button clicked as a person clicks it (tests/support/site-access.ts).
      extraArgs: ['--enable-unsafe-extension-debugging'],
    });
    const sw = await getExtensionWorker(chromium.browser);
    return {
      chromium,
      browser: chromium.browser,
      sw,
      close: async () => {
        await chromium.close();
        files.dispose();
      },
    };
  }

  describe("the deploy guide's Linux file: forceMasking, lockStyle, defaultStyle digital, extraSites, showReadout off", () => {
    let c: PolicyCall;
    beforeAll(async () => {
      c = await launch(guideFile());
    });
    afterAll(async () => {
      await c?.close();
    });

    it('the options page shows every key in force, nothing ignored, and the clinic sites locked and waiting for the one permission', async () => {
      const options = await openOptions(c);
      await options.waitForSelector('[data-policy="in-force"]');
      const keys = await options.$$eval('[data-policy="in-force"] [data-key]', (rows) => rows.map((r) => (r as HTMLElement).dataset.key));
      const ignored = await options.$$('[data-policy="ignored"] li');
      const clinic = await options.$$eval('[data-list="clinic"] li', (li) => li.map((l) => `${(l as HTMLElement).dataset.site} ${(l as HTMLElement).dataset.granted}`));
      console.log(`[clinic-policy] options: in force ${keys.join(', ')}; ignored ${ignored.length}; clinic sites ${clinic.join('; ')}`);
      expect(keys.sort()).toEqual(['defaultStyle', 'extraSites', 'forceMasking', 'lockStyle', 'showReadout']);
      expect(ignored).toHaveLength(0);
      expect(clinic).toEqual(['https://video.example-clinic.org/* false', 'https://*.visits.example-clinic.org/* false']);
      // No remove button on a clinic site.
      expect(await options.$$('[data-list="clinic"] button')).toHaveLength(0);

      for (const site of ['https://video.example-clinic.org/*', 'https://*.visits.example-clinic.org/*']) await preAllowSite(c.browser, c.sw.extensionId, site);
      await options.bringToFront();
      await options.click('#grant-clinic-sites');
      await options.waitForFunction(() => document.querySelectorAll('[data-list="clinic"] li[data-granted="true"]').length === 2, { timeout: 10_000 });
      await options.close();
    });

    it('extraSites: pages on the clinic origin and on a subdomain of its pattern get masked frames', async () => {
      for (const url of [CLINIC_URL, CLINIC_SUBDOMAIN_URL]) {
        const page = await openCallPage(c.browser, url);
        const state = await waitForMasking(c.sw, page);
        const frames = await watch(page);
        console.log(`[clinic-policy] ${url}: status ${state?.status}, ${frames.raw}/${frames.frames} raw`);
        expect(state?.status).toBe('masking');
        expect(frames.frames).toBeGreaterThan(10);
        expect(frames.raw).toBe(0);
        await page.close();
      }
    });

    it('forceMasking and lockStyle: the popup has no pause control and no style choice; no message pauses or restyles; frames stay masked', async () => {
      const page = await openCallPage(c.browser, `https://${TELEHEALTH_HOST}/`);
      await waitForMasking(c.sw, page);
      const popup = await openPopup(c.browser, c.sw, page);
      const toggle = await popup.$('#masking-toggle');
      const radios = await popup.$$('input[name="style"]');
      const managed = await popup.$$eval('[data-managed]', (els) => els.map((e) => `${(e as HTMLElement).dataset.managed}: ${e.textContent}`));
      // The popup as the clinic's patient sees it: words, no controls, and accessible.
      await screenshot(popup, 'patient/popup-clinic-policy.png');
      const violations = await seriousViolations(popup);
      const tabId = await tabIdOf(c.sw, page);
      const pause = await ask(popup, 'setTabEnabled', { tabId, enabled: false });
      const restyle = await ask(popup, 'setStyle', 'silhouette');
      const readout = await ask(popup, 'setReadout', true);
      const readoutSwitch = await popup.$('#readout-toggle');
      const frames = await watch(page, 2000);
      const state = await waitForTabState(c.sw, page, (s) => s?.status === 'masking', 5000);
      expect(violations, JSON.stringify(violations)).toEqual([]);
      console.log(`[clinic-policy] popup: toggle ${toggle ? 'present' : 'absent'}, style inputs ${radios.length}; ${managed.join(' | ')}; pause → ${pause.err?.message}; setStyle → ${restyle.err?.message}; after: ${frames.raw}/${frames.frames} raw, ${JSON.stringify(state)}`);
      expect(toggle).toBeNull();
      expect(radios).toHaveLength(0);
      expect(managed.some((m) => m.startsWith('force-masking'))).toBe(true);
      expect(managed.some((m) => m.startsWith('lock-style') && m.includes('Digital mask'))).toBe(true);
      expect(pause.err?.message).toMatch(/clinic/);
      expect(restyle.err?.message).toMatch(/clinic/);
      // showReadout false: no read-out switch, the clinic's choice said instead, and no message turns it on.
      expect(readoutSwitch).toBeNull();
      expect(managed.some((m) => m.startsWith('readout') && m.includes('not shown'))).toBe(true);
      expect(readout.err?.message).toMatch(/clinic/);
      expect(frames.raw).toBe(0);
      expect(state).toMatchObject({ status: 'masking', enabled: true });
      await page.close();
    });

    it('a page on a covered site can neither read the policy nor change it', async () => {
      const page = await openCallPage(c.browser, `https://${TELEHEALTH_HOST}/`);
      await waitForMasking(c.sw, page);
      const seen = await page.evaluate(() => {
        const w = window as unknown as { chrome?: { runtime?: { sendMessage?: unknown; id?: unknown }; storage?: unknown } };
        const found = document.documentElement.outerHTML.includes('example-clinic') || JSON.stringify(Object.keys(window)).includes('telemask');
        // Forged messages in every shape the extension's own messaging uses.
        for (const type of ['setTabEnabled', 'setStyle', 'setReadout', 'removeSite']) {
          const message = { id: 1, type, data: { tabId: 0, enabled: false }, timestamp: Date.now() };
          window.postMessage(message, '*');
          window.postMessage({ type: '@webext-core/messaging/window', message, namespace: 'telemask' }, '*');
          window.dispatchEvent(new CustomEvent('@webext-core/messaging/custom-events', { detail: { message } }));
        }
        return { storage: typeof w.chrome?.storage, sendMessage: typeof w.chrome?.runtime?.sendMessage, found };
      });
      const frames = await watch(page, 2000);
      console.log(`[clinic-policy] the page sees chrome.storage ${seen.storage}, runtime.sendMessage ${seen.sendMessage}, policy text ${seen.found}; after forged messages ${frames.raw}/${frames.frames} raw`);
      expect(seen).toEqual({ storage: 'undefined', sendMessage: 'undefined', found: false });
      expect(frames.raw).toBe(0);
      await page.close();
    });
  });

  it('defaultStyle without lockStyle is the style until the patient picks another', async () => {
    const c = await launch(policyFile({ defaultStyle: 'silhouette' }));
    try {
      const options = await openOptions(c);
      await options.waitForSelector('input[name="style"]');
      const before = await options.$eval('input[name="style"]:checked', (e) => (e as HTMLInputElement).value);
      await options.click('input[name="style"][value="digital"]');
      await options.waitForFunction(() => (document.querySelector('input[name="style"]:checked') as HTMLInputElement | null)?.value === 'digital');
      const after = await ask(options, 'getControls', undefined);
      console.log(`[clinic-policy] defaultStyle silhouette: options shows ${before}; the patient picks digital → ${JSON.stringify(after.res)}`);
      expect(before).toBe('silhouette');
      expect(after.res).toMatchObject({ style: 'digital', styleLocked: false, pauseAllowed: true });
    } finally {
      await c.close();
    }
  });

  it('an invalid value is ignored, the reason shown on the options page, and the rest still holds', async () => {
    const c = await launch(policyFile({ forceMasking: true, defaultStyle: 'purple', extraSites: ['https://video.example-clinic.org', 'http://insecure.example-clinic.org', 'https://*/*'] }));
    try {
      const options = await openOptions(c);
      await options.waitForSelector('[data-policy="ignored"]');
      const ignored = await options.$$eval('[data-policy="ignored"] li', (li) => li.map((l) => l.textContent ?? ''));
      const keys = await options.$$eval('[data-policy="in-force"] [data-key]', (rows) => rows.map((r) => (r as HTMLElement).dataset.key));
      const controls = await ask(options, 'getControls', undefined);
      console.log(`[clinic-policy] invalid values: ignored ${JSON.stringify(ignored)}; in force ${keys.join(', ')}; controls ${JSON.stringify(controls.res)}`);
      // each reason in words from messages.json (not a code), after the value the clinic wrote
      expect(ignored).toContain('defaultStyle: "purple": must be one of "digital", "blur", "silhouette"');
      expect(ignored).toContain('extraSites: "http://insecure.example-clinic.org": http: video visits are served over https, only https sites can be covered');
      expect(ignored).toContain('extraSites: "https://*/*": not a host name: * would cover every site');
      // the options page as the clinic's IT admin reads it: a screenshot and its axe check
      await screenshot(options, 'clinic/options-ignored.png');
      expect(await seriousViolations(options)).toEqual([]);
      expect(keys.sort()).toEqual(['extraSites', 'forceMasking']);
      expect(controls.res).toMatchObject({ style: 'digital', pauseAllowed: false });
    } finally {
      await c.close();
    }
  });

  it('without a policy the patient is in control: the pause is there and works, and the options page says no policy', async () => {
    const c = await launch({});
    try {
      const page = await openCallPage(c.browser, `https://${TELEHEALTH_HOST}/`);
      await waitForMasking(c.sw, page);
      const popup = await openPopup(c.browser, c.sw, page);
      await pressToggle(popup);
      await waitForTabState(c.sw, page, (s) => s?.status === 'off', 10_000);
      const frames = await watch(page);
      const options = await openOptions(c);
      await options.waitForSelector('[data-policy="none"]');
      console.log(`[clinic-policy] no policy: paused → ${frames.raw}/${frames.frames} raw`);
      expect(frames.raw).toBeGreaterThan(0);
    } finally {
      await c.close();
    }
  });

  it('a site the patient adds in the popup is masked after a reload, and gets the plain camera again once removed', async () => {
    const c = await launch({});
    try {
      const url = `https://${PATIENT_HOST}/`;
      const page = await openCallPage(c.browser, url);
      const before = await watch(page);
      // Before the popup opens: opening chrome://extensions would close it.
      await preAllowSite(c.browser, c.sw.extensionId, `https://${PATIENT_HOST}/*`);
      let popup = await clickToolbarButton(c.browser, c.sw.extensionId, page, '[data-coverage]');
      const offer = await popup.$eval('#cover-site', (b) => b.textContent ?? '');
      await popup.click('#cover-site');
      await popup.waitForSelector('[data-notice="reload"]', { timeout: 10_000 });
      await popup.click('#reload-page');
      await page.waitForNavigation({ waitUntil: 'load' });
      await page.evaluate(() => (window as unknown as { testCall: { ready: Promise<boolean> } }).testCall.ready);
      await watchRaw(page);
      const state = await waitForMasking(c.sw, page);
      const added = await watch(page);

      popup = await clickToolbarButton(c.browser, c.sw.extensionId, page, '#uncover-site');
      await popup.click('#uncover-site');
      await popup.waitForSelector('[data-notice="reload"]', { timeout: 10_000 });
      await popup.click('#reload-page');
      await page.waitForNavigation({ waitUntil: 'load' });
      await page.evaluate(() => (window as unknown as { testCall: { ready: Promise<boolean> } }).testCall.ready);
      await watchRaw(page);
      const removed = await watch(page);
      console.log(
        `[clinic-policy] patient site ${url}: before ${before.raw}/${before.frames} raw; popup offered "${offer}"; ` +
          `after adding and reloading: ${state?.status}, ${added.raw}/${added.frames} raw; after removing and reloading: ${removed.raw}/${removed.frames} raw`,
      );
      expect(before.raw).toBeGreaterThan(0);
      expect(offer).toContain(PATIENT_HOST);
      expect(state?.status).toBe('masking');
      expect(added.raw).toBe(0);
      expect(added.frames).toBeGreaterThan(10);
      expect(removed.raw).toBeGreaterThan(0);
    } finally {
      await c.close();
    }
  });
});
