/**
 * Every word the patient reads comes from public/_locales/<lang>/messages.json through the
 * browser's i18n (the browser picks the language; English is the default locale). Keys are typed
 * from the English file, so a page cannot name a message that does not exist.
 *
 * Chromium sometimes gives an extension page an empty answer for every message (its renderer has
 * not got the extension's message bundle yet: seen here on a fresh policy-installed profile), and a
 * page that showed message keys would tell the patient nothing. Then the English file, bundled,
 * answers instead.
 */
import { browser } from 'wxt/browser';
import english from '../../public/_locales/en/messages.json';

export type MessageKey = keyof typeof english;

interface MessageEntry {
  message: string;
  placeholders?: Record<string, { content: string }>;
}

/** A messages.json entry with `$1`…`$9` filled in, as the browser's i18n does it. */
export function formatMessage(entry: MessageEntry, substitutions: readonly string[]): string {
  const fill = (text: string) => text.replace(/\$([1-9])/g, (_, n: string) => substitutions[Number(n) - 1] ?? '');
  return entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (_, name: string) => fill(entry.placeholders?.[name.toLowerCase()]?.content ?? ''));
}

/** The message in the browser's language, with `$1`…`$9` filled in order. */
export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  const values = substitutions.map(String);
  return browser.i18n.getMessage(key, values) || formatMessage(english[key] as MessageEntry, values);
}
