/**
 * How the digital mask's render reads back: what MediaPipe FaceLandmarker sees in the mask
 * compared with what the mask was asked to show, for each look the mask could have.
 *
 *   npx tsx scripts/measure-mask-render.ts [--variants a,b] [--curves] [--offsets] [--png DIR] [--json FILE]
 *   npx tsx scripts/measure-mask-render.ts --clips [--seconds S] [--variants a,b]
 *
 * Runs the mask's own code (src/mask/, bundled with esbuild) and the shipped model and skin texture
 * (.output/chrome-mv3, `npx wxt build`) in headless Chromium. Inputs are the canonical face, posed
 * and deformed by known amounts (no test data needed): one eye closing, one iris moving along and
 * across its corner line (with the lids still, and with the lids following the gaze as real lids
 * do), the mouth opening, one mouth corner and one brow rising. Prints per look (variant): the
 * head-pose bias of the render itself, Pearson r and slope of read against asked per signal and
 * eye, the crosstalk into the other eye, the share of a horizontal iris move read as vertical,
 * faces found and render time; `--curves` prints every transfer curve.
 *
 * --clips: the portrait clips of ../shared/testdata (or --data DIR) stage by stage — MediaPipe on
 * the camera frame (orig), the mask's own geometry from those landmarks (asked: what the mask was
 * told to draw), MediaPipe on the render (read) — and Pearson r per signal between the stages,
 * mean over clips: where a clinical signal is lost, in the geometry or in the render's read-back;
 * two retests (the camera frame and the render each moved ½ px and scaled 98 %, read by their own
 * landmarker) give the reader's agreement with itself on each; and a within-clip least-squares fit
 * of each read signal on every asked signal and the head pose says what else the read follows.
 * Eye signals are also given from MediaPipe's landmarks with its eye corners put back where the
 * mask drew them (how much of a loss is MediaPipe's corners moving), and on clips over the frames
 * with both eyes open.
 * docs/mask.md records what these numbers decided.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pearson } from '../eval/metrics/stats';
import { launchChromium } from '../tools/chromium';
import { startHttpsServer } from '../tools/https-server';
import { readdirSync } from 'node:fs';
import { toFakeCamera } from '../tools/fake-camera';
import { openY4m } from '../tools/y4m';
import { testdataDir } from '../tests/support/testdata';
import type { ClipFrame, CurveName, CurveRow, VariantReport } from './mask-render/page';
import type { FrameSignal } from '../eval/measure/signals';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = path.join(ROOT, '.output', 'chrome-mv3');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const PNG_DIR = option('--png');
const JSON_FILE = option('--json');
const ONLY = option('--variants')?.split(',');
const CURVES = process.argv.includes('--curves');
const CLIPS = process.argv.includes('--clips');
const SECONDS = Number(option('--seconds') ?? 5);
const DATA = path.resolve(option('--data') ?? testdataDir());
const CLIP_SIGNALS = ['eye_aperture_left', 'eye_aperture_right', 'iris_x_left', 'iris_x_right', 'iris_y_left', 'iris_y_right', 'mouth_open', 'mouth_asymmetry', 'brow_asymmetry'] as const;

const f = (v: number | null | undefined, d = 2) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '—');

/** Pearson r, least-squares slope of read on asked, and the spread of the other eye's read. */
export function transfer(rows: readonly CurveRow[]): { r: number; slope: number; n: number; crosstalk: number } {
  const xs: number[] = [], ys: number[] = [], others: number[] = [];
  for (const row of rows) {
    if (typeof row.read === 'number') {
      xs.push(row.input);
      ys.push(row.read);
    }
    if (typeof row.other === 'number') others.push(row.other);
  }
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length, my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0, sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
  });
  // Crosstalk: how far the other eye's read moves over how far this eye's read moves, per pose
  // (ranges), the median over poses.
  const range = (v: number[]) => (v.length ? Math.max(...v) - Math.min(...v) : NaN);
  const ratios: number[] = [];
  for (const pose of new Set(rows.map((r) => `${r.yaw},${r.pitch}`))) {
    const at = rows.filter((r) => `${r.yaw},${r.pitch}` === pose);
    const o = at.map((r) => r.other).filter((v): v is number => typeof v === 'number');
    const m = at.map((r) => r.read).filter((v): v is number => typeof v === 'number');
    if (o.length > 1 && m.length > 1) ratios.push(range(o) / range(m));
  }
  ratios.sort((a, b) => a - b);
  return { r: pearson(xs, ys), slope: sxy / sxx, n: xs.length, crosstalk: others.length && ratios.length ? ratios[ratios.length >> 1]! : NaN };
}

