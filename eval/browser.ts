/**
 * Runs the extension's shipped mask worker in headless Chromium.
 *
 * The production build (.output/chrome-mv3) is the web root of a local HTTPS server
 * (tools/https-server.ts) on 127.0.0.1, so the worker finds /mediapipe/* and /models/* at its
 * origin root as it does in the extension. The eval page (eval/page/, bundled with esbuild) is
 * served under /eval/, the measuring landmarker's WASM under /eval/tv-wasm/, frame pixels under
 * /eval/data/<key> from what Node registered (see `serve`), and the frames the page hands back are
 * POSTed, as raw bytes, to /eval/sink/<sequence>/<key>.
 *
 * Several pages (each with its own worker and measuring landmarker) run sequences side by side,
 * so one page's waits (frame transfers, face-api slots) do not idle the CPU.
 *
 * Nothing waits for a page without a deadline (docs/eval.md §"No silent hang"): a page that
 * crashes fails its sequence at once, naming the frame it was on; a page that reports no progress
 * for SEQUENCE_STALL_MS fails it with the step it last reported.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { launchChromium, type LaunchedChromium } from '../tools/chromium';
import { startHttpsServer, type StaticHttpsServer } from '../tools/https-server';
import type { PageInit, PageStatus, SequenceResult, SequenceSpec } from './browser-protocol';
import { deadline } from './waits';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** A sequence whose page reports nothing for this long has stalled. */
export const SEQUENCE_STALL_MS = 240_000;

/**
 * Bundles a browser page script (default eval/page/main.ts, with tasks-vision and the signal code)
 * into `outDir`/page.js.
 */
