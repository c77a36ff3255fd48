import { describe, expect, it } from 'vitest';
import { parseSite, parseSites, siteCovers, siteOfPage } from '../../../src/settings/sites';

describe('parseSite', () => {
  it.each([
    ['https://video.example-clinic.org', 'https://video.example-clinic.org/*'],
    ['https://video.example-clinic.org/', 'https://video.example-clinic.org/*'],
    ['https://video.example-clinic.org/*', 'https://video.example-clinic.org/*'],
    ['  https://Video.Example-Clinic.ORG  ', 'https://video.example-clinic.org/*'],
    ['https://*.example-clinic.org/*', 'https://*.example-clinic.org/*'],
    ['https://*.example-clinic.org', 'https://*.example-clinic.org/*'],
    ['https://localhost', 'https://localhost/*'],
  ])('%s → %s', (input, pattern) => {
    expect(parseSite(input)).toEqual({ ok: true, pattern });
  });

  it.each([
    ['video.example.org', { code: 'notSite' }],
    ['http://video.example.org', { code: 'notHttps', arg: 'http' }],
    ['ftp://video.example.org', { code: 'notHttps', arg: 'ftp' }],
    ['https://video.example.org/visit/*', { code: 'hasPath', arg: '/visit/*' }],
    ['https://video.example.org:8443', { code: 'hasPort' }],
    ['https://user@video.example.org', { code: 'hasUser' }],
    ['https://*/*', { code: 'everySite' }],
    ['https://*.org/*', { code: 'wholeTld', arg: '*.org' }],
    ['https://video.*.org/*', { code: 'wildcardNotFirst' }],
    ['<all_urls>', { code: 'notSite' }],
    ['https://exa mple.org', { code: 'notHost', arg: 'exa mple.org' }],
    ['https://-bad.example.org', { code: 'notHost', arg: '-bad.example.org' }],
    ['', { code: 'notSite' }],
  ])('refuses %s', (input, reason) => {
    expect(parseSite(input)).toEqual({ ok: false, reason });
  });

  it('parseSites keeps the good ones once each and says why the others were left out', () => {
    const { patterns, rejected } = parseSites(['https://a.example.org', 'http://b.example.org', 'https://a.example.org/*']);
    expect(patterns).toEqual(['https://a.example.org/*']);
    expect(rejected).toEqual([{ site: 'http://b.example.org', reason: { code: 'notHttps', arg: 'http' } }]);
  });
});

describe('siteCovers', () => {
  it('a host pattern covers that host on any path and port, nothing else', () => {
    expect(siteCovers('https://video.example.org/*', 'https://video.example.org/room/1?x#y')).toBe(true);
    expect(siteCovers('https://video.example.org/*', 'https://video.example.org:8443/')).toBe(true);
    expect(siteCovers('https://video.example.org/*', 'https://other.example.org/')).toBe(false);
    expect(siteCovers('https://video.example.org/*', 'http://video.example.org/')).toBe(false);
    expect(siteCovers('https://video.example.org/*', 'https://video.example.org.evil.test/')).toBe(false);
  });

  it('a subdomain pattern covers the host itself and every subdomain', () => {
    expect(siteCovers('https://*.example.org/*', 'https://example.org/')).toBe(true);
    expect(siteCovers('https://*.example.org/*', 'https://a.b.example.org/')).toBe(true);
    expect(siteCovers('https://*.example.org/*', 'https://badexample.org/')).toBe(false);
  });

  it('siteOfPage offers the page host, for https pages only', () => {
    expect(siteOfPage('https://Video.Example.org:8443/visit?id=3')).toBe('https://video.example.org/*');
    expect(siteOfPage('http://video.example.org/')).toBeUndefined();
    expect(siteOfPage('chrome://extensions/')).toBeUndefined();
    expect(siteOfPage('not a url')).toBeUndefined();
  });
});
