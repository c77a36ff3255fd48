/**
 * Loads models/face_landmarker.task with @mediapipe/tasks-vision in headless Chromium
 * and checks it finds faces with 478 landmarks, irises inside the eyes and a 4x4 facial
 * transformation matrix.
 *
 *   tsx scripts/verify-model-bundle.ts [image ...]
 * Exits non-zero when an image yields no face, a landmark count other than 478, an iris
 * outside its eye, or no matrix.
 */
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { LEFT_IRIS_Z_AVERAGE, RIGHT_IRIS_Z_AVERAGE, TOTAL_POINTS } from '../build/model-bundle/landmark-refinement.js';
import { fallbackFaceImage, testdataFile } from '../tests/support/testdata.js';
import { findChromium } from '../tools/chromium.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = findChromium();
/** Two one-person scenes of the test data (../shared/testdata or TELEMASK_TESTDATA), else the npm fallback face. */
const DEFAULT_IMAGES = ['scenes/Tom_Cruise_avp_2014_4.jpg', 'scenes/astronaut.png'].map((f) => testdataFile(f)).filter((f): f is string => !!f);
if (DEFAULT_IMAGES.length === 0) DEFAULT_IMAGES.push(fallbackFaceImage());
const TIMED_RUNS = 20;

const tasksVisionDir = dirname(createRequire(import.meta.url).resolve('@mediapipe/tasks-vision'));
const bundlePath = join(root, 'models', 'face_landmarker.task');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.task': 'application/octet-stream',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
};

/** Serves /tasks-vision/*, /models/face_landmarker.task and /images/<n> from disk. */
function serve(images: string[]): Promise<Server> {
  const routes = (path: string): string | null => {
    if (path === '/models/face_landmarker.task') return bundlePath;
    const image = /^\/images\/(\d+)$/.exec(path);
    if (image) return images[Number(image[1])] ?? null;
    if (path.startsWith('/tasks-vision/')) {
      const file = normalize(join(tasksVisionDir, path.slice('/tasks-vision/'.length)));
      return file.startsWith(tasksVisionDir + sep) ? file : null;
    }
    return null;
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>verify</title>');
      return;
    }
    const file = routes(path);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface FaceReport {
  points: number;
  irisCentersInEyes: [boolean, boolean];
  irisPointsNearEyes: [boolean, boolean];
  matrix: boolean;
}
interface ImageReport {
  width: number;
  height: number;
  faces: FaceReport[];
  firstMs: number;
  medianMs: number;
  p95Ms: number;
}

/** Runs in the page. Self-contained: no references to module scope. */
async function runInPage(args: {
  imageUrl: string;
  runs: number;
  leftContour: number[];
  rightContour: number[];
}): Promise<ImageReport> {
  const vision = await import('/tasks-vision/vision_bundle.mjs' as string);
  const fileset = await vision.FilesetResolver.forVisionTasks('/tasks-vision/wasm');
  const landmarker = await vision.FaceLandmarker.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: '/models/face_landmarker.task', delegate: 'CPU' },
    runningMode: 'VIDEO',
    numFaces: 4,
    outputFacialTransformationMatrixes: true,
    outputFaceBlendshapes: false,
  });
  const img = new Image();
  img.src = args.imageUrl;
  await img.decode();

  type Pt = { x: number; y: number };
  // Eye contour as a polygon: lower lid (corner to corner) then upper lid back.
  const polygon = (pts: Pt[], contour: number[]): Pt[] => {
    const lower = contour.slice(0, 9);
    const upper = contour.slice(9).reverse();
    return [...lower, ...upper].map((i) => pts[i] as Pt);
  };
  const inside = (p: Pt, poly: Pt[]): boolean => {
    let hit = false;
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const a = poly[i] as Pt;
      const b = poly[j] as Pt;
      if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) hit = !hit;
    }
    return hit;
  };
  // Iris edges may sit under the lids; accept them within the eye box grown by the eye height.
  const nearEye = (irisPts: Pt[], poly: Pt[]): boolean => {
    const xs = poly.map((p) => p.x);
    const ys = poly.map((p) => p.y);
    const h = Math.max(...ys) - Math.min(...ys);
    return irisPts.every(
      (p) => p.x >= Math.min(...xs) && p.x <= Math.max(...xs) && p.y >= Math.min(...ys) - h && p.y <= Math.max(...ys) + h,
    );
  };

  let ts = 0;
  const t0 = performance.now();
  let result = landmarker.detectForVideo(img, (ts += 33));
  const firstMs = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < args.runs; i++) {
    const t = performance.now();
    result = landmarker.detectForVideo(img, (ts += 33));
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const faces: FaceReport[] = (result.faceLandmarks as Pt[][]).map((pts, f) => {
    const left = polygon(pts, args.leftContour);
    const right = polygon(pts, args.rightContour);
    const matrix = result.facialTransformationMatrixes?.[f];
    return {
      points: pts.length,
      irisCentersInEyes: [pts.length > 468 && inside(pts[468] as Pt, left), pts.length > 473 && inside(pts[473] as Pt, right)],
      irisPointsNearEyes: [nearEye(pts.slice(468, 473), left), nearEye(pts.slice(473, 478), right)],
      matrix: !!matrix && matrix.rows === 4 && matrix.columns === 4 && matrix.data.length === 16,
    };
  });
  landmarker.close();
  return {
    width: img.naturalWidth,
    height: img.naturalHeight,
    faces,
    firstMs,
    medianMs: times[Math.floor(times.length / 2)] ?? NaN,
    p95Ms: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))] ?? NaN,
  };
}