export async function bundlePage(outDir: string, entry = path.join(HERE, 'page', 'main.ts'), outName = 'page.js'): Promise<void> {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    target: 'chrome120',
    outfile: path.join(outDir, outName),
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

/** Reads a request body, at most `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error(`request body over ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The largest frame that crosses: 1920x1080 RGBA (media.ts caps every frame below it). */
const MAX_SINK_BYTES = 1920 * 1080 * 4;

interface PageSlot {
  index: number;
  page: Page;
  /** rejects when the page's renderer crashes or the page closes */
  lost: Promise<never>;
  status: PageStatus | null;
  lastReport: number;
}

export class EvalBrowser {
  private readonly data = new Map<string, () => Buffer>();
  private readonly keep = new Map<string, KeepHandler>();
  private readonly progressDone = new Map<string, number>();
  private readonly slots: PageSlot[] = [];
  private readonly free: PageSlot[] = [];
  private readonly freeWaiters: ((p: PageSlot) => void)[] = [];
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
          if (p.startsWith('/eval/sink/')) return { respond: (req, res) => self.onSink(decodeURIComponent(p.slice('/eval/sink/'.length)), req, res) };
          return undefined;
        },
      });
      self.chromium = await launchChromium({ executablePath: opts.chromiumPath, dumpio: opts.dumpio, protocolTimeout: 900_000 });
      const n = Math.max(1, opts.pages ?? 2);
      const slots = await Promise.all(Array.from({ length: n }, (_, i) => self.openPage(i)));
      self.slots.push(...slots);
      self.free.push(...slots);
    } catch (e) {
      const tail = self.logs.slice(-20).join('\n');
      await self.close();
      throw new Error(`eval browser failed to start: ${(e as Error).message}${tail ? `\n${tail}` : ''}`, { cause: e });
    }
    return self;
  }

  /** Chromium's browser process id (for the memory figures). */
  get pid(): number | undefined {
    return this.chromium?.browser.process()?.pid;
  }

  /** What each page is doing now ("page 0: photos digital frame 12/248, waiting for the mask worker"). */
  describe(): string {
    return this.slots
      .map((s) => `page ${s.index}: ${s.status ? `${s.status.seq} frame ${s.status.done}/${s.status.total}, ${s.status.step}` : 'idle'}`)
      .join('; ');
  }

  private onSink(rest: string, req: IncomingMessage, res: ServerResponse): void {
    const cut = rest.indexOf('/');
    const seq = rest.slice(0, cut);
    const key = rest.slice(cut + 1);
    const answer = (status: number, body = '') => {
      if (!res.headersSent) res.writeHead(status, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
      res.end(body);
    };
    void (async () => {
      try {
        const body = await readBody(req, MAX_SINK_BYTES);
        const handler = this.keep.get(seq);
        await handler?.(key, new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
        answer(204);
      } catch (e) {
        answer(500, (e as Error).message);
      }
    })();
  }

  private async openPage(index: number): Promise<PageSlot> {
    const page = await this.chromium.browser.newPage();
    let lose!: (e: Error) => void;
    const lost = new Promise<never>((_, reject) => (lose = reject));
    lost.catch(() => undefined);
    const slot: PageSlot = { index, page, lost, status: null, lastReport: Date.now() };
    const where = () => (slot.status ? ` while running ${slot.status.seq} at frame ${slot.status.done}/${slot.status.total} (${slot.status.step})` : '');
    // puppeteer leaves a pending evaluate pending when the renderer dies: without this the eval
    // would wait for it until the protocol timeout (docs/eval.md §"No silent hang")
    page.on('error', (e) => lose(new Error(`eval page ${index} crashed${where()}: ${(e as Error).message ?? e}`)));
    page.on('close', () => lose(new Error(`eval page ${index} closed${where()}`)));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') this.logs.push(`[page ${index} ${m.type()}] ${m.text()}`);
    });
    page.on('pageerror', (e) => this.logs.push(`[page ${index} pageerror] ${(e as Error).message ?? e}`));
    await page.exposeFunction('evalProgress', (status: PageStatus) => {
      slot.status = status;
      slot.lastReport = Date.now();
      const prev = this.progressDone.get(status.seq) ?? 0;
      this.progressDone.set(status.seq, status.done);
      if (status.done > prev) this.opts.onProgress?.(status.done - prev);
    });
    await page.goto(`${this.server.url}/eval/index.html`, { waitUntil: 'load', timeout: 60_000 });
    await page.waitForFunction(() => 'telemaskEval' in window, { timeout: 60_000 });
    await deadline(page.evaluate((i) => window.telemaskEval.init(i), INIT), 180_000, `eval page ${index} to start the shipped mask worker and its landmarker`);
    return slot;
  }

  /** Registers pixels the page can fetch at /eval/data/<key>; returns the URL path. */
  serve(key: string, get: () => Buffer): string {
    this.data.set(key, get);
    return `/eval/data/${encodeURIComponent(key)}`;
  }

  unserve(prefix: string): void {
    for (const k of [...this.data.keys()]) if (k.startsWith(prefix)) this.data.delete(k);
  }

  private acquire(): Promise<PageSlot> {
    const p = this.free.shift();
    if (p) return Promise.resolve(p);
    return new Promise((resolve) => this.freeWaiters.push(resolve));
  }

  private release(p: PageSlot): void {
    const w = this.freeWaiters.shift();
    if (w) w(p);
    else this.free.push(p);
  }

  /**
   * Runs a sequence on the next free page. Frames with `keep` set come back through `onKeep`
   * (the key without the sequence prefix); the page waits for the handler (at most two frames in
   * flight per page), so a slow consumer slows the page instead of piling frames up.
   */
  async run(seq: SequenceSpec, onKeep?: KeepHandler, hooks: { onStart?: () => void; onEnd?: () => void } = {}): Promise<SequenceResult> {
    if (seq.id.includes('/')) throw new Error(`sequence id must not contain '/': ${seq.id}`);
    if (onKeep) this.keep.set(seq.id, onKeep);
    const slot = await this.acquire();
    hooks.onStart?.();
    slot.status = { seq: seq.id, done: 0, total: seq.frames.filter((f) => !f.blank).length, step: 'starting' };
    slot.lastReport = Date.now();
    let timer: ReturnType<typeof setInterval> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setInterval(() => {
        if (Date.now() - slot.lastReport > SEQUENCE_STALL_MS) {
          reject(new Error(`eval page ${slot.index} reported nothing for ${SEQUENCE_STALL_MS / 1000} s while running ${seq.id}; last: frame ${slot.status?.done}/${slot.status?.total}, ${slot.status?.step}`));
        }
      }, 5_000);
      timer.unref?.();
    });
    const work = slot.page.evaluate((s) => window.telemaskEval.run(s), seq);
    work.catch(() => undefined);
    try {
      return await Promise.race([work, slot.lost, stalled]);
    } catch (e) {
      throw new Error(`sequence ${seq.id} failed: ${(e as Error).message}\n${this.logs.slice(-20).join('\n')}`, { cause: e });
    } finally {
      clearInterval(timer);
      this.keep.delete(seq.id);
      slot.status = null;
      hooks.onEnd?.();
      this.release(slot);
    }
  }

  async close(): Promise<void> {
    await this.chromium?.close().catch(() => undefined);
    await this.server?.close().catch(() => undefined);
    if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
  }
}
