/**
 * Who on a covered page may be given the camera: the page itself and documents of covered sites —
 * every one of which runs telemask — and nobody else. A covered page that embeds a frame of another
 * site with allow="camera" would otherwise hand that frame the raw camera: it runs none of
 * telemask (tests/e2e/documents). The rule appends a Permissions-Policy header to covered pages'
 * responses, so the browser itself refuses the camera to any other origin's frame.
 *
 * The header is appended, not set: the page's other features keep their policy. If the page's own
 * camera directive was stricter than "self and the covered sites", the last directive wins, so
 * a page that refused itself the camera gets it back — masked, like every covered page's camera.
 */
const HEADER = 'Permissions-Policy';

/** "https://*.zoom.us/*" → "https://*.zoom.us" (a Permissions-Policy origin, wildcards allowed). */
export function policyOrigin(match: string): string {
  const m = /^(https?):\/\/([^/]+)\/\*$/.exec(match);
  if (!m) throw new Error(`not an origin-wide match pattern: ${match}`);
  return `${m[1]}://${m[2]}`;
}

/** "https://*.zoom.us/*" → "zoom.us" (declarativeNetRequest's requestDomains also match subdomains). */
export function requestDomain(match: string): string {
  return policyOrigin(match).replace(/^https?:\/\//, '').replace(/^\*\./, '');
}

export function cameraPolicyValue(matches: readonly string[]): string {
  return `camera=(self ${[...new Set(matches.map(policyOrigin))].map((o) => `"${o}"`).join(' ')})`;
}

/** A declarativeNetRequest rule, as the manifest's rule file holds it. */
export interface HeaderRule {
  id: number;
  priority: number;
  action: { type: 'modifyHeaders'; responseHeaders: { header: string; operation: 'append'; value: string }[] };
  condition: { requestDomains: string[]; resourceTypes: ('main_frame' | 'sub_frame')[] };
}

/** The rule (one, id 1) that puts the camera policy on covered pages and frames. */
export function cameraPolicyRules(matches: readonly string[]): HeaderRule[] {
  return [
    {
      id: 1,
      priority: 1,
      action: { type: 'modifyHeaders', responseHeaders: [{ header: HEADER, operation: 'append', value: cameraPolicyValue(matches) }] },
      condition: { requestDomains: [...new Set(matches.map(requestDomain))], resourceTypes: ['main_frame', 'sub_frame'] },
    },
  ];
}
