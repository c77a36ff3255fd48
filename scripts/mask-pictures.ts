/**
 * Side-by-side pictures of the digital mask for docs/mask.md: camera | an older build's mask | this
 * build's mask, the face enlarged, at chosen moments of the test clips.
 *
 *   npx tsx scripts/mask-pictures.ts --old BUILD_DIR [--build BUILD_DIR] [--out DIR] [--masks-only DIR] CLIP@SECONDS[:NAME] …
 *
 * --out (default test-artifacts/mask-pictures) gets camera | old | new; --masks-only DIR gets the
 * same picture without the camera panel (old | new), the one docs/mask.md commits: frames of the
 * test clips are never committed.
 *
 * Each build's own shipped worker (BUILD_DIR/mask-worker.js, `npx wxt build` output) masks the clip
 * from its first frame on (so the mask's neutral settles as in a call), in headless Chromium. The
 * camera panel is a smaller crop of the camera frame; the mask panels are the same box, enlarged.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePage } from '../eval/browser';
import { launchChromium } from '../tools/chromium';
import { toFakeCamera } from '../tools/fake-camera';
import { startHttpsServer } from '../tools/https-server';
import { openY4m } from '../tools/y4m';
import { testdataDir } from '../tests/support/testdata';
import type { Picture } from './mask-pictures/page';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const W = 640;
const H = 480;
const FPS = 30;
/** Panel size of a mask; the camera panel is this scaled by CAMERA_SHARE. */
const PANEL_W = 192;
const PANEL_H = 224;
const CAMERA_SHARE = 0.6;
const BACKGROUND = [0x4a, 0x52, 0x60];

interface Shot {
  clip: string;
  seconds: number;
  name: string;
}

function parse(argv: string[]): { old: string; build: string; out: string; masksOnly: string | null; shots: Shot[] } {
  let old = '', build = path.join(ROOT, '.output', 'chrome-mv3'), out = path.join(ROOT, 'test-artifacts', 'mask-pictures');
  let masksOnly: string | null = null;
  const shots: Shot[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--old') old = path.resolve(argv[++i]!);
    else if (a === '--build') build = path.resolve(argv[++i]!);
    else if (a === '--out') out = path.resolve(argv[++i]!);
    else if (a === '--masks-only') masksOnly = path.resolve(argv[++i]!);
    else {
      const m = /^([^@]+)@([\d.]+)(?::(.+))?$/.exec(a);
      if (!m) throw new Error(`expected CLIP@SECONDS[:NAME], got ${a}`);
      shots.push({ clip: m[1]!, seconds: Number(m[2]), name: m[3] ?? `${m[1]!.replace(/\.\w+$/, '')}-${m[2]}s` });
    }
  }
  if (!old || !shots.length) throw new Error('usage: npx tsx scripts/mask-pictures.ts --old BUILD_DIR [--build DIR] [--out DIR] [--masks-only DIR] CLIP@SECONDS[:NAME] …');
  for (const dir of [old, build]) if (!existsSync(path.join(dir, 'mask-worker.js'))) throw new Error(`${dir} has no mask-worker.js (a production build: npx wxt build)`);
  return { old, build, out, masksOnly, shots };
}

/** Bilinear resize of the box (x, y, w, h) of an RGBA frame to out.w × out.h. */
function resize(src: Uint8Array, sw: number, box: [number, number, number, number], ow: number, oh: number): Uint8Array {
  const out = new Uint8Array(ow * oh * 4);
  const [bx, by, bw, bh] = box;
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      const fx = bx + ((x + 0.5) * bw) / ow - 0.5, fy = by + ((y + 0.5) * bh) / oh - 0.5;
      const x0 = Math.max(0, Math.floor(fx)), y0 = Math.max(0, Math.floor(fy));
      const x1 = Math.min(sw - 1, x0 + 1), y1 = Math.min(H - 1, y0 + 1);
      const tx = fx - x0, ty = fy - y0;
      for (let c = 0; c < 4; c++) {
        const v =
          src[(y0 * sw + x0) * 4 + c]! * (1 - tx) * (1 - ty) +
          src[(y0 * sw + x1) * 4 + c]! * tx * (1 - ty) +
          src[(y1 * sw + x0) * 4 + c]! * (1 - tx) * ty +
          src[(y1 * sw + x1) * 4 + c]! * tx * ty;
        out[(y * ow + x) * 4 + c] = Math.round(v);
      }
    }
  }
  return out;
}

/** Bounding box of the pixels that are not the mask's background, in some frames. */
function maskBox(frames: Uint8Array[]): [number, number, number, number] {
  let x0 = W, y0 = H, x1 = 0, y1 = 0;
  for (const f of frames) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = (y * W + x) * 4;
        if (Math.abs(f[i]! - BACKGROUND[0]!) + Math.abs(f[i + 1]! - BACKGROUND[1]!) + Math.abs(f[i + 2]! - BACKGROUND[2]!) > 12) {
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
        }
      }
    }
  }
  // The panel's aspect, a margin around the face.
  let w = (x1 - x0) * 1.12, h = (y1 - y0) * 1.08;
  if (w / h < PANEL_W / PANEL_H) w = (h * PANEL_W) / PANEL_H;
  else h = (w * PANEL_H) / PANEL_W;
  return [(x0 + x1) / 2 - w / 2, (y0 + y1) / 2 - h / 2, w, h];
}

