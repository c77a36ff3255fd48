/**
 * Launch the system Firefox (Debian's firefox-esr) through puppeteer-core over WebDriver BiDi, with
 * the unpacked Firefox build installed as a temporary add-on, a fake camera (Firefox's own moving
 * test pattern), and every https host served by the local test server (tools/connect-proxy.ts).
 *
 * Headless Firefox has no WebGL on a machine without a GPU (measured: "Exhausted GL driver options",
 * whatever the prefs), and MediaPipe's runtime needs a GL context even on its CPU delegate. A
 * windowed Firefox on a virtual X display (Debian's xvfb) gets Mesa's software GL (llvmpipe), in
 * pages and workers: where Xvfb is installed, Firefox runs windowed on a display of its own.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { startConnectProxy, type ConnectProxy } from './connect-proxy';

export const DEFAULT_FIREFOX = '/usr/bin/firefox-esr';

export function findFirefox(): string | undefined {
  return [process.env.FIREFOX_PATH, DEFAULT_FIREFOX, '/usr/bin/firefox'].find((p): p is string => !!p && existsSync(p));
}

/** Whether Firefox can run windowed here on a virtual display (Debian: apt-get install xvfb). */
export function virtualDisplayAvailable(): boolean {
  return spawnSync('Xvfb', ['-help'], { stdio: 'ignore' }).error === undefined;
}

interface VirtualDisplay {
  display: string;
  close(): void;
}

/** Starts Xvfb on a free display number (it picks one and writes it to fd 3). */
function startVirtualDisplay(): Promise<VirtualDisplay> {
  const xvfb: ChildProcess = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`Xvfb gave no display within 10 s: ${err}`)), 10_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      xvfb.kill();
      reject(e);
    };
    xvfb.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    xvfb.on('error', fail);
    xvfb.on('exit', (code) => fail(new Error(`Xvfb exited (${code}): ${err}`)));
    xvfb.stdio[3]?.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      xvfb.removeAllListeners('exit');
      resolve({ display: `:${out.trim()}`, close: () => xvfb.kill() });
    });
  });
}

export interface FirefoxOptions {
  /** Another executable that runs Firefox (e.g. under a policy file: tools/managed-policy.ts). */
  executablePath?: string;
  /** Unpacked extension folder (.output/firefox-mv3). */
  extensionDir?: string;
  /** The local HTTPS test server's port: every https host is served from it. */
  serverPort: number;
  /** More preferences (e.g. policies are files, not prefs: see docs/deploy.md). */
  prefs?: Record<string, unknown>;
  /**
   * The add-on's internal UUID (its moz-extension:// host), fixed through Firefox's
   * `extensions.webextensions.uuids` so a test can open the extension's own pages.
   */
  extensionUuid?: { id: string; uuid: string };
  /** Firefox's stdout/stderr, with every console message (content scripts, workers), to this process's. */
  dumpio?: boolean;
}

export interface LaunchedFirefox {
  browser: Browser;
  /** The add-on's id, when an extension was installed. */
  extensionId?: string;
  close(): Promise<void>;
}

export async function launchFirefox(opts: FirefoxOptions): Promise<LaunchedFirefox> {
  const executablePath = opts.executablePath ?? findFirefox();
  if (!executablePath) throw new Error('Firefox not found (Debian: apt-get install firefox-esr, or set FIREFOX_PATH)');
  const screen = virtualDisplayAvailable() ? await startVirtualDisplay() : null;
  const proxy: ConnectProxy = await startConnectProxy(opts.serverPort);
  const profile = mkdtempSync(path.join(os.tmpdir(), 'telemask-firefox-'));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath,
      headless: !screen,
      ...(screen ? { env: { ...process.env, DISPLAY: screen.display } } : {}),
      userDataDir: profile,
      acceptInsecureCerts: true,
      protocolTimeout: 120_000,
      dumpio: opts.dumpio ?? false,
      extraPrefsFirefox: {
        // A camera with no prompt: Firefox's fake device (a moving test pattern).
        'media.navigator.streams.fake': true,
        'media.navigator.permission.disabled': true,
        'permissions.default.camera': 1,
        // Every https request goes to the local server, through the CONNECT proxy.
        'network.proxy.type': 1,
        'network.proxy.ssl': '127.0.0.1',
        'network.proxy.ssl_port': proxy.port,
        'network.proxy.allow_hijacking_localhost': true,
        'network.proxy.no_proxies_on': '',
        // Software GL counts as no GL unless forced; MediaPipe's runtime needs a GL context.
        'webgl.force-enabled': true,
        // Nothing of Firefox's own reaches out (the machine has no internet anyway).
        'app.update.enabled': false,
        'browser.shell.checkDefaultBrowser': false,
        'datareporting.policy.dataSubmissionEnabled': false,
        'extensions.update.enabled': false,
        ...(opts.extensionUuid ? { 'extensions.webextensions.uuids': JSON.stringify({ [opts.extensionUuid.id]: opts.extensionUuid.uuid }) } : {}),
        ...(opts.dumpio ? { 'devtools.console.stdout.content': true, 'devtools.console.stdout.chrome': true } : {}),
        ...opts.prefs,
      },
    });
  } catch (e) {
    await proxy.close();
    screen?.close();
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
    await proxy.close();
    screen?.close();
    rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const extensionId = opts.extensionDir ? await browser.installExtension(path.resolve(opts.extensionDir)) : undefined;
    return { browser, extensionId, close };
  } catch (e) {
    await close();
    throw e;
  }
}
