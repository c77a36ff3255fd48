import { describe, expect, it } from 'vitest';
import { coverageOf } from '../../../src/settings/coverage';
import type { SitePattern } from '../../../src/settings/sites';

const p = (s: string) => s as SitePattern;
const SITES = {
  builtIn: ['https://doxy.me/*', 'https://*.zoom.us/*'],
  clinic: [
    { pattern: p('https://video.clinic.example/*'), granted: true },
    { pattern: p('https://*.waiting.example/*'), granted: false },
  ],
  user: [{ pattern: p('https://ehr.example.org/*'), granted: true }],
};

describe('coverageOf: who covers the page the popup is opened on', () => {
  it.each([
    ['https://doxy.me/room', { by: 'built-in' }],
    ['https://us02web.zoom.us/j/1', { by: 'built-in' }],
    ['https://video.clinic.example/visit', { by: 'clinic', pattern: 'https://video.clinic.example/*', granted: true }],
    ['https://a.waiting.example/', { by: 'clinic', pattern: 'https://*.waiting.example/*', granted: false }],
    ['https://ehr.example.org/x', { by: 'patient', pattern: 'https://ehr.example.org/*' }],
    ['https://news.example.com/', { by: 'nobody' }],
    [undefined, { by: 'nobody' }],
  ])('%s', (url, coverage) => {
    expect(coverageOf(url, SITES)).toEqual(coverage);
  });
});
