import { describe, expect, it } from 'vitest';
import { cameraPolicyRules, cameraPolicyValue, policyOrigin, requestDomain } from '../../../src/settings/camera-policy';
import { DEFAULT_TELEHEALTH_MATCHES } from '../../../src/settings/origins';

describe('the camera policy of covered pages', () => {
  it('lets the page and covered sites have the camera, nobody else', () => {
    expect(cameraPolicyValue(['https://doxy.me/*', 'https://*.zoom.us/*'])).toBe('camera=(self "https://doxy.me" "https://*.zoom.us")');
  });
  it('turns match patterns into policy origins and request domains', () => {
    expect(policyOrigin('https://*.vsee.com/*')).toBe('https://*.vsee.com');
    expect(requestDomain('https://*.vsee.com/*')).toBe('vsee.com');
    expect(() => policyOrigin('https://doxy.me/visit/*')).toThrow(/origin-wide/);
  });
  it('puts the header on every covered site, on pages and frames, appended to the page’s own policy', () => {
    const [rule] = cameraPolicyRules(DEFAULT_TELEHEALTH_MATCHES);
    expect(rule!.condition.requestDomains).toEqual(expect.arrayContaining(['doxy.me', 'zoom.us', 'meet.google.com', 'simplepractice.com']));
    expect(rule!.condition.resourceTypes).toEqual(['main_frame', 'sub_frame']);
    expect(rule!.action.responseHeaders[0]).toMatchObject({ header: 'Permissions-Policy', operation: 'append' });
  });
});