const COLUMNS: [string, CurveName[]][] = [
  ['aperture L/R', ['aperture_left', 'aperture_right']],
  ['iris x L/R', ['iris_x_left', 'iris_x_right']],
  ['iris y L/R, lids still', ['iris_y_left_lids_still', 'iris_y_right_lids_still']],
  ['iris y L/R, lids follow', ['iris_y_left_lids_follow', 'iris_y_right_lids_follow']],
  ['mouth open', ['mouth_open']],
  ['mouth asym', ['mouth_asymmetry']],
  ['brow asym', ['brow_asymmetry']],
];

/** Slope of (read − asked) iris y on asked iris x over an iris x sweep: 0 when a horizontal move reads as horizontal only. */
export function crossAxis(rows: readonly CurveRow[]): number {
  const xs: number[] = [], ys: number[] = [];
  for (const row of rows) {
    if (!row.across || typeof row.across.read !== 'number' || typeof row.read !== 'number') continue;
    xs.push(row.input);
    ys.push(row.across.read - row.across.asked);
  }
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length, my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0, sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
  });
  return sxy / sxx;
}

function summary(reports: VariantReport[]): string {
  const out: string[] = [];
  const head = ['variant', 'pitch bias', 'yaw 15→', ...COLUMNS.map(([n]) => n), 'found', 'render ms'];
  out.push(`| ${head.join(' | ')} |`);
  out.push(`|${head.map(() => '---').join('|')}|`);
  for (const rep of reports) {
    const errs = rep.pose.filter((p) => p.read).map((p) => p.read!.pitch - p.pitch);
    const yaw15 = rep.pose.find((p) => p.yaw === 15 && p.pitch === 0)?.read?.yaw;
    const cells = COLUMNS.map(([, names]) => names.map((n) => f(transfer(rep.curves[n]).r, 3)).join(' / '));
    const ms = [...rep.renderMs].sort((a, b) => a - b);
    out.push(`| ${[rep.name, `${f(errs.reduce((a, b) => a + b, 0) / errs.length, 1)}°`, f(yaw15, 1), ...cells, `${rep.found}/${rep.renders}`, f(ms[ms.length >> 1], 2)].join(' | ')} |`);
  }
  out.push('');
  out.push('Iris read with MediaPipe\'s eye corners moved to where the mask drew them (r; the gap to the figures above is the share lost to MediaPipe\'s corners moving):');
  const drawnNames: [string, CurveName[]][] = COLUMNS.filter(([n]) => n.startsWith('iris') || n.startsWith('aperture'));
  out.push(`| variant | ${drawnNames.map(([n]) => n).join(' | ')} |`);
  out.push(`|---|${drawnNames.map(() => '---').join('|')}|`);
  for (const rep of reports) {
    if (!rep.curves.iris_x_left.some((row) => typeof row.atDrawnCorners === 'number')) continue;
    const cells = drawnNames.map(([, names]) => names.map((n) => f(transfer(rep.curves[n].map((row) => ({ ...row, read: row.atDrawnCorners ?? null }))).r, 3)).join(' / '));
    out.push(`| ${rep.name} | ${cells.join(' | ')} |`);
  }
  out.push('');
  out.push('Slope of read on asked (1 = read as drawn), and crosstalk (the other eye\'s read range / this eye\'s; 0 = independent):');
  out.push(`| variant | ${COLUMNS.map(([n]) => n).join(' | ')} | crosstalk aperture / iris x / iris y | iris x read as iris y L/R |`);
  out.push(`|---|${COLUMNS.map(() => '---').join('|')}|---|---|`);
  for (const rep of reports) {
    const cells = COLUMNS.map(([, names]) => names.map((n) => f(transfer(rep.curves[n]).slope, 2)).join(' / '));
    const ct = (names: CurveName[]) => f(Math.max(...names.map((n) => transfer(rep.curves[n]).crosstalk)), 2);
    out.push(`| ${rep.name} | ${cells.join(' | ')} | ${ct(['aperture_left', 'aperture_right'])} / ${ct(['iris_x_left', 'iris_x_right'])} / ${ct(['iris_y_left_lids_still', 'iris_y_right_lids_still'])} | ${f(crossAxis(rep.curves.iris_x_left), 2)} / ${f(crossAxis(rep.curves.iris_x_right), 2)} |`);
  }
  return out.join('\n');
}

