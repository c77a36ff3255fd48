/**
 * npm run bench -- [--clip FILE] [--size 640x480|1280x720[,…]] [--seconds S] [--rounds N] [--json FILE]
 *                   [--memory-seconds S | --no-memory] [--extension DIR]
 *
 * DESIGN.md §Metrics "Speed", in headless Chromium on a real clip, digital style, at each size:
 *  - the extension's SHIPPED mask worker (.output/chrome-mv3/mask-worker.js, built with `npx wxt
 *    build` when missing) as the extension runs it: its own painter choice ('auto');
 *  - the bench's own worker (scripts/bench/worker.ts: the shipped worker's body, src/pipeline/
 *    worker-main.ts, with the painter forced in code), built here into a temp dir as a classic IIFE
 *    worker (tools/build-classic-worker.ts) and served as /bench/mask-worker.js?render=cpu|webgl,
 *    next to the production build (same /mediapipe, /models, /ort files): once per painter (CPU
 *    canvas, WebGL2). The shipped bundle has no switch for this.
 * For each: median and p95 ms per frame per stage (pixels → ImageData, landmarks, mask geometry,
 * render), the worker's total, its sustained fps (one frame in flight, back to back), and in the same
 * run the landmarker alone on the same frames (the same pixels → ImageData conversion, then the
 * landmarker), with the ratio pipeline / landmarker alone (goal ≤ 1.25), and the browser's CPU time
 * per frame. A report: it asserts nothing. Each round runs the landmarker alone and every worker run,
 * in the reverse order of the round before, and the figures pool the rounds, so a machine getting
 * busier or quieter does not favour whichever ran first.
 *
 * Then memory (scripts/bench/memory.ts): the browser's memory, summed over its processes, during a
 * 640x480 call on the test call page with the extension masking, against the same call without
 * the extension (--extension DIR measures another build; --no-memory skips it).
 *
 * Clip: default the first portrait clip of ../shared/testdata/videos, else a face photo from
 * @vladmandic/face-api repeated (tests/support/testdata.ts). Frames are scaled and letterboxed to
 * each size as the fake camera does (tools/fake-camera.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePage } from '../eval/browser';
import { buildClassicWorker } from '../tools/build-classic-worker';
import { launchChromium, type LaunchedChromium } from '../tools/chromium';
import { toFakeCamera } from '../tools/fake-camera';
import { startHttpsServer, type StaticHttpsServer } from '../tools/https-server';
import { openY4m } from '../tools/y4m';
import { fallbackFaceImage, testdataDir } from '../tests/support/testdata';
import { callMemory, formatCallMemory, type CallMemory } from './bench/memory';
import type { LandmarkerRun, PipelineRun } from './bench/protocol';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '..');
const EXTENSION_DIR = path.join(REPO_ROOT, '.output', 'chrome-mv3');
/** The worker runs: the shipped worker as the extension runs it, then the bench worker per painter. */
const WORKER_RUNS = [
  { key: 'shipped', worker: 'shipped', requested: 'auto', url: '/mask-worker.js' },
  { key: 'cpu', worker: 'bench', requested: 'cpu', url: '/bench/mask-worker.js?render=cpu' },
  { key: 'webgl', worker: 'bench', requested: 'webgl', url: '/bench/mask-worker.js?render=webgl' },
] as const;
type WorkerRun = (typeof WORKER_RUNS)[number];
const WARMUP_FRAMES = 15;

