/**
 * Who may ask the background what. Only the extension's own pages (the popup; later the options and
 * self-view pages) may read or change the patient's settings: a content script — the part a
 * compromised page renderer could speak for — may only report and ask for frame tokens.
 */
import type { Browser } from 'wxt/browser';

export function isExtensionPage(sender: Browser.runtime.MessageSender, extensionOrigin: string): boolean {
  if (!sender.url) return false;
  try {
    return new URL(sender.url).origin === extensionOrigin;
  } catch {
    return false;
  }
}

export function requireExtensionPage(sender: Browser.runtime.MessageSender, extensionOrigin: string, what: string): void {
  if (!isExtensionPage(sender, extensionOrigin)) throw new Error(`${what} is for telemask's own pages only`);
}