function curves(rep: VariantReport): string {
  const out = [`\n## ${rep.name}`, 'Head pose read from the posed canonical face (degrees; asked → read)'];
  for (const r of rep.pose) out.push(`  yaw ${f(r.yaw, 0).padStart(3)} pitch ${f(r.pitch, 0).padStart(3)} → yaw ${f(r.read?.yaw, 1).padStart(5)} pitch ${f(r.read?.pitch, 1).padStart(5)} roll ${f(r.read?.roll, 1).padStart(5)}`);
  for (const [name, rows] of Object.entries(rep.curves)) {
    const t = transfer(rows);
    out.push(`${name}: r ${f(t.r, 3)}, slope ${f(t.slope, 2)} (asked → read [other eye])`);
    out.push(`  ${rows.map((r) => `${f(r.input, 3)}→${f(r.read, 3)}${r.other !== undefined ? `[${f(r.other, 3)}]` : ''}`).join('  ')}`);
  }
  return out.join('\n');
}

/** r between two stages of the clip frames for one signal (frames where both have it). */
function stageR(frames: ClipFrame[], a: 'orig' | 'asked' | 'read', b: 'asked' | 'read' | 'retest' | 'readRetest' | 'readAtDrawnCorners', signal: (typeof CLIP_SIGNALS)[number], keep: (f: ClipFrame) => boolean = () => true): number {
  const xs: number[] = [], ys: number[] = [];
  for (const f of frames) {
    if (!keep(f)) continue;
    const x = f[a]?.[signal], y = f[b]?.[signal];
    if (typeof x === 'number' && typeof y === 'number') {
      xs.push(x);
      ys.push(y);
    }
  }
  return pearson(xs, ys);
}

/**
 * Frames where both of the person's eyes are open: each eye's aperture on the camera at least
 * 0.75 of its median over the clip (the eval's blink detector's re-opening threshold,
 * eval/metrics/blink.ts). A closed eye has no iris to read.
 */
function eyesOpen(frames: ClipFrame[]): (f: ClipFrame) => boolean {
  const med = (sig: FrameSignal) => {
    const v = frames.map((fr) => fr.orig?.[sig]).filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
    return v[v.length >> 1] ?? NaN;
  };
  const [l, r] = [med('eye_aperture_left'), med('eye_aperture_right')];
  return (fr) => (fr.orig?.eye_aperture_left ?? 0) >= 0.75 * l && (fr.orig?.eye_aperture_right ?? 0) >= 0.75 * r;
}

