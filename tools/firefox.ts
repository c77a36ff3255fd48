/**
 * Launch the system Firefox (Debian's firefox-esr) through puppeteer-core over WebDriver BiDi, with
 * the unpacked Firefox build installed as a temporary add-on, a fake camera (Firefox's own moving
 * test pattern), and every https host served by the local test server (tools/connect-proxy.ts).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { startConnectProxy, type ConnectProxy } from './connect-proxy';

export const DEFAULT_FIREFOX = '/usr/bin/firefox-esr';

export function findFirefox(): string | undefined {
  return [process.env.FIREFOX_PATH, DEFAULT_FIREFOX, '/usr/bin/firefox'].find((p): p is string => !!p && existsSync(p));
}

export interface FirefoxOptions {
  /** Unpacked extension folder (.output/firefox-mv3). */
  extensionDir?: string;
  /** The local HTTPS test server's port: every https host is served from it. */
  serverPort: number;
  /** More preferences (e.g. policies are files, not prefs: see docs/deploy.md). */
  prefs?: Record<string, unknown>;
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
  const executablePath = findFirefox();
  if (!executablePath) throw new Error('Firefox not found (Debian: apt-get install firefox-esr, or set FIREFOX_PATH)');
  const proxy: ConnectProxy = await startConnectProxy(opts.serverPort);
  const profile = mkdtempSync(path.join(os.tmpdir(), 'telemask-firefox-'));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath,
      headless: true,
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
        // Headless Firefox has WebGL only when forced (software GL); MediaPipe's runtime needs a GL context.
        'webgl.force-enabled': true,
        // Nothing of Firefox's own reaches out (the machine has no internet anyway).
        'app.update.enabled': false,
        'browser.shell.checkDefaultBrowser': false,
        'datareporting.policy.dataSubmissionEnabled': false,
        'extensions.update.enabled': false,
        ...(opts.dumpio ? { 'devtools.console.stdout.content': true, 'devtools.console.stdout.chrome': true } : {}),
        ...opts.prefs,
      },
    });
  } catch (e) {
    await proxy.close();
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  const extensionId = opts.extensionDir ? await browser.installExtension(path.resolve(opts.extensionDir)) : undefined;
  let closed = false;
  return {
    browser,
    extensionId,
    async close() {
      if (closed) return;
      closed = true;
      await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
      await proxy.close();
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
