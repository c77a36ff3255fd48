/**
 * Stands in for the person clicking "Allow" in Chrome's permission dialog, which headless Chromium
 * opens but gives a test no way to click: the site is first allowed through chrome://extensions'
 * own site-access API (chrome.developerPrivate.addHostPermission). Chrome then answers the
 * extension's own `permissions.request` for that site — made by the real click on the real button —
 * with `true` and grants it, without the dialog (measured on Chromium 156; allowing it after the
 * request is pending does not answer it). The extension's code path is the one a person's Allow takes.
 */
import type { Browser, Page } from 'puppeteer-core';

export async function preAllowSite(browser: Browser, extensionId: string, pattern: string): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.goto(`chrome://extensions/?id=${extensionId}`);
    const error = await page.evaluate(
      (id: string, host: string) =>
        new Promise<string | null>((resolve) => {
          const chrome = (globalThis as unknown as { chrome: { developerPrivate: { addHostPermission(id: string, host: string, done: () => void): void }; runtime: { lastError?: { message: string } } } }).chrome;
          chrome.developerPrivate.addHostPermission(id, host, () => resolve(chrome.runtime.lastError?.message ?? null));
        }),
      extensionId,
      pattern,
    );
    if (error) throw new Error(`chrome://extensions refused ${pattern}: ${error}`);
  } finally {
    await page.close();
  }
}

/**
 * Clicks the extension's toolbar button for the page's tab, as a person does (DevTools'
 * Extensions.triggerAction; needs Chromium started with --enable-unsafe-extension-debugging over
 * the pipe): unlike chrome.action.openPopup(), a click grants activeTab, so the popup learns the
 * tab's URL on a site telemask has no permission for. Returns the popup once `ready` shows.
 */
export async function clickToolbarButton(browser: Browser, extensionId: string, page: Page, ready: string): Promise<Page> {
  await page.bringToFront();
  const session = await browser.target().createCDPSession();
  try {
    // The tab target (the page target's parent), which triggerAction asks for.
    const targetId = (page as unknown as { _tabId: string })._tabId;
    await session.send('Extensions.triggerAction' as never, { id: extensionId, targetId } as never);
  } finally {
    await session.detach().catch(() => undefined);
  }
  const target = await browser.waitForTarget((t) => t.url().endsWith('/popup.html'));
  const popup = (await target.asPage())!;
  await popup.waitForSelector(ready);
  return popup;
}
