/**
 * The deploy guide's copy-paste examples are real: the Linux file is the one the end-to-end test
 * gives Chromium, and every platform's example sets every key to values telemask accepts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_KEYS, readPolicy } from '../../../src/settings/policy';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const guide = readFileSync(path.join(ROOT, 'docs/deploy.md'), 'utf8');
const blocks = (lang: string) => [...guide.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
const ID = 'ljjonnakbmjofcjljbdhjmlncbojmfje';

function expectAllKeysAccepted(keys: unknown) {
  const r = readPolicy(keys);
  expect(r.ignored).toEqual([]);
  expect(Object.keys(r.inForce).sort()).toEqual([...POLICY_KEYS].sort());
  return r.policy;
}

describe('docs/deploy.md examples', () => {
  const file = JSON.parse(readFileSync(path.join(ROOT, 'docs/deploy/chromium-policy.json'), 'utf8'));

  it('the Linux example in the guide is the file the end-to-end test uses, and telemask accepts all of it', () => {
    const jsons = blocks('json').map((b) => JSON.parse(b) as Record<string, unknown>);
    expect(jsons).toContainEqual(file);
    const policy = expectAllKeysAccepted(file['3rdparty'].extensions[ID]);
    expect(policy).toMatchObject({ forceMasking: true, lockStyle: true, defaultStyle: 'digital' });
    expect(policy.extraSites).toEqual(['https://video.example-clinic.org/*', 'https://*.visits.example-clinic.org/*']);
  });

  it('the Firefox policies.json sets the same keys', () => {
    const firefox = blocks('json').map((b) => JSON.parse(b) as { policies?: { '3rdparty': { Extensions: Record<string, unknown> } } }).find((j) => j.policies);
    const keys = Object.values(firefox!.policies!['3rdparty'].Extensions)[0];
    expect(keys).toEqual(file['3rdparty'].extensions[ID]);
    expectAllKeysAccepted(keys);
  });

  it('the Windows .reg sets the same keys under the real 3rdparty policy path', () => {
    const reg = blocks('reg')[0]!;
    expect(reg).toContain(`[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome\\3rdparty\\extensions\\${ID}\\policy]`);
    const values: Record<string, unknown> = {};
    let list: string | undefined;
    for (const line of reg.split('\n')) {
      const section = /^\[.*\\policy(?:\\(\w+))?\]$/.exec(line.trim());
      if (section) list = section[1];
      const m = /^"([^"]+)"=(?:dword:([0-9a-f]{8})|"([^"]*)")$/.exec(line.trim());
      if (!m) continue;
      // Chrome reads a DWORD as a boolean where the schema says boolean.
      const value = m[2] !== undefined ? parseInt(m[2], 16) === 1 : m[3];
      if (list) ((values[list] ??= []) as unknown[]).push(value);
      else values[m[1]!] = value;
    }
    expect(values).toEqual(file['3rdparty'].extensions[ID]);
  });

  it('the macOS profile payload sets the same keys', () => {
    const xml = blocks('xml')[0]!;
    expect(xml).toContain(`com.google.Chrome.extensions.${ID}`);
    const keys: Record<string, unknown> = {};
    for (const m of xml.matchAll(/<key>(\w+)<\/key>\s*(<true\/>|<false\/>|<string>([^<]*)<\/string>|<array>([\s\S]*?)<\/array>)/g)) {
      if (!(POLICY_KEYS as readonly string[]).includes(m[1]!)) continue;
      keys[m[1]!] = m[2] === '<true/>' ? true : m[2] === '<false/>' ? false : m[3] ?? [...m[4]!.matchAll(/<string>([^<]*)<\/string>/g)].map((s) => s[1]);
    }
    expect(keys).toEqual(file['3rdparty'].extensions[ID]);
  });
});
