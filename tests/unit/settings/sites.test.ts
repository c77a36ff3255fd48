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
    ['video.example.org', /not an origin/],
    ['http://video.example.org', /https/],
    ['ftp://video.example.org', /https/],
    ['https://video.example.org/visit/*', /path/],
    ['https://video.example.org:8443', /port/],
    ['https://user@video.example.org', /user names/],
    ['https://*/*', /not a host name/],
    ['https://*.org/*', /top-level domain/],
    ['https://video.*.org/*', /wildcard/],
    ['<all_urls>', /not an origin/],
    ['https://exa mple.org', /not a host name/],
    ['https://-bad.example.org', /not a host name/],
    ['', /not an origin/],
  ])('refuses %s', (input, reason) => {
    const parsed = parseSite(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('parseSites keeps the good ones once each and says why the others were left out', () => {
    const { patterns, rejected } = parseSites(['https://a.example.org', 'http://b.example.org', 'https://a.example.org/*']);
    expect(patterns).toEqual(['https://a.example.org/*']);
    expect(rejected).toEqual([{ site: 'http://b.example.org', reason: expect.stringMatching(/https/) as string }]);
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
