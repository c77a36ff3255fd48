/** Opens one of telemask's own pages in a new tab (from the popup, the welcome page or the options page). */
import { browser } from 'wxt/browser';

const PAGES = {
  'self-view': '/self-view.html',
  protection: '/options.html#protection',
  options: '/options.html',
  welcome: '/welcome.html',
} as const;

export type ExtensionPage = keyof typeof PAGES;

export async function openExtensionPage(page: ExtensionPage): Promise<void> {
  await browser.tabs.create({ url: browser.runtime.getURL(PAGES[page]) });
}
