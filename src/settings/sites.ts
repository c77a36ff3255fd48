/**
 * A site telemask covers, written the one way the rest of the extension uses: an https match
 * pattern for a whole host, `https://video.example.org/*`, or a host and all its subdomains,
 * `https://*.example.org/*`. Whole hosts only, because what protects a site works per host: host
 * permissions, the camera Permissions-Policy (src/settings/camera-policy.ts) and the mask frame's
 * web-accessible origins. Clinics (policy `extraSites`) and patients (the popup) write sites in
 * either form, an origin or a pattern; parseSite says what it makes of the text, or why not.
 */
import type { SiteReason } from './reasons';

declare const sitePattern: unique symbol;
export type SitePattern = string & { readonly [sitePattern]: true };

export interface SiteAccess {
  pattern: SitePattern;
  /** The extension holds the site's host permission: telemask runs there. */
  granted: boolean;
}

export type SiteParse = { ok: true; pattern: SitePattern } | { ok: false; reason: SiteReason };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function parseSite(input: string): SiteParse {
  const text = input.trim();
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(\/[^?#]*)?$/i.exec(text);
  if (!m) return { ok: false, reason: { code: 'notSite' } };
  const [, scheme, authority, path = ''] = m;
  if (scheme!.toLowerCase() !== 'https') return { ok: false, reason: { code: 'notHttps', arg: scheme! } };
  if (path !== '' && path !== '/' && path !== '/*') return { ok: false, reason: { code: 'hasPath', arg: path } };
  if (authority!.includes('@')) return { ok: false, reason: { code: 'hasUser' } };
  if (/:\d*$/.test(authority!)) return { ok: false, reason: { code: 'hasPort' } };
  let host = authority!.toLowerCase();
  if (host === '*') return { ok: false, reason: { code: 'everySite' } };
  let subdomains = false;
  if (host.startsWith('*.')) {
    subdomains = true;
    host = host.slice(2);
  }
  if (host.includes('*')) return { ok: false, reason: { code: 'wildcardNotFirst' } };
  const labels = host.split('.');
  if (!host || !labels.every((l) => LABEL.test(l))) return { ok: false, reason: { code: 'notHost', arg: host } };
  if (subdomains && labels.length < 2) return { ok: false, reason: { code: 'wholeTld', arg: `*.${host}` } };
  return { ok: true, pattern: `https://${subdomains ? '*.' : ''}${host}/*` as SitePattern };
}

/** Parses every site, keeping those that parse and saying why each other one was left out. */
export function parseSites(inputs: readonly string[]): { patterns: SitePattern[]; rejected: { site: string; reason: SiteReason }[] } {
  const patterns: SitePattern[] = [];
  const rejected: { site: string; reason: SiteReason }[] = [];
  for (const site of inputs) {
    const parsed = parseSite(site);
    if (!parsed.ok) rejected.push({ site, reason: parsed.reason });
    else if (!patterns.includes(parsed.pattern)) patterns.push(parsed.pattern);
  }
  return { patterns, rejected };
}

/** Whether a page at `url` is on the site. */
export function siteCovers(pattern: string, url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const m = /^(https?):\/\/(\*\.)?([^/]+)\/\*$/.exec(pattern);
  if (!m || u.protocol !== `${m[1]}:`) return false;
  const host = u.hostname.toLowerCase();
  return host === m[3] || (m[2] !== undefined && host.endsWith(`.${m[3]}`));
}

/** The site to offer for a page the patient is on: its host, as an https pattern (undefined if not https). */
export function siteOfPage(url: string): SitePattern | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:') return undefined;
    const parsed = parseSite(u.origin.replace(/:\d+$/, ''));
    return parsed.ok ? parsed.pattern : undefined;
  } catch {
    return undefined;
  }
}
