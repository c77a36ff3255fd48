/**
 * Every kind of document a telehealth page can create or open — blob:, data:, javascript:, srcdoc,
 * about:blank (written), sandboxed frames, each alone and nested in the others, and popup windows on
 * them — asks for the camera, on the production build, with a fake camera stamped with the raw
 * marker. In each, the document's own track must be masked, or the request must fail cleanly (a
 * DOMException) where Chrome gives that document no camera at all. Never one raw frame.
 *
 * The table it prints says which kinds Chrome gives a camera and which it does not.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StaticHttpsServer } from '../../tools/https-server';
import { chromiumAvailable, markedFaceCamera, openExtensionPage, startPagesServer, type ExtensionBrowser } from '../support/e2e';
import { classifyStream, PROBE_OPTIONS, probeSource, type ProbeResult } from '../support/frame-probe';

const PAGE = 'https://doxy.me/empty.html';
/** Errors that are a clean refusal of the camera. */
const CLEAN_REFUSALS = /^(NotAllowedError|NotReadableError|NotFoundError|SecurityError|NoMediaDevices)\b/;
const CASE_TIMEOUT_MS = 45_000;

/** A string as a JS literal that is safe inside an inline <script> (no `</script>` can end it). */
const lit = (s: string) => JSON.stringify(s).replace(/</g, '\\u003c');

type Maker = (html: string) => string;

/** Page code that puts a document holding `html` into the current document (frames) or a window. */
const frame = (setup: string): Maker => (html) =>
  `{ const f = document.createElement('iframe'); f.allow = 'camera'; ${setup.replaceAll('HTML', lit(html))}; }`;

const MAKERS: Record<string, Maker> = {
  'about:blank': (html) =>
    `{ const f = document.createElement('iframe'); f.allow = 'camera'; document.body.append(f); const d = f.contentDocument; d.open(); d.write(${lit(html)}); d.close(); }`,
  srcdoc: frame(`f.srcdoc = HTML; document.body.append(f)`),
  blob: frame(`f.src = URL.createObjectURL(new Blob([HTML], { type: 'text/html' })); document.body.append(f)`),
  data: frame(`f.src = 'data:text/html;charset=utf-8,' + encodeURIComponent(HTML); document.body.append(f)`),
  'javascript:': frame(`f.src = 'javascript:' + encodeURIComponent(JSON.stringify(HTML)); document.body.append(f)`),
  'sandboxed srcdoc': frame(`f.sandbox = 'allow-scripts'; f.srcdoc = HTML; document.body.append(f)`),
  'popup blob': (html) => `window.open(URL.createObjectURL(new Blob([${lit(html)}], { type: 'text/html' })), '_blank', 'popup');`,
  'popup about:blank': (html) => `{ const w = window.open('about:blank', '_blank', 'popup'); w.document.write(${lit(html)}); w.document.close(); }`,
  'popup data': (html) => `window.open('data:text/html;charset=utf-8,' + encodeURIComponent(${lit(html)}), '_blank', 'popup');`,
  'popup javascript:': (html) => `window.open('javascript:' + encodeURIComponent(JSON.stringify(${lit(html)})), '_blank', 'popup');`,
};

/**
 * A frame of a site telemask does not cover, given the camera by the page (allow="camera"): it runs
 * none of telemask, so it must get no camera at all. Served by the test server at /probe?id=….
 */
const THIRD_PARTY = 'https://not-telehealth.test';
/** A frame of another covered site: it runs telemask, so the page may give it the camera. */
const OTHER_COVERED = 'https://meet.jit.si';
const siteFrame = (site: string, id: string) =>
  `{ const f = document.createElement('iframe'); f.allow = 'camera'; f.src = '${site}/probe?id=${id}'; document.body.append(f); }`;

/** `path` outermost first; the innermost document runs the probe. */
function buildCase(path: string[], id: string): string {
  let html = `<!doctype html><html><body><script>${probeSource(id)}</script></body></html>`;
  for (let i = path.length - 1; i > 0; i--) html = `<!doctype html><html><body><script>${MAKERS[path[i]!]!(html)}</script></body></html>`;
  return MAKERS[path[0]!]!(html);
}