async function measureClips(page: import('puppeteer-core').Page, names: string[], data: Map<string, () => Buffer>): Promise<void> {
  const dir = path.join(DATA, 'videos');
  const clips = existsSync(dir) ? readdirSync(dir).filter((f) => /^portrait-.*\.mp4$/.test(f)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })) : [];
  if (!clips.length) throw new Error(`no portrait clips in ${dir}`);
  for (const name of names) {
    const perClip: { clip: string; r: Record<string, [number, number, number, number, number, number, number, number]>; found: number; frames: number; settled: number }[] = [];
    const allFrames: ClipFrame[][] = [];
    for (const clip of clips) {
      const y4m = openY4m(await toFakeCamera(path.join(dir, clip), { width: 640, height: 480, fps: 30, seconds: SECONDS }));
      const urls: string[] = [];
      for (let i = 0; i < y4m.frameCount; i++) {
        data.set(`${clip}/${i}`, () => {
          const fr = y4m.frame(i);
          return Buffer.from(fr.y.buffer, fr.y.byteOffset, (fr.width * fr.height * 3) / 2);
        });
        urls.push(`/data/${clip}/${i}`);
      }
      const frames = (await page.evaluate((n, u) => (window as unknown as { maskRender: { clip(n: string, u: string[]): Promise<ClipFrame[]> } }).maskRender.clip(n, u), name, urls)) as ClipFrame[];
      y4m.close();
      data.clear();
      allFrames.push(frames);
      const r: Record<string, [number, number, number, number, number, number, number, number]> = {};
      const open = eyesOpen(frames);
      const settled = (fr: ClipFrame) => (fr.gain ?? 0) >= 0.99;
      for (const sig of CLIP_SIGNALS) r[sig] = [stageR(frames, 'orig', 'asked', sig), stageR(frames, 'asked', 'read', sig), stageR(frames, 'orig', 'read', sig), stageR(frames, 'orig', 'asked', sig, settled), stageR(frames, 'orig', 'retest', sig), stageR(frames, 'read', 'readRetest', sig), stageR(frames, 'asked', 'readAtDrawnCorners', sig), stageR(frames, 'asked', 'read', sig, open)];
      perClip.push({ clip, r, found: frames.filter((f) => f.read).length, frames: frames.filter((f) => f.orig).length, settled: frames.filter((f) => (f.gain ?? 0) >= 0.99).length });
      const gains = frames.map((f) => f.gain).filter((g): g is number => typeof g === 'number');
      const q = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.floor(p * (v.length - 1))]!;
      console.error(`[measure-mask-render] ${name}: ${clip} done; expression gain over the clip: 10 % ${f(q(gains, 0.1))}, median ${f(q(gains, 0.5))}, 90 % ${f(q(gains, 0.9))}; last second ${f(q(gains.slice(-30), 0.5))}; frames with no expression (a new face suspected) ${gains.filter((g) => g === 0).length}, restarts ${gains.filter((g, i) => i > 0 && g > 0 && g < gains[i - 1]! - 0.05).length}`);
    }
    console.log(`\n${name}: real clips (${SECONDS} s each), Pearson r between stages, mean over ${perClip.length} clips`);
    console.log('| signal | camera → mask geometry | mask geometry → read off the render | camera → read (what the eval sees) | camera → geometry, frames with the full expression gain | camera → the camera moved ½ px and scaled 98 % (the reader\'s own ceiling) | read → the render moved likewise (the read\'s stability) | geometry → read with the eye corners where the mask drew them | geometry → read, both eyes open (no blink frames) |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const sig of CLIP_SIGNALS) {
      const mean = (k: number) => {
        const v = perClip.map((c) => c.r[sig]![k]!).filter(Number.isFinite);
        return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
      };
      console.log(`| ${sig} | ${f(mean(0), 3)} | ${f(mean(1), 3)} | ${f(mean(2), 3)} | ${f(mean(3), 3)} | ${f(mean(4), 3)} | ${f(mean(5), 3)} | ${f(mean(6), 3)} | ${f(mean(7), 3)} |`);
    }
    console.log(`frames with the full expression gain: ${perClip.map((c) => `${c.settled}/${c.frames}`).join(', ')}`);
    console.log(`faces read off the render: ${perClip.map((c) => `${c.clip.replace('.mp4', '')} ${c.found}/${c.frames}`).join(', ')}`);
    if (CURVES) for (const c of perClip) console.log(`  ${c.clip}: ${CLIP_SIGNALS.map((sig) => `${sig} ${c.r[sig]!.map((v) => f(v, 2)).join('/')}`).join('  ')}`);
    confounders(allFrames);
  }
}

