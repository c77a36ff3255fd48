/** Video-visit sites telemask protects out of the box (docs/design.md §Default telehealth origins). */
export const DEFAULT_TELEHEALTH_MATCHES = [
  'https://doxy.me/*',
  'https://*.doxy.me/*',
  'https://*.zoom.us/*',
  'https://meet.google.com/*',
  'https://teams.microsoft.com/*',
  'https://teams.live.com/*',
  'https://teams.cloud.microsoft/*',
  'https://meet.jit.si/*',
  'https://whereby.com/*',
  'https://*.whereby.com/*',
  'https://*.vsee.com/*',
  'https://*.simplepractice.com/*',
] as const;

/**
 * Where both content scripts run: every document of a covered site, from its first moment. A page
 * can make documents whose URL is not its own — about:blank, srcdoc, blob:, data:, javascript: —
 * and get a pristine getUserMedia from them; `matchOriginAsFallback` makes Chrome inject into those
 * by the origin that created them (tests/e2e/documents proves each kind, alone and nested).
 */
export const CONTENT_SCRIPT_DOCUMENTS = {
  matches: [...DEFAULT_TELEHEALTH_MATCHES] as string[],
  runAt: 'document_start' as const,
  allFrames: true,
  matchAboutBlank: true,
  matchOriginAsFallback: true,
};

/**
 * The two content scripts as built (WXT names them after their entrypoints), for the sites
 * registered at run time (src/background/site-registry.ts).
 */
export const CONTENT_SCRIPT_FILES = {
  hook: 'content-scripts/camera-hook.js',
  bridge: 'content-scripts/camera-bridge.js',
} as const;