const CASES: string[][] = [
  ...Object.keys(MAKERS).map((k) => [k]),
  ['blob', 'srcdoc'],
  ['srcdoc', 'blob'],
  ['blob', 'data'],
  ['data', 'blob'],
  ['data', 'srcdoc'],
  ['about:blank', 'blob'],
  ['blob', 'about:blank'],
  ['javascript:', 'blob'],
  ['blob', 'javascript:'],
  ['sandboxed srcdoc', 'blob'],
  ['blob', 'srcdoc', 'blob'],
  ['popup blob', 'srcdoc'],
  ['popup about:blank', 'blob'],
];

/** Same-origin documents the PAGE reaches into and asks for the camera from its own script. */
const REACH_IN: [string, string][] = [
  [
    "a blob: iframe's navigator.mediaDevices",
    `const f = document.createElement('iframe');
     f.src = URL.createObjectURL(new Blob(['<!doctype html><p>blob'], { type: 'text/html' }));
     document.body.append(f);
     await new Promise((r) => f.addEventListener('load', r, { once: true }));
     return f.contentWindow.navigator.mediaDevices.getUserMedia({ video: true });`,
  ],
  [
    "a blob: iframe's MediaDevices.prototype on the page's navigator",
    `const f = document.createElement('iframe');
     f.src = URL.createObjectURL(new Blob(['<!doctype html><p>blob'], { type: 'text/html' }));
     document.body.append(f);
     await new Promise((r) => f.addEventListener('load', r, { once: true }));
     return f.contentWindow.MediaDevices.prototype.getUserMedia.call(navigator.mediaDevices, { video: true });`,
  ],
  [
    "a javascript: iframe's navigator.mediaDevices",
    `const f = document.createElement('iframe');
     f.src = 'javascript:"<!doctype html><p>js"';
     document.body.append(f);
     await new Promise((r) => f.addEventListener('load', r, { once: true }));
     return f.contentWindow.navigator.mediaDevices.getUserMedia({ video: true });`,
  ],
  [
    "a blob: popup's navigator.mediaDevices",
    `const w = window.open(URL.createObjectURL(new Blob(['<!doctype html><p>blob'], { type: 'text/html' })), '_blank', 'popup');
     while (!w.document || w.document.readyState !== 'complete' || !w.location.href.startsWith('blob:')) await new Promise((r) => setTimeout(r, 20));
     window.__popups.push(w);
     return w.navigator.mediaDevices.getUserMedia({ video: true });`,
  ],
];

interface Outcome {
  result?: ProbeResult;
  error?: string;
}

async function installHarness(page: Page): Promise<void> {
  await page.evaluate(`window.__classify = ${classifyStream.toString()};
    window.__popups = [];
    window.__results = {};
    window.addEventListener('message', (e) => { if (e.data && e.data.probe) window.__results[e.data.probe] = e.data; });
    const open = window.open;
    window.open = function (...args) { const w = open.apply(this, args); if (w) window.__popups.push(w); return w; };`);
}

/** Runs page code that creates a probe document, waits for its report (undefined: none came). */
async function runProbe(page: Page, code: string, id: string, timeoutMs: number): Promise<Outcome | undefined> {
  await page.evaluate(code);
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const got = (await page.evaluate(`window.__results[${JSON.stringify(id)}]`)) as Outcome | undefined;
    if (got) return got;
    await new Promise((r) => setTimeout(r, 200));
  }
  return undefined;
}

async function cleanUp(page: Page): Promise<void> {
  await page.evaluate(`for (const w of window.__popups) try { w.close(); } catch {}
    window.__popups = [];
    for (const f of document.querySelectorAll('iframe')) f.remove();`);
}

function verdict(outcome: Outcome | undefined): string {
  if (!outcome) return 'no document ran (navigation blocked)';
  if (outcome.error) return `no camera: ${outcome.error.split(':')[0]}`;
  const k = outcome.result!.kinds;
  const n = (kind: string) => k.filter((x) => x === kind).length;
  return `camera, masked: ${n('masked')} masked, ${n('obscured')} obscured, ${n('raw')} raw, first masked at ${outcome.result!.firstAt.masked ?? '–'} ms`;
}

