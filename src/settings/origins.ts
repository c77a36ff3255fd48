/** Video-visit sites telemask protects out of the box (DESIGN.md §Default telehealth origins). */
export const DEFAULT_TELEHEALTH_MATCHES = [
  'https://doxy.me/*',
  'https://*.doxy.me/*',
  'https://*.zoom.us/*',
  'https://meet.google.com/*',
  'https://teams.microsoft.com/*',
  'https://teams.live.com/*',
  'https://meet.jit.si/*',
  'https://whereby.com/*',
  'https://*.whereby.com/*',
  'https://*.vsee.com/*',
  'https://*.simplepractice.com/*',
] as const;