function writePng(rgba: Uint8Array, w: number, h: number, file: string): void {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${w}x${h}`, '-i', '-', '-frames:v', '1', '-pix_fmt', 'rgb24', file], { input: Buffer.from(rgba) });
  if (r.status !== 0) throw new Error(`ffmpeg: ${r.stderr}`);
}

async function main(): Promise<void> {
  const { old, build, out, masksOnly, shots } = parse(process.argv.slice(2));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'telemask-pictures-'));
  const chromium = await launchChromium({ protocolTimeout: 900_000 });
  try {
    await bundlePage(tmp, path.join(HERE, 'mask-pictures', 'page.ts'));
    writeFileSync(path.join(tmp, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="/pictures/page.js"></script>');
    mkdirSync(out, { recursive: true });
    if (masksOnly) mkdirSync(masksOnly, { recursive: true });
    const byClip = new Map<string, Shot[]>();
    for (const s of shots) byClip.set(s.clip, [...(byClip.get(s.clip) ?? []), s]);
    for (const [clip, list] of byClip) {
      const y4m = openY4m(await toFakeCamera(path.join(testdataDir(), 'videos', clip), { width: W, height: H, fps: FPS }));
      const frames = list.map((s) => Math.min(y4m.frameCount - 1, Math.round(s.seconds * FPS)));
      const masked: Uint8Array[][] = [];
      for (const dir of [old, build]) {
        const server = await startHttpsServer({
          root: dir,
          route: (_req, url) => {
            const p = url.pathname;
            if (p === '/pictures/index.html') return { root: tmp, path: '/index.html' };
            if (p === '/pictures/page.js') return { root: tmp, path: '/page.js' };
            if (p.startsWith('/pictures/data/')) {
              const f = y4m.frame(Number(p.slice('/pictures/data/'.length)));
              return { status: 200, body: Buffer.from(f.y.buffer, f.y.byteOffset, (f.width * f.height * 3) / 2), headers: { 'Content-Type': 'application/octet-stream' } };
            }
            return undefined;
          },
        });
        try {
          const page = await chromium.browser.newPage();
          await page.goto(`${server.url}/pictures/index.html`, { waitUntil: 'load' });
          await page.waitForFunction(() => 'maskPictures' in window, { timeout: 60_000 });
          const urls = Array.from({ length: y4m.frameCount }, (_, i) => `/pictures/data/${i}`);
          const pics = (await page.evaluate((u, w, h, want) => window.maskPictures.run(u, w, h, want), urls, W, H, frames)) as Picture[];
          masked.push(frames.map((i) => {
            const p = pics.find((q) => q.index === i);
            if (!p?.rgba) throw new Error(`${dir}: frame ${i} of ${clip} was not masked`);
            return new Uint8Array(Buffer.from(p.rgba, 'base64'));
          }));
          await page.close();
        } finally {
          await server.close();
        }
      }
      list.forEach((shot, k) => {
        const camera = y4m.rgba(frames[k]!);
        const box = maskBox([masked[0]![k]!, masked[1]![k]!]);
        const cw = Math.round(PANEL_W * CAMERA_SHARE), ch = Math.round(PANEL_H * CAMERA_SHARE);
        const panels = [resize(new Uint8Array(camera.buffer, camera.byteOffset, camera.byteLength), W, box, cw, ch), resize(masked[0]![k]!, W, box, PANEL_W, PANEL_H), resize(masked[1]![k]!, W, box, PANEL_W, PANEL_H)];
        const gap = 4;
        /** The panels side by side, `withCamera` or not. */
        const compose = (withCamera: boolean): { img: Uint8Array; ow: number } => {
          const left = withCamera ? cw + gap : 0, ow = left + 2 * PANEL_W + gap;
          const img = new Uint8Array(ow * PANEL_H * 4).fill(255);
          const put = (p: Uint8Array, pw: number, ph: number, x0: number, y0: number) => {
            for (let y = 0; y < ph; y++) img.set(p.subarray(y * pw * 4, (y + 1) * pw * 4), ((y0 + y) * ow + x0) * 4);
          };
          if (withCamera) put(panels[0]!, cw, ch, 0, Math.round((PANEL_H - ch) / 2));
          put(panels[1]!, PANEL_W, PANEL_H, left, 0);
          put(panels[2]!, PANEL_W, PANEL_H, left + PANEL_W + gap, 0);
          return { img, ow };
        };
        const files: [string, boolean][] = [[path.join(out, `${shot.name}.png`), true]];
        if (masksOnly) files.push([path.join(masksOnly, `${shot.name}.png`), false]);
        for (const [file, withCamera] of files) {
          const { img, ow } = compose(withCamera);
          writePng(img, ow, PANEL_H, file);
          console.log(`[mask-pictures] ${path.relative(process.cwd(), file)} (${clip} at ${shot.seconds} s, frame ${frames[k]})`);
        }
      });
      y4m.close();
    }
  } finally {
    await chromium.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