const POSE = ['yaw', 'pitch', 'roll'] as const;

/**
 * What else the read of each signal follows: within each clip (every variable less its clip mean),
 * one least-squares fit over all clips of the read signal on every signal the mask was asked to
 * show and the camera's head pose, regressors scaled to unit SD. Prints per signal r of the asked
 * signal alone and of the fit (mean over clips) and the fit's largest weights: a read that follows
 * another signal than its own is crosstalk in the reader; a fit no better than the signal alone
 * says the loss is not a mix of known signals.
 */
function confounders(clips: ClipFrame[][]): void {
  const regressors = [...CLIP_SIGNALS.map((s) => `asked ${s}`), ...POSE.map((p) => `pose ${p}`)];
  console.log('\nWhat each read follows (within-clip least squares on every asked signal and the head pose, weights in SD of the read per SD of the regressor):');
  console.log('| read signal | r, its own asked signal | r, the fit | largest weights |');
  console.log('|---|---|---|---|');
  for (const sig of CLIP_SIGNALS) {
    const rows: { clip: number; x: number[]; y: number }[] = [];
    clips.forEach((frames, ci) => {
      for (const fr of frames) {
        if (!fr.asked || !fr.read || !fr.orig) continue;
        const x = [...CLIP_SIGNALS.map((s) => fr.asked![s]), ...POSE.map((p) => fr.orig![p as keyof typeof fr.orig])];
        const y = fr.read[sig];
        if (typeof y !== 'number' || x.some((v) => typeof v !== 'number' || !Number.isFinite(v))) continue;
        rows.push({ clip: ci, x: x as number[], y });
      }
    });
    if (rows.length < 50) continue;
    // Within-clip: subtract each clip's means.
    const k = regressors.length;
    for (let ci = 0; ci < clips.length; ci++) {
      const mine = rows.filter((r) => r.clip === ci);
      if (!mine.length) continue;
      const mx = Array.from({ length: k }, (_, j) => mine.reduce((a, r) => a + r.x[j]!, 0) / mine.length);
      const my = mine.reduce((a, r) => a + r.y, 0) / mine.length;
      for (const r of mine) { r.x = r.x.map((v, j) => v - mx[j]!); r.y -= my; }
    }
    const sd = (v: number[]) => Math.sqrt(v.reduce((a, b) => a + b * b, 0) / v.length) || 1;
    const sx = Array.from({ length: k }, (_, j) => sd(rows.map((r) => r.x[j]!)));
    const sy = sd(rows.map((r) => r.y));
    const X = rows.map((r) => r.x.map((v, j) => v / sx[j]!));
    const Y = rows.map((r) => r.y / sy);
    const w = leastSquares(X, Y);
    const fitR: number[] = [], ownR: number[] = [];
    const own = CLIP_SIGNALS.indexOf(sig);
    for (let ci = 0; ci < clips.length; ci++) {
      const idx = rows.map((r, i) => (r.clip === ci ? i : -1)).filter((i) => i >= 0);
      if (idx.length < 10) continue;
      const ys = idx.map((i) => Y[i]!);
      fitR.push(pearson(idx.map((i) => X[i]!.reduce((a, v, j) => a + v * w[j]!, 0)), ys));
      ownR.push(pearson(idx.map((i) => X[i]![own]!), ys));
    }
    const mean = (v: number[]) => v.filter(Number.isFinite).reduce((a, b) => a + b, 0) / v.filter(Number.isFinite).length;
    const top = w.map((v, j) => [v, j] as const).sort((a, b) => Math.abs(b[0]) - Math.abs(a[0])).slice(0, 4);
    console.log(`| ${sig} | ${f(mean(ownR), 3)} | ${f(mean(fitR), 3)} | ${top.map(([v, j]) => `${regressors[j]} ${v >= 0 ? '+' : ''}${f(v, 2)}`).join(', ')} |`);
  }
}