function expectSafe(name: string, outcome: Outcome | undefined): void {
  if (!outcome) return; // no document, no camera
  if (outcome.error) {
    expect(outcome.error, `${name}: a refusal must be a clean DOMException`).toMatch(CLEAN_REFUSALS);
    return;
  }
  const kinds = outcome.result!.kinds;
  expect(kinds.filter((k) => k === 'raw'), `${name}: raw camera frames reached the document`).toEqual([]);
  expect(kinds.filter((k) => k === 'masked').length, `${name}: the document's track must be masked`).toBe(PROBE_OPTIONS.masked);
}

describe.skipIf(!chromiumAvailable())('every document kind a page can make: masked or no camera, never raw', () => {
  let server: StaticHttpsServer;
  let tab: ExtensionBrowser;
  const table: string[] = [];

  beforeAll(async () => {
    server = await startPagesServer((_req, url) =>
      url.pathname === '/probe'
        ? { headers: { 'content-type': 'text/html; charset=utf-8' }, body: `<!doctype html><body><script>${probeSource(url.searchParams.get('id') ?? '')}</script></body>` }
        : undefined,
    );
    tab = await openExtensionPage({ server, camera: await markedFaceCamera(), url: PAGE, extensionDir: inject('extensionDir') });
    await installHarness(tab.page);
  });
  afterAll(async () => {
    if (table.length) console.log(`[documents] which documents get a camera:\n${table.join('\n')}`);
    await tab?.close();
    await server?.close();
  });

  for (const path of CASES) {
    const name = path.join(' > ');
    it(`${name}: its own getUserMedia`, async () => {
      const id = `case-${path.join('-')}`;
      const outcome = await runProbe(tab.page, buildCase(path, id), id, path[0]!.startsWith('popup data') ? 8000 : CASE_TIMEOUT_MS);
      await cleanUp(tab.page);
      table.push(`  ${name.padEnd(36)} ${verdict(outcome)}`);
      expectSafe(name, outcome);
    });
  }

  it(`a frame of a site telemask does not cover, with allow="camera": no camera`, async () => {
    const id = 'third-party';
    const outcome = await runProbe(tab.page, siteFrame(THIRD_PARTY, id), id, CASE_TIMEOUT_MS);
    await cleanUp(tab.page);
    table.push(`  ${'uncovered site iframe (allow=camera)'.padEnd(36)} ${verdict(outcome)}`);
    expect(outcome, 'the frame reported back').toBeDefined();
    expect(outcome!.error, 'an uncovered frame inside a covered page must get no camera').toMatch(CLEAN_REFUSALS);
  });

  it(`a frame of another covered site, with allow="camera": masked`, async () => {
    const id = 'other-covered';
    const outcome = await runProbe(tab.page, siteFrame(OTHER_COVERED, id), id, CASE_TIMEOUT_MS);
    await cleanUp(tab.page);
    table.push(`  ${'covered site iframe (allow=camera)'.padEnd(36)} ${verdict(outcome)}`);
    expect(outcome, 'the frame reported back').toBeDefined();
    expectSafe('covered site iframe', outcome);
    expect(outcome!.result, 'a covered frame the page delegates to gets the (masked) camera').toBeDefined();
  });

  for (const [name, code] of REACH_IN) {
    it(`the page calls ${name}`, async () => {
      const outcome = (await tab.page.evaluate(`(async () => {
          try { return { result: await window.__classify(await (async () => { ${code} })(), ${JSON.stringify(PROBE_OPTIONS)}) }; }
          catch (e) { return { error: (e && e.name ? e.name + ': ' : '') + (e && e.message || String(e)) }; }
        })()`)) as Outcome;
      await cleanUp(tab.page);
      table.push(`  page → ${name.padEnd(60)} ${verdict(outcome)}`);
      expectSafe(name, outcome);
    });
  }
});
