/**
 * Every word of telemask's own pages comes from public/_locales/en/messages.json (src/i18n/messages.ts):
 * the file is a valid Chrome messages file, every placeholder is used, and the pages' markup holds
 * no text of its own.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
const MESSAGES = JSON.parse(readFileSync(path.join(ROOT, 'public/_locales/en/messages.json'), 'utf8')) as Record<
  string,
  { message: string; description?: string; placeholders?: Record<string, { content: string }> }
>;
/** The pages the patient reads and the components they share. */
const UI_DIRS = ['entrypoints/popup', 'entrypoints/options', 'entrypoints/self-view', 'entrypoints/welcome', 'src/ui'];

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file, ext) : ext.test(name) ? [file] : [];
  });
}

describe('messages.json', () => {
  it('is a Chrome messages file: keys of letters, digits and _, a message each, placeholders declared and used', () => {
    for (const [key, entry] of Object.entries(MESSAGES)) {
      expect(key).toMatch(/^[A-Za-z0-9_]+$/);
      expect(typeof entry.message, key).toBe('string');
      expect(entry.message.length, key).toBeGreaterThan(0);
      const used = [...entry.message.matchAll(/\$([A-Za-z0-9_]+)\$/g)].map((m) => m[1]!.toLowerCase());
      expect(Object.keys(entry.placeholders ?? {}).sort(), key).toEqual([...new Set(used)].sort());
      for (const p of Object.values(entry.placeholders ?? {})) expect(p.content).toMatch(/^\$[1-9]$/);
    }
  });

  it('names the extension in the manifest (default locale en)', () => {
    const config = readFileSync(path.join(ROOT, 'wxt.config.ts'), 'utf8');
    expect(config).toContain("default_locale: 'en'");
    expect(config).toContain('__MSG_extName__');
    expect(MESSAGES.extName?.message).toBe('telemask');
  });

  it('holds every word of the pages: their markup has no text of its own', () => {
    const files = UI_DIRS.flatMap((d) => filesUnder(path.join(ROOT, d), /\.tsx$/));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      // JSX text: between a tag's end and the next tag or expression, with a letter in it.
      const texts = [...source.matchAll(/(?<!=)>([^<>{}]*)[<{]/g)].map((m) => m[1]!.trim()).filter((x) => /\p{L}/u.test(x) && !/[=;()]/.test(x));
      expect(texts, path.relative(ROOT, file)).toEqual([]);
    }
  });
});

describe('formatMessage (the bundled English, when the browser answers nothing)', () => {
  it('fills named placeholders from their $n substitutions, as chrome.i18n does', async () => {
    const { formatMessage } = await import('../../../src/i18n/messages');
    expect(formatMessage(MESSAGES.statusError!, ['the camera stopped'])).toBe('Problem: the camera stopped — your camera stays hidden');
    expect(formatMessage(MESSAGES.protectionRange!, ['5.7 %', '3.6 %', '8.9 %'])).toBe('5.7 % (range 3.6 %–8.9 %)');
    expect(formatMessage(MESSAGES.statusMasking!, [])).toBe('Your face is hidden');
  });
});