/** Least squares X w ≈ y by the normal equations (k small), Gaussian elimination with pivoting. */
function leastSquares(X: number[][], y: number[]): number[] {
  const k = X[0]!.length;
  const A = Array.from({ length: k }, (_, i) => [...Array.from({ length: k }, (_, j) => X.reduce((a, r) => a + r[i]! * r[j]!, 0)), X.reduce((a, r, n) => a + r[i]! * y[n]!, 0)]);
  for (let i = 0; i < k; i++) A[i]![i]! += 1e-9 * X.length;
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[piv]![c]!)) piv = r;
    [A[c], A[piv]] = [A[piv]!, A[c]!];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const m = A[r]![c]! / A[c]![c]!;
      for (let j = c; j <= k; j++) A[r]![j]! -= m * A[c]![j]!;
    }
  }
  return A.map((row, i) => row[k]! / row[i]!);
}

async function main(): Promise<void> {
  for (const needed of ['models/face_landmarker.task', 'models/geometry_pipeline_metadata_landmarks.binarypb', 'mediapipe']) {
    if (!existsSync(path.join(BUILD, needed))) throw new Error(`${BUILD} has no ${needed}: run 'npx wxt build' first`);
  }
  const root = mkdtempSync(path.join(tmpdir(), 'telemask-render-'));
  for (const d of ['mediapipe', 'models']) symlinkSync(path.join(BUILD, d), path.join(root, d));
  const esbuild = await import('esbuild');
  await esbuild.build({ entryPoints: [path.join(ROOT, 'scripts', 'mask-render', 'page.ts')], bundle: true, format: 'esm', outfile: path.join(root, 'page.js'), logLevel: 'error' });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');
  const data = new Map<string, () => Buffer>();
  const server = await startHttpsServer({
    root,
    route: (_req, url) => {
      if (!url.pathname.startsWith('/data/')) return undefined;
      const get = data.get(decodeURIComponent(url.pathname.slice('/data/'.length)));
      return get ? { status: 200, body: get(), headers: { 'Content-Type': 'application/octet-stream' } } : { status: 404, body: 'no such frame' };
    },
  });
  const chrome = await launchChromium({ protocolTimeout: 900_000 });
  try {
    const page = await chrome.browser.newPage();
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction('window.maskRender', { timeout: 60_000 });
    await page.evaluate('window.maskRender.ready');
    const names = ((await page.evaluate('window.maskRender.variants')) as string[]).filter((n) => !ONLY || ONLY.some((o) => n.includes(o)));
    if (CLIPS) {
      await measureClips(page, ONLY ? names : names.filter((n) => n.includes('shipped')), data);
      return;
    }
    const reports: VariantReport[] = [];
    for (const name of names) {
      const t0 = Date.now();
      const rep = (await page.evaluate((n) => (window as unknown as { maskRender: { measure(n: string): Promise<VariantReport> } }).maskRender.measure(n), name)) as VariantReport;
      reports.push(rep);
      console.error(`[measure-mask-render] ${name}: ${rep.renders} renders in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      if (PNG_DIR) {
        mkdirSync(PNG_DIR, { recursive: true });
        writeFileSync(path.join(PNG_DIR, `${name.replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '')}.png`), Buffer.from(rep.png.split(',')[1]!, 'base64'));
      }
    }
    console.log(summary(reports));
    if (process.argv.includes('--offsets')) {
      console.log('\nWhere MediaPipe reads the frontal render\'s landmarks against where they were drawn (mean dx, dy px per region; y down):');
      for (const name of names) {
        const o = (await page.evaluate((n) => (window as unknown as { maskRender: { offsets(n: string): Record<string, [number, number]> } }).maskRender.offsets(n), name)) as Record<string, [number, number]>;
        console.log(`  ${name}: ${Object.entries(o).map(([k, [dx, dy]]) => `${k} ${f(dx, 1)},${f(dy, 1)}`).join('  ')}`);
      }
    }
    if (CURVES) for (const rep of reports) console.log(curves(rep));
    if (JSON_FILE) writeFileSync(JSON_FILE, JSON.stringify(reports.map((r) => ({ ...r, png: undefined })), null, 2));
  } finally {
    await chrome.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
