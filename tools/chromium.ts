/**
 * Launch the system Chromium through puppeteer-core, optionally with the unpacked extension,
 * a fake camera (.y4m) and host mapping to the local HTTPS server; helpers for the extension's
 * service worker (tab state) and for worker targets (fault injection).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TabState } from '../src/status/status';
import puppeteer, { type Browser, type Page, type Target, type WebWorker } from 'puppeteer-core';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export interface LaunchOptions {
  /** Unpacked extension directory (e.g. .output/chrome-mv3). */
  extensionDir?: string;
  /** .y4m file for --use-file-for-fake-video-capture (see tools/fake-camera.ts). Ignored with realCamera. */
  fakeCamera?: string;
  /** Use the machine's camera (no fake-device flags). Default: false. */
  realCamera?: boolean;
  /** Default true (--headless=new). */
  headless?: boolean;
  /** Value for --host-resolver-rules (see hostResolverRules() in tools/https-server.ts). */
  hostResolverRules?: string;
  /** Default: a fresh temp dir, removed on close(). */
  userDataDir?: string;
  executablePath?: string;
  extraArgs?: string[];
  /** Chromium's stderr/stdout to this process's (debugging). */
  dumpio?: boolean;
  /** Puppeteer protocol timeout (ms). Default 120 s (slow CPU-only machines). */
  protocolTimeout?: number;
}

export interface LaunchedChromium {
  browser: Browser;
  userDataDir: string;
  /** Closes the browser and removes the temp profile. */
  close(): Promise<void>;
}

export function findChromium(explicit?: string): string {
  const candidates = [explicit, process.env.CHROMIUM_PATH, process.env.PUPPETEER_EXECUTABLE_PATH, DEFAULT_CHROMIUM,
    '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[];
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(
    `Chromium not found (looked at ${candidates.join(', ')}). Install it (Debian: apt-get install chromium) ` +
      'or set CHROMIUM_PATH.',
  );
}

export function chromiumArgs(opts: LaunchOptions, userDataDir: string): string[] {
  const headless = opts.headless ?? true;
  const args = [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-quic',
    '--ignore-certificate-errors',
    // keep timers/rAF/video running in background tabs and headless windows
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
    '--autoplay-policy=no-user-gesture-required',
    `--user-data-dir=${userDataDir}`,
  ];
  if (headless) {
    // Machines that run headless here have no GPU: WebGL (which MediaPipe needs even on its CPU
    // delegate) comes from SwiftShader, and compositing in software keeps the SwiftShader thread
    // free for it (measured: the mask worker went from 136 to 58 ms per frame with two videos shown).
    args.push('--headless=new', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--disable-gpu-compositing');
  }
  if (!opts.realCamera) {
    args.push('--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream');
    if (opts.fakeCamera) {
      if (!existsSync(opts.fakeCamera)) throw new Error(`fake camera file not found: ${opts.fakeCamera}`);
      args.push(`--use-file-for-fake-video-capture=${path.resolve(opts.fakeCamera)}`);
    }
  }
  if (opts.hostResolverRules) args.push(`--host-resolver-rules=${opts.hostResolverRules}`);
  if (opts.extensionDir) {
    const dir = path.resolve(opts.extensionDir);
    if (!existsSync(path.join(dir, 'manifest.json'))) throw new Error(`no manifest.json in extension dir ${dir}`);
    args.push(`--load-extension=${dir}`, `--disable-extensions-except=${dir}`);
  }
  args.push(...(opts.extraArgs ?? []));
  return args;
}

export async function launchChromium(opts: LaunchOptions = {}): Promise<LaunchedChromium> {
  const executablePath = findChromium(opts.executablePath);
  const ownProfile = !opts.userDataDir;
  const userDataDir = opts.userDataDir ?? mkdtempSync(path.join(os.tmpdir(), 'telemask-profile-'));
  const args = chromiumArgs(opts, userDataDir);
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      // flags are ours (chromiumArgs), including --headless=new
      headless: false,
      args,
      ignoreDefaultArgs: ['--disable-extensions', '--enable-automation'],
      defaultViewport: null,
      dumpio: opts.dumpio ?? false,
      protocolTimeout: opts.protocolTimeout ?? 120_000,
      pipe: true,
    });
  } catch (e) {
    if (ownProfile) rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  let closed = false;
  return {
    browser,
    userDataDir,
    async close() {
      if (closed) return;
      closed = true;
      await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
      if (ownProfile) rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// extension service worker

export interface ExtensionWorker {
  target: Target;
  worker: WebWorker;
  extensionId: string;
  /** Evaluate a function in the service worker (chrome.* APIs available). */
  evaluate<T, A extends unknown[]>(fn: (...args: A) => T | Promise<T>, ...args: A): Promise<Awaited<T>>;
}

function isExtensionSw(t: Target, extensionId?: string): boolean {
  return (
    t.type() === 'service_worker' &&
    t.url().startsWith(`chrome-extension://${extensionId ?? ''}`)
  );
}

/** How long a fresh profile takes at most to show the extension's first-run page. */
const FIRST_RUN_WAIT_MS = 10_000;

/**
 * Finds (waits for) the extension's MV3 service worker. A fresh profile installs the extension, which
 * opens its first-run page (welcome.html) in front of whatever the caller opens next, and a page in
 * a background tab presents no video frames: by default that page is awaited and closed
 * (`firstRun: 'keep'` leaves it, for tests of the page itself or of a profile started again).
 */
export async function getExtensionWorker(
  browser: Browser,
  opts: { extensionId?: string; timeout?: number; firstRun?: 'close' | 'keep' } = {},
): Promise<ExtensionWorker> {
  const target = await browser.waitForTarget((t) => isExtensionSw(t, opts.extensionId), {
    timeout: opts.timeout ?? 30_000,
  });
  const worker = await target.worker();
  if (!worker) throw new Error(`no worker for service worker target ${target.url()}`);
  const extensionId = new URL(target.url()).host;
  if ((opts.firstRun ?? 'close') === 'close') {
    const welcome = await browser
      .waitForTarget((t) => t.url() === `chrome-extension://${extensionId}/welcome.html`, { timeout: FIRST_RUN_WAIT_MS })
      .catch(() => null);
    await (await welcome?.asPage())?.close();
  }
  return {
    target,
    worker,
    extensionId,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    evaluate: (fn: any, ...args: any[]) => worker.evaluate(fn, ...args) as any,
  };
}

export type { TabState };

/**
 * The tab id of `page`, as the extension sees it. Matched by URL when the extension may see tab URLs
 * (host permission for the page); otherwise the page is brought to front and the active tab is used.
 */
const tabIds = new WeakMap<Page, number>();

export async function tabIdOf(sw: ExtensionWorker, page: Page): Promise<number> {
  // A page keeps its tab: found once, remembered (bringing the page to front again would close an open popup).
  const known = tabIds.get(page);
  if (known !== undefined) return known;
  const id = await findTabId(sw, page);
  tabIds.set(page, id);
  return id;
}

async function findTabId(sw: ExtensionWorker, page: Page): Promise<number> {
  const url = page.url();
  const byUrl = await sw.evaluate(async (u: string) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const c = (globalThis as any).chrome;
    const tabs: { id: number; url?: string; pendingUrl?: string }[] = await c.tabs.query({});
    const hits = tabs.filter((t) => t.url === u || t.pendingUrl === u);
    return hits.length ? hits[hits.length - 1]!.id : -1;
  }, url);
  if (byUrl >= 0) return byUrl;
  await page.bringToFront();
  const active = await sw.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const c = (globalThis as any).chrome;
    const tabs: { id: number }[] = await c.tabs.query({ active: true, lastFocusedWindow: true });
    return tabs.length === 1 ? tabs[0]!.id : -1;
  });
  if (active < 0) throw new Error(`cannot tell the extension's tab id of ${url}`);
  return active;
}