async function main(): Promise<number> {
  const images = process.argv.slice(2).length ? process.argv.slice(2) : DEFAULT_IMAGES.filter((p) => existsSync(p));
  if (!existsSync(bundlePath)) throw new Error(`${bundlePath} missing: run tsx scripts/build-model-bundle.ts`);
  if (!images.length) throw new Error('no test images found');

  const server = await serve(images);
  const port = (server.address() as AddressInfo).port;
  const userDataDir = mkdtempSync(join(tmpdir(), 'telemask-verify-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  let failures = 0;
  try {
    for (const [i, image] of images.entries()) {
      const page = await browser.newPage();
      const logs: string[] = [];
      page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => logs.push(`pageerror: ${String(e)}`));
      await page.goto(`http://127.0.0.1:${port}/`);
      // tsx/esbuild wraps named functions in __name(); serialized to the page it needs a shim.
      await page.evaluate('globalThis.__name = (fn) => fn');
      let report: ImageReport;
      try {
        report = await page.evaluate(runInPage, {
          imageUrl: `/images/${i}`,
          runs: TIMED_RUNS,
          leftContour: [...LEFT_IRIS_Z_AVERAGE],
          rightContour: [...RIGHT_IRIS_Z_AVERAGE],
        });
      } catch (e) {
        console.error(`${image}: FAILED to run FaceLandmarker: ${String(e)}`);
        console.error(logs.filter((l) => !l.startsWith('log:') && !l.startsWith('info:')).slice(-20).join('\n'));
        failures++;
        await page.close();
        continue;
      }
      await page.close();
      const name = image.slice(image.lastIndexOf('/') + 1);
      const problems: string[] = [];
      if (!report.faces.length) problems.push('no face found');
      report.faces.forEach((f, n) => {
        if (f.points !== TOTAL_POINTS) problems.push(`face ${n}: ${f.points} points, want ${TOTAL_POINTS}`);
        if (!f.irisCentersInEyes.every(Boolean)) problems.push(`face ${n}: iris center outside its eye contour`);
        if (!f.irisPointsNearEyes.every(Boolean)) problems.push(`face ${n}: iris points away from the eye`);
        if (!f.matrix) problems.push(`face ${n}: no 4x4 transformation matrix`);
      });
      console.log(
        `${name} (${report.width}x${report.height}): faces=${report.faces.length} ` +
          `points=[${report.faces.map((f) => f.points).join(',')}] ` +
          `irisCentersInEyes=[${report.faces.map((f) => f.irisCentersInEyes.join('/')).join(',')}] ` +
          `irisPointsNearEyes=[${report.faces.map((f) => f.irisPointsNearEyes.join('/')).join(',')}] ` +
          `matrix4x4=[${report.faces.map((f) => f.matrix).join(',')}] ` +
          `detectForVideo first=${report.firstMs.toFixed(1)} ms, median=${report.medianMs.toFixed(1)} ms, ` +
          `p95=${report.p95Ms.toFixed(1)} ms (${TIMED_RUNS} runs)` +
          (problems.length ? `\n  FAIL: ${problems.join('; ')}` : ' OK'),
      );
      if (problems.length) failures++;
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error('[verify-model-bundle]', e);
    process.exit(1);
  },
);
