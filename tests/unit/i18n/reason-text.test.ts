/**
 * A refused site or policy value is said from messages.json: every reason code has a message, and
 * what it refers to (the scheme, the host, the keys…) is filled in, in the English bundle.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMessage } from '../../../src/i18n/messages';
import { reasonMessage } from '../../../src/i18n/reason-text';
import type { PolicyReason, ReasonCode } from '../../../src/settings/reasons';
import { parseSite } from '../../../src/settings/sites';

const MESSAGES = JSON.parse(readFileSync(path.resolve(__dirname, '../../../public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const english = (r: PolicyReason) => {
  const { key, args } = reasonMessage(r);
  return formatMessage(MESSAGES[key]!, args);
};

/** One of each code (the type makes the list complete). */
const EVERY: { [C in ReasonCode]: Extract<PolicyReason, { code: C }> } = {
  notSite: { code: 'notSite' },
  notHttps: { code: 'notHttps', arg: 'http' },
  hasPath: { code: 'hasPath', arg: '/visit' },
  hasUser: { code: 'hasUser' },
  hasPort: { code: 'hasPort' },
  everySite: { code: 'everySite' },
  wildcardNotFirst: { code: 'wildcardNotFirst' },
  notHost: { code: 'notHost', arg: 'exa mple.org' },
  wholeTld: { code: 'wholeTld', arg: '*.org' },
  policyNotObject: { code: 'policyNotObject' },
  unknownKey: { code: 'unknownKey', arg: 'forceMasking, lockStyle' },
  notBoolean: { code: 'notBoolean' },
  notStyle: { code: 'notStyle', arg: '"digital", "blur"' },
  notList: { code: 'notList' },
  siteNotString: { code: 'siteNotString' },
  policyUnreadable: { code: 'policyUnreadable', arg: 'storage is gone' },
};

describe('reasonText', () => {
  it('says every reason in words, with what it refers to filled in', () => {
    const keys = new Set<string>();
    for (const reason of Object.values(EVERY)) {
      const { key } = reasonMessage(reason);
      keys.add(key);
      const text = english(reason);
      expect(text, reason.code).toMatch(/\p{L}{3}/u);
      expect(text, reason.code).not.toMatch(/\$/);
      if ('arg' in reason) expect(text, reason.code).toContain(reason.arg);
    }
    expect(keys.size, 'one message per code').toBe(Object.keys(EVERY).length);
  });

  it('tells an IT admin what to write instead', () => {
    const refused = (site: string) => {
      const p = parseSite(site);
      if (p.ok) throw new Error(`${site} parsed`);
      return english(p.reason);
    };
    expect(refused('http://video.example.org')).toBe('http: video visits are served over https, only https sites can be covered');
    expect(refused('https://video.example.org:8443')).toMatch(/leave the port out/);
    expect(refused('video.example.org')).toMatch(/https:\/\/video\.example\.org/);
  });
});
