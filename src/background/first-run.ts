/**
 * The first-run page (welcome.html), opened once: when telemask is installed, and never again once
 * shown — a browser that loads an unpacked or policy-installed copy afresh at start-up reports an
 * install each time, so the page remembers in the extension's local storage that it was shown.
 */
import { browser, type Browser } from 'wxt/browser';

const WELCOMED_KEY = 'welcomed';

export function openWelcomeOnce(): void {
  browser.runtime.onInstalled.addListener((details: Browser.runtime.InstalledDetails) => {
    if (details.reason !== 'install') return;
    void (async () => {
      if ((await browser.storage.local.get(WELCOMED_KEY))[WELCOMED_KEY]) return;
      await browser.storage.local.set({ [WELCOMED_KEY]: true });
      await browser.tabs.create({ url: browser.runtime.getURL('/welcome.html') });
    })();
  });
}
