/**
 * Runs the extension's shipped mask worker in headless Chromium.
 *
 * The production build (.output/chrome-mv3) is the web root of a local HTTPS server
 * (tools/https-server.ts) on 127.0.0.1, so the worker finds /mediapipe/* and /models/* at its
 * origin root as it does in the extension. The eval page (eval/page/, bundled with esbuild) is
 * served under /eval/, the measuring landmarker's WASM under /eval/tv-wasm/, and frame pixels
 * under /eval/data/<key> from what Node registered (see `serve`).
 *
 * Several pages (each with its own worker and measuring landmarker) run sequences side by side,
 * so one page's waits (frame transfers, face-api backlog) do not idle the CPU.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { launchChromium, type LaunchedChromium } from '../tools/chromium';
import { startHttpsServer, type StaticHttpsServer } from '../tools/https-server';
import type { PageInit, SequenceResult, SequenceSpec } from './browser-protocol';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * Bundles a browser page script (default eval/page/main.ts, with tasks-vision and the signal code)
 * into `outDir`/page.js.
 */
export async function bundlePage(outDir: string, entry = path.join(HERE, 'page', 'main.ts')): Promise<void> {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    target: 'chrome120',
    outfile: path.join(outDir, 'page.js'),
    logLevel: 'error',
    sourcemap: false,
  });
}

/** Receives a frame the page was asked to keep: raw RGBA at the output size. */
export type KeepHandler = (key: string, rgba: Uint8Array) => void | Promise<void>;

export interface BrowserOptions {
  extensionDir: string;
  /** pages run side by side (default 2) */
  pages?: number;
  /** frames done (called every 10 frames of any sequence) */
  onProgress?: (delta: number) => void;
  chromiumPath?: string;
  dumpio?: boolean;
}

const INIT: PageInit = {
  workerUrl: '/mask-worker.js',
  measureWasmBase: '/eval/tv-wasm',
  measureModelUrl: '/models/face_landmarker.task',
};

export class EvalBrowser {
  private readonly data = new Map<string, () => Buffer>();
  private readonly keep = new Map<string, KeepHandler>();
  private readonly progressDone = new Map<string, number>();
  private readonly free: Page[] = [];
  private readonly freeWaiters: ((p: Page) => void)[] = [];
  readonly logs: string[] = [];
  private server!: StaticHttpsServer;
  private chromium!: LaunchedChromium;
  private tmp = '';

  private constructor(private readonly opts: BrowserOptions) {}

  static async start(opts: BrowserOptions): Promise<EvalBrowser> {
    const extDir = path.resolve(opts.extensionDir);
    for (const f of ['mask-worker.js', 'models/face_landmarker.task', 'mediapipe/vision_wasm_internal.wasm']) {
      if (!existsSync(path.join(extDir, f))) {
        throw new Error(`the production build has no ${f} (${extDir}); run 'npx wxt build' or drop --no-build`);
      }
    }
    const self = new EvalBrowser(opts);
    self.tmp = mkdtempSync(path.join(os.tmpdir(), 'telemask-eval-page-'));
    try {
      await bundlePage(self.tmp);
      const wasmDir = path.dirname(require.resolve('@mediapipe/tasks-vision/vision_wasm_internal.wasm'));
      const pageDir = path.join(HERE, 'page');
      self.server = await startHttpsServer({
        root: extDir,
        route: (_req, url) => {
          const p = url.pathname;
          if (p === '/eval/' || p === '/eval/index.html') return { root: pageDir, path: '/index.html' };
          if (p === '/eval/page.js') return { root: self.tmp, path: '/page.js' };
          if (p.startsWith('/eval/tv-wasm/')) return { root: wasmDir, path: p.slice('/eval/tv-wasm'.length) };
          if (p.startsWith('/eval/data/')) {
            const get = self.data.get(decodeURIComponent(p.slice('/eval/data/'.length)));
            if (!get) return { status: 404, body: 'no such frame' };
            return { status: 200, body: get(), headers: { 'Content-Type': 'application/octet-stream' } };
          }
          return undefined;
        },
      });
      self.chromium = await launchChromium({ executablePath: opts.chromiumPath, dumpio: opts.dumpio, protocolTimeout: 900_000 });
      const n = Math.max(1, opts.pages ?? 2);
      const pages = await Promise.all(Array.from({ length: n }, (_, i) => self.openPage(i)));
      self.free.push(...pages);
    } catch (e) {
      const tail = self.logs.slice(-20).join('\n');
      await self.close();
      throw new Error(`eval browser failed to start: ${(e as Error).message}${tail ? `\n${tail}` : ''}`);
    }
    return self;
  }

  private async openPage(index: number): Promise<Page> {
    const page = await this.chromium.browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') this.logs.push(`[page ${index} ${m.type()}] ${m.text()}`);
    });
    page.on('pageerror', (e) => this.logs.push(`[page ${index} pageerror] ${(e as Error).message ?? e}`));
    await page.exposeFunction('evalSink', async (key: string, dataUrl: string) => {
      const b64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
      const buf = Buffer.from(b64, 'base64');
      const handler = this.keep.get(key.slice(0, key.indexOf('#')));
      await handler?.(key.slice(key.indexOf('#') + 1), new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
    });
    await page.exposeFunction('evalProgress', (seq: string, done: number) => {
      const prev = this.progressDone.get(seq) ?? 0;
      this.progressDone.set(seq, done);
      if (done > prev) this.opts.onProgress?.(done - prev);
    });
    await page.goto(`${this.server.url}/eval/index.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => 'telemaskEval' in window, { timeout: 60_000 });
    await page.evaluate((i) => window.telemaskEval.init(i), INIT);
    return page;
  }

  /** Registers pixels the page can fetch at /eval/data/<key>; returns the URL path. */
  serve(key: string, get: () => Buffer): string {
    this.data.set(key, get);
    return `/eval/data/${encodeURIComponent(key)}`;
  }

  unserve(prefix: string): void {
    for (const k of [...this.data.keys()]) if (k.startsWith(prefix)) this.data.delete(k);
  }

  private acquire(): Promise<Page> {
    const p = this.free.shift();
    if (p) return Promise.resolve(p);
    return new Promise((resolve) => this.freeWaiters.push(resolve));
  }

  private release(p: Page): void {
    const w = this.freeWaiters.shift();
    if (w) w(p);
    else this.free.push(p);
  }

  /**
   * Runs a sequence on the next free page. Frames with `keep` set come back through `onKeep`
   * (the key without the sequence prefix) before the page moves on too far (it waits for the
   * handler's promise, a few frames behind).
   */
  async run(seq: SequenceSpec, onKeep?: KeepHandler, hooks: { onStart?: () => void; onEnd?: () => void } = {}): Promise<SequenceResult> {
    if (seq.id.includes('#')) throw new Error(`sequence id must not contain '#': ${seq.id}`);
    const frames = seq.frames.map((f) => (f.keep ? { ...f, keep: `${seq.id}#${f.keep}` } : f));
    if (onKeep) this.keep.set(seq.id, onKeep);
    const page = await this.acquire();
    hooks.onStart?.();
    try {
      return await page.evaluate((s) => window.telemaskEval.run(s), { ...seq, frames });
    } catch (e) {
      throw new Error(`sequence ${seq.id} failed: ${(e as Error).message}\n${this.logs.slice(-20).join('\n')}`);
    } finally {
      this.keep.delete(seq.id);
      hooks.onEnd?.();
      this.release(page);
    }
  }

  async close(): Promise<void> {
    await this.chromium?.close().catch(() => undefined);
    await this.server?.close().catch(() => undefined);
    if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
  }
}