interface Args {
  clip?: string;
  sizes: { width: number; height: number }[];
  seconds: number;
  rounds: number;
  json?: string;
  /** Seconds of memory samples per call; 0 = no memory measurement. */
  memorySeconds: number;
  extensionDir: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { sizes: [], seconds: 10, rounds: 2, memorySeconds: 10, extensionDir: EXTENSION_DIR };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--clip') args.clip = path.resolve(value());
    else if (a === '--seconds') args.seconds = Number(value());
    else if (a === '--rounds') args.rounds = Number(value());
    else if (a === '--json') args.json = path.resolve(value());
    else if (a === '--memory-seconds') args.memorySeconds = Number(value());
    else if (a === '--no-memory') args.memorySeconds = 0;
    else if (a === '--extension') args.extensionDir = path.resolve(value());
    else if (a === '--size') {
      for (const s of value().split(',')) {
        const m = /^(\d+)x(\d+)$/.exec(s.trim());
        if (!m || Number(m[1]) % 2 || Number(m[2]) % 2) throw new Error(`--size ${s}: expected WxH with even numbers, e.g. 640x480`);
        args.sizes.push({ width: Number(m[1]), height: Number(m[2]) });
      }
    } else if (a === '--help' || a === '-h') {
      console.log('npm run bench -- [--clip FILE] [--size 640x480|1280x720[,…]] [--seconds S] [--rounds N] [--json FILE] [--memory-seconds S | --no-memory] [--extension DIR]');
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  if (!(args.seconds > 0)) throw new Error('--seconds must be > 0');
  if (!(args.memorySeconds >= 0)) throw new Error('--memory-seconds must be ≥ 0');
  if (!Number.isInteger(args.rounds) || args.rounds < 1) throw new Error('--rounds must be a whole number ≥ 1');
  if (!args.sizes.length) args.sizes = [{ width: 640, height: 480 }, { width: 1280, height: 720 }];
  return args;
}

/** The first portrait clip of the test data, else the fallback face photo. */
function defaultClip(): string {
  const dir = path.join(testdataDir(), 'videos');
  if (existsSync(dir)) {
    const clips = readdirSync(dir)
      .filter((f) => /^portrait-.*\.(mp4|webm|mov|mkv)$/i.test(f))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (clips.length) return path.join(dir, clips[0]!);
  }
  return fallbackFaceImage();
}

function ensureBuild(): void {
  if (existsSync(path.join(EXTENSION_DIR, 'mask-worker.js'))) return;
  console.log('[bench] no production build: npx wxt build …');
  const r = spawnSync('npx', ['wxt', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.error || r.status !== 0) throw new Error(`'npx wxt build' failed (${r.error?.message ?? `exit ${r.status}`})`);
}

/** The bench's own mask worker (scripts/bench/worker.ts), built as WXT builds the shipped one. */
async function buildBenchWorker(outDir: string): Promise<void> {
  await buildClassicWorker({ entry: path.join(HERE, 'bench', 'worker.ts'), outDir, fileName: 'mask-worker.js', name: 'telemaskBenchWorker' });
}

/**
 * CPU time (user + system, ms) used so far by the browser and all its child processes (Linux /proc;
 * null elsewhere). Per frame it is the figure a busy machine distorts least: on two cores, software
 * GL's rasteriser threads in the GPU process take CPU from the landmarker without showing in any
 * one stage's wall time.
 */
function browserCpuMs(rootPid: number | undefined): number | null {
  if (!rootPid || process.platform !== 'linux') return null;
  const procs = new Map<number, { ppid: number; ticks: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // Fields after the ")" that ends the command name: state ppid … utime(14) stime(15), 1-based.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // the process ended while listed
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
      if (p === rootPid) return true;
      p = procs.get(p)?.ppid ?? 0;
    }
    return false;
  };
  let ticks = 0;
  for (const [pid, p] of procs) if (inTree(pid)) ticks += p.ticks;
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

// ── statistics and report ───────────────────────────────────────────────────────────────
export function quantile(values: readonly number[], q: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export interface Stat {
  median: number;
  p95: number;
}

const stat = (v: readonly number[]): Stat => ({ median: quantile(v, 0.5), p95: quantile(v, 0.95) });

export interface BackendReport {
  /** 'shipped': .output/chrome-mv3/mask-worker.js; 'bench': scripts/bench/worker.ts with the painter forced */
  worker: 'shipped' | 'bench';
  /** the backend asked for ('auto' for the shipped worker), and what the worker says drew the frames */
  requested: string;
  drawnBy: Record<string, number>;
  outcomes: Record<string, number>;
  stages: { pixels: Stat; landmarks: Stat; geometry: Stat; render: Stat; total: Stat };
  fps: number;
  /** median worker total / median landmarker alone (pixels → ImageData + landmarks, per frame) */
  ratio: number;
  /** median worker total / median landmarker alone, landmarks only */
  ratioDetectOnly: number;
  /** share of the last masked frame that is not background: the painter drew a face */
  faceShare: number;
  /** CPU ms per frame used by the whole browser (all processes) over the run, warm-up excluded (null: not Linux) */
  cpuMsPerFrame: number | null;
}

export interface SizeReport {
  width: number;
  height: number;
  /** frames of the clip; each run sends them all, `rounds` times */
  frames: number;
  rounds: number;
  landmarkerAlone: { pixels: Stat; landmarks: Stat; total: Stat; facesFound: number; fps: number; cpuMsPerFrame: number | null };
  backends: BackendReport[];
}

export interface BenchReport {
  clip: string;
  date: string;
  chromium: string;
  gl: { renderer: string; software: boolean; webgl2: boolean; autoChoice: string };
  sizes: SizeReport[];
  /** The extension's memory in a 640x480 call (null: not measured). */
  memory: CallMemory | null;
}

const perFrame = (ms: number | null | undefined, frames: number): number | null => (ms == null || !frames ? null : ms / frames);

function mergeRuns(a: PipelineRun, b: PipelineRun): PipelineRun {
  const add = (x: Record<string, number>, y: Record<string, number>) => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return {
    stages: [...a.stages, ...b.stages],
    total: [...a.total, ...b.total],
    roundTrip: [...a.roundTrip, ...b.roundTrip],
    outcomes: add(a.outcomes, b.outcomes),
    backends: add(a.backends, b.backends),
    wallMs: a.wallMs + b.wallMs,
    faceShare: b.faceShare ?? a.faceShare,
  };
}

function backendReport(spec: WorkerRun, run: PipelineRun, alone: { total: Stat; landmarks: Stat }, cpuMs: number | null): BackendReport {
  const pick = (k: 'pixels' | 'landmarks' | 'geometry' | 'render') => stat(run.stages.map((s) => s[k] ?? NaN).filter(Number.isFinite));
  const total = stat(run.total);
  return {
    worker: spec.worker,
    requested: spec.requested,
    drawnBy: run.backends,
    outcomes: run.outcomes,
    stages: { pixels: pick('pixels'), landmarks: pick('landmarks'), geometry: pick('geometry'), render: pick('render'), total },
    fps: (run.roundTrip.length * 1000) / run.wallMs,
    ratio: total.median / alone.total.median,
    ratioDetectOnly: total.median / alone.landmarks.median,
    faceShare: run.faceShare ?? 0,
    cpuMsPerFrame: perFrame(cpuMs, run.roundTrip.length),
  };
}

const NAME = 30;
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const cell = (s: Stat) => `${f1(s.median)} / ${f1(s.p95)}`.padStart(13);

export function formatReport(r: BenchReport): string {
  const out: string[] = [];
  out.push(`telemask bench — ${r.date}, ${r.chromium}, clip ${r.clip}`);
  out.push(`WebGL2: ${r.gl.webgl2 ? r.gl.renderer : 'unavailable'}${r.gl.software ? ' (software)' : ''}; the product's choice here: ${r.gl.autoChoice}`);
  for (const s of r.sizes) {
    out.push('');
    out.push(`${s.width}x${s.height}, ${s.frames} frames × ${s.rounds} round(s), digital style — ms per frame, median / p95`);
    out.push(
      `${'run'.padEnd(NAME)}${'pixels'.padStart(13)}${'landmarks'.padStart(13)}${'geometry'.padStart(13)}${'render'.padStart(13)}${'total'.padStart(13)}${'fps'.padStart(7)}${'ratio'.padStart(7)}${'(lm)'.padStart(6)}${'cpu ms'.padStart(8)}`,
    );
    const a = s.landmarkerAlone;
    out.push(`${'landmarker alone'.padEnd(NAME)}${cell(a.pixels)}${cell(a.landmarks)}${''.padStart(13)}${''.padStart(13)}${cell(a.total)}${a.fps.toFixed(1).padStart(7)}${'1.00'.padStart(7)}${'1.00'.padStart(6)}${f1(a.cpuMsPerFrame ?? NaN).padStart(8)}`);
    for (const b of s.backends) {
      const drawn = Object.entries(b.drawnBy).map(([k, n]) => `${k}:${n}`).join(',') || 'none';
      const all = s.frames * s.rounds;
      const single = Object.keys(b.drawnBy).length === 1 && Object.values(b.drawnBy)[0] === all ? Object.keys(b.drawnBy)[0]! : null;
      const name =
        b.worker === 'shipped'
          ? `shipped worker (auto: ${single ?? drawn})`
          : `bench worker ${b.requested}${single === b.requested ? '' : ` [${drawn}]`}`;
      const st = b.stages;
      out.push(`${name.padEnd(NAME)}${cell(st.pixels)}${cell(st.landmarks)}${cell(st.geometry)}${cell(st.render)}${cell(st.total)}${b.fps.toFixed(1).padStart(7)}${b.ratio.toFixed(2).padStart(7)}${b.ratioDetectOnly.toFixed(2).padStart(6)}${f1(b.cpuMsPerFrame ?? NaN).padStart(8)}`);
      const notMasked = Object.entries(b.outcomes).filter(([k]) => k !== 'masked');
      if (notMasked.length) out.push(`${''.padEnd(NAME)}not masked: ${notMasked.map(([k, n]) => `${k} ${n}`).join(', ')}`);
    }
    out.push(`  landmarker alone found a face in ${a.facesFound}/${s.frames * s.rounds} frames.\n  shipped worker = .output/chrome-mv3/mask-worker.js, its own painter choice; bench worker = the same worker body with the painter forced (scripts/bench/worker.ts).\n  ratio = worker total / landmarker alone (pixels + landmarks), medians (goal ≤ 1.25); (lm) = against its landmarks alone;\n  cpu ms = CPU time of all browser processes per frame (wall time on a busy machine is noisy; this is not)`);
  }
  return out.join('\n');
}

// ── run ─────────────────────────────────────────────────────────────────────────────────
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const clip = args.clip ?? defaultClip();
  if (!existsSync(clip)) throw new Error(`clip not found: ${clip}`);
  ensureBuild();

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'telemask-bench-'));
  const data = new Map<string, () => Buffer>();
  let server: StaticHttpsServer | undefined;
  let chromium: LaunchedChromium | undefined;
  try {
    await bundlePage(tmp, path.join(HERE, 'bench', 'page.ts'));
    writeFileSync(
      path.join(tmp, 'index.html'),
      '<!doctype html><meta charset="utf-8"><title>telemask bench</title><script type="module" src="/bench/page.js"></script>',
    );
    await buildBenchWorker(path.join(tmp, 'worker'));
    const wasmDir = path.dirname(require.resolve('@mediapipe/tasks-vision/vision_wasm_internal.wasm'));
    server = await startHttpsServer({
      root: EXTENSION_DIR,
      route: (_req, url) => {
        const p = url.pathname;
        if (p === '/bench/' || p === '/bench/index.html') return { root: tmp, path: '/index.html' };
        if (p === '/bench/page.js') return { root: tmp, path: '/page.js' };
        if (p === '/bench/mask-worker.js') return { root: path.join(tmp, 'worker'), path: '/mask-worker.js' };
        if (p.startsWith('/bench/tv-wasm/')) return { root: wasmDir, path: p.slice('/bench/tv-wasm'.length) };
        if (p.startsWith('/bench/data/')) {
          const get = data.get(p.slice('/bench/data/'.length));
          return get ? { status: 200, body: get(), headers: { 'Content-Type': 'application/octet-stream' } } : { status: 404, body: 'no such frame' };
        }
        return undefined;
      },
    });
    chromium = await launchChromium({ protocolTimeout: 900_000 });
    const page = await chromium.browser.newPage();
    const logs: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') logs.push(`[page ${m.type()}] ${m.text()}`);
    });
    page.on('pageerror', (e) => logs.push(`[pageerror] ${(e as Error).message ?? e}`));
    await page.goto(`${server.url}/bench/index.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => 'telemaskBench' in window, { timeout: 60_000 });

    const report: BenchReport = {
      clip: path.relative(process.cwd(), clip),
      date: new Date().toISOString(),
      chromium: await chromium.browser.version(),
      gl: await page.evaluate(() => window.telemaskBench.glInfo()),
      sizes: [],
      memory: null,
    };
    for (const size of args.sizes) {
      const y4m = openY4m(await toFakeCamera(clip, { ...size, fps: 30, seconds: args.seconds }));
      const key = `${size.width}x${size.height}`;
      const urls: string[] = [];
      for (let i = 0; i < y4m.frameCount; i++) {
        data.set(`${key}/${i}`, () => {
          const f = y4m.frame(i);
          return Buffer.from(f.y.buffer, f.y.byteOffset, (f.width * f.height * 3) / 2);
        });
        urls.push(`/bench/data/${key}/${i}`);
      }
      const n = await page.evaluate((s) => window.telemaskBench.load(s), { ...size, urls });
      y4m.close();
      for (const k of [...data.keys()]) if (k.startsWith(`${key}/`)) data.delete(k);
      const alone: LandmarkerRun = { pixels: [], landmarks: [], faces: [], wallMs: 0 };
      const runs = new Map<string, PipelineRun>();
      const cpu = new Map<string, number | null>();
      const pid = chromium.browser.process()?.pid;
      const steps = ['alone', ...WORKER_RUNS.map((w) => w.key)];
      for (let round = 0; round < args.rounds; round++) {
        for (const step of round % 2 ? [...steps].reverse() : steps) {
          const spec = WORKER_RUNS.find((w) => w.key === step);
          console.log(`[bench] ${key}: ${n} frames, round ${round + 1}/${args.rounds}: ${spec ? `${spec.url}, digital` : 'landmarker alone'} …`);
          let cpu0: number | null;
          if (!spec) {
            await page.evaluate(() => window.telemaskBench.landmarkerStart());
            cpu0 = browserCpuMs(pid);
            const r: LandmarkerRun = await page.evaluate(() => window.telemaskBench.landmarkerRun());
            alone.pixels.push(...r.pixels);
            alone.landmarks.push(...r.landmarks);
            alone.faces.push(...r.faces);
            alone.wallMs += r.wallMs;
          } else {
            await page.evaluate(
              (spec) => window.telemaskBench.pipelineStart(spec),
              { workerUrl: spec.url, style: 'digital' as const, warmup: WARMUP_FRAMES },
            );
            cpu0 = browserCpuMs(pid);
            const r: PipelineRun = await page.evaluate(() => window.telemaskBench.pipelineRun());
            const acc = runs.get(step);
            runs.set(step, acc ? mergeRuns(acc, r) : r);
          }
          const cpu1 = browserCpuMs(pid);
          const before = cpu.get(step);
          cpu.set(step, cpu0 === null || cpu1 === null || before === null ? null : (before ?? 0) + cpu1 - cpu0);
        }
      }
      const aloneStats = { landmarks: stat(alone.landmarks), total: stat(alone.landmarks.map((ms, i) => ms + alone.pixels[i]!)) };
      const sizeReport: SizeReport = {
        ...size,
        frames: n,
        rounds: args.rounds,
        landmarkerAlone: {
          pixels: stat(alone.pixels),
          landmarks: aloneStats.landmarks,
          total: aloneStats.total,
          facesFound: alone.faces.filter((c) => c > 0).length,
          fps: (alone.landmarks.length * 1000) / alone.wallMs,
          cpuMsPerFrame: perFrame(cpu.get('alone'), alone.landmarks.length),
        },
        backends: WORKER_RUNS.map((w) => backendReport(w, runs.get(w.key)!, aloneStats, cpu.get(w.key) ?? null)),
      };
      report.sizes.push(sizeReport);
    }
    await chromium.close();
    chromium = undefined;
    if (args.memorySeconds > 0 && process.platform === 'linux') {
      const camera = await toFakeCamera(clip, { width: 640, height: 480, fps: 30, seconds: Math.max(args.seconds, 30) });
      report.memory = await callMemory({ camera, width: 640, height: 480, extensionDir: args.extensionDir, seconds: args.memorySeconds, log: (l) => console.log(l) });
    }
    if (logs.length) console.log(logs.slice(-10).join('\n'));
    console.log(`\n${formatReport(report)}`);
    if (report.memory) console.log(`\n${formatCallMemory(report.memory)}`);
    if (args.json) {
      writeFileSync(args.json, JSON.stringify(report, null, 2));
      console.log(`\n[bench] ${args.json}`);
    }
  } finally {
    await chromium?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(`[bench] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
