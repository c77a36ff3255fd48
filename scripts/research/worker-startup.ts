/**
 * Where the mask worker's start-up goes: the steps of MaskPipeline.init timed in a classic worker
 * in headless Chromium, on the production build's files (`npx wxt build` first). Each run is a
 * fresh worker in one browser; the first run also pays the browser's cold caches.
 * npx tsx scripts/research/worker-startup.ts [--runs N] [--extension DIR] [--clip FILE]
 *
 * Then the same start-up in a call, with the extension: the test call page on the telehealth
 * origin asks for the camera as soon as it loads (as the eval's live page does), and the times
 * (ms after the page's navigation began) at which the mask frame's document and the mask worker
 * were created, the page's script asked for the camera, and the first masked (not uniform) frame
 * was presented. One fresh browser per call.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median } from '../../eval/metrics/stats';
import { launchChromium, waitForWorker } from '../../tools/chromium';
import { toFakeCamera } from '../../tools/fake-camera';
import { hostResolverRules, startHttpsServer } from '../../tools/https-server';
import { startPagesServer, TELEHEALTH_URL } from '../../tests/support/e2e';

const arg = (name: string, d: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1]! : d; };
const runs = Number(arg('--runs', '5'));
const build = path.resolve(arg('--extension', '.output/chrome-mv3'));
const clip = path.resolve(arg('--clip', '../shared/testdata/videos/portrait-d0.mp4'));

const root = mkdtempSync(path.join(tmpdir(), 'worker-startup-'));
cpSync(build, root, { recursive: true });
const esbuild = await import('esbuild');
await esbuild.build({ entryPoints: [path.join(import.meta.dirname, 'worker-startup', 'worker.ts')], bundle: true, format: 'iife', outfile: path.join(root, 'startup-worker.js'), logLevel: 'error' });
writeFileSync(path.join(root, 'index.html'), '<script>window.run = () => new Promise((done) => { const t0 = performance.now(); const w = new Worker("startup-worker.js"); w.onmessage = (e) => { done({ total: performance.now() - t0, steps: e.data }); w.terminate(); }; });</script>');
const server = await startHttpsServer({ root });
const chrome = await launchChromium({});
try {
  const page = await chrome.browser.newPage();
  await page.goto(`${server.url}/index.html`);
  const all: { total: number; steps: [string, number][] }[] = [];
  for (let i = 0; i < runs; i++) all.push((await page.evaluate('window.run()')) as { total: number; steps: [string, number][] });
  console.log(`| step | ${all.map((_, i) => `run ${i + 1}`).join(' | ')} | median |`);
  console.log(`|---|${all.map(() => '---').join('|')}|---|`);
  all[0]!.steps.forEach(([name], s) => {
    const v = all.map((r) => r.steps[s]![1]);
    console.log(`| ${name} | ${v.map((x) => x.toFixed(0)).join(' | ')} | ${median(v).toFixed(0)} |`);
  });
  const totals = all.map((r) => r.total);
  console.log(`| worker created → first 640x480 frame done (ms) | ${totals.map((x) => x.toFixed(0)).join(' | ')} | ${median(totals).toFixed(0)} |`);
} finally {
  await chrome.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
}

const camera = await toFakeCamera(clip, { seconds: 6 });
const pages = await startPagesServer();
const rows: number[][] = [];
try {
  for (let i = 0; i < runs; i++) {
    const browser = await launchChromium({ fakeCamera: camera, extensionDir: build, hostResolverRules: hostResolverRules(pages.port) });
    try {
      const page = await browser.browser.newPage();
      await page.goto(TELEHEALTH_URL, { waitUntil: 'load' });
      const start = (await page.evaluate('performance.timeOrigin')) as number;
      const gum = (await page.evaluate(`(() => { const e = performance.getEntriesByName('${TELEHEALTH_URL}call.js')[0]; return e ? e.responseEnd : NaN; })()`)) as number;
      // The first frame that is not one uniform colour (the obscured placeholder is), polled.
      let masked = NaN;
      for (const end = Date.now() + 20_000; Date.now() < end; ) {
        const { std } = (await page.evaluate('window.testCall.frameStats()')) as { std: number[] };
        if (Math.max(...std) > 4) {
          masked = Date.now() - start;
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      const worker = await waitForWorker(browser.browser, 'mask-worker', 10_000, page);
      const workerAt = ((await worker.evaluate('performance.timeOrigin')) as number) - start;
      const frame = page.frames().find((f) => f.url().includes('mask-frame'));
      const frameAt = frame ? ((await frame.evaluate('performance.timeOrigin')) as number) - start : NaN;
      rows.push([frameAt, workerAt, gum, masked]);
    } finally {
      await browser.close();
    }
  }
} finally {
  await pages.close();
}
console.log(`\nIn a call (${path.basename(clip)}), ms after the page's navigation began:`);
console.log(`| event | ${rows.map((_, i) => `call ${i + 1}`).join(' | ')} | median |`);
console.log(`|---|${rows.map(() => '---').join('|')}|---|`);
['mask frame document created', 'mask worker created', "the page's call script loaded (it asks for the camera at once)", 'first masked frame presented'].forEach((name, k) => {
  const v = rows.map((r) => r[k]!);
  console.log(`| ${name} | ${v.map((x) => x.toFixed(0)).join(' | ')} | ${median(v).toFixed(0)} |`);
});