/** All `tab:*` entries of chrome.storage.session (diagnostics). */
export async function allTabStates(sw: ExtensionWorker): Promise<Record<string, TabState>> {
  return sw.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const c = (globalThis as any).chrome;
    const all: Record<string, unknown> = await c.storage.session.get(null);
    return Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith('tab:'))) as Record<string, TabState>;
  });
}

/** chrome.storage.session['tab:'+tabId] for the page's tab. */
export async function getTabState(sw: ExtensionWorker, page: Page): Promise<TabState | undefined> {
  const tabId = await tabIdOf(sw, page);
  return sw.evaluate(async (key: string) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const c = (globalThis as any).chrome;
    const r = await c.storage.session.get(key);
    return r[key];
  }, `tab:${tabId}`);
}

/** Polls the tab state until `pred` holds (returns it) or times out (throws with the last state). */
export async function waitForTabState(
  sw: ExtensionWorker,
  page: Page,
  pred: (s: TabState | undefined) => boolean,
  timeout = 30_000,
): Promise<TabState | undefined> {
  const end = Date.now() + timeout;
  let last: TabState | undefined;
  for (;;) {
    last = await getTabState(sw, page).catch(() => undefined);
    if (pred(last)) return last;
    if (Date.now() > end) throw new Error(`tab state condition not met in ${timeout} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the tab reports it is masking (first model load included: 60 s by default on a slow machine). */
export function waitForMasking(sw: ExtensionWorker, page: Page, timeout = 60_000): Promise<TabState | undefined> {
  return waitForTabState(sw, page, (s) => s?.status === 'masking', timeout);
}

// ---------------------------------------------------------------------------------------------
// other workers (e.g. the mask worker inside the extension's frame page)

/**
 * Waits for a dedicated worker whose URL contains `urlPart` (e.g. the mask worker inside the extension's
 * frame page) and returns it, ready for evaluate(). Looks at `page.workers()` (puppeteer attaches to
 * workers of out-of-process iframes there) and at every browser target (they show up as type 'other').
 */
export async function waitForWorker(browser: Browser, urlPart: string, timeout = 30_000, page?: Page): Promise<WebWorker> {
  const end = Date.now() + timeout;
  for (;;) {
    const pages = page ? [page] : await browser.pages();
    for (const p of pages) {
      const w = p.workers().find((x) => x.url().includes(urlPart));
      if (w) return w;
    }
    for (const t of browser.targets()) {
      if (!t.url().includes(urlPart) || t.type() === 'page') continue;
      const w = await t.worker().catch(() => null);
      if (w) return w;
    }
    if (Date.now() > end) {
      throw new Error(`no worker matching '${urlPart}' within ${timeout} ms; targets: ${JSON.stringify(listWorkerTargets(browser))}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Lists every worker-like target (type + url), for diagnostics. */
export function listWorkerTargets(browser: Browser): { type: string; url: string }[] {
  return browser
    .targets()
    .filter((t) => /worker|other/.test(t.type()) && !t.url().startsWith('chrome://'))
    .map((t) => ({ type: t.type(), url: t.url() }));
}
