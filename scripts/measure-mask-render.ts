/**
 * How the digital mask's render reads back: what MediaPipe FaceLandmarker sees in the mask
 * compared with what the mask was asked to show.
 *
 *   npx tsx scripts/measure-mask-render.ts [--png FILE]
 *
 * Runs the production build's renderer code (src/mask/digital-renderer.ts, bundled with esbuild)
 * and the shipped model in headless Chromium. Inputs are the canonical face, posed and deformed by
 * known amounts (no test data needed). Prints: head pose read from a posed canonical face (the
 * bias of the render itself), and the transfer curves of eye aperture and mouth opening (asked →
 * read) with their Pearson r. docs/research/mask-look.md records what these numbers decided.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pearson } from '../eval/metrics/stats';
import { launchChromium } from '../tools/chromium';
import { startHttpsServer } from '../tools/https-server';
import type { CurveRow, RenderReport } from './mask-render/page';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = path.join(ROOT, '.output', 'chrome-mv3');
const pngArg = process.argv.indexOf('--png');
const PNG = pngArg >= 0 ? process.argv[pngArg + 1] : undefined;

const f = (v: number | null | undefined, d = 2) => (typeof v === 'number' ? v.toFixed(d) : '—');

function curveR(rows: CurveRow[]): number {
  const xs: number[] = [], ys: number[] = [];
  for (const r of rows) for (const v of [r.left, r.right]) if (typeof v === 'number') { xs.push(r.input); ys.push(v); }
  return pearson(xs, ys);
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
  const server = await startHttpsServer({ root });
  const chrome = await launchChromium({});
  try {
    const page = await chrome.browser.newPage();
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction('window.measureMaskRender', { timeout: 60_000 });
    const report = (await page.evaluate('window.measureMaskRender()')) as RenderReport;

    console.log('Head pose read from the posed canonical face (degrees; asked → read)');
    for (const r of report.pose) {
      console.log(`  yaw ${f(r.yaw, 0).padStart(3)} pitch ${f(r.pitch, 0).padStart(3)} → yaw ${f(r.read?.yaw, 1).padStart(5)} pitch ${f(r.read?.pitch, 1).padStart(5)} roll ${f(r.read?.roll, 1).padStart(5)}`);
    }
    const frontal = report.pose.find((r) => r.yaw === 0 && r.pitch === 0)?.read;
    const pitchErr = report.pose.filter((r) => r.read).map((r) => r.read!.pitch - r.pitch);
    console.log(`  frontal face reads pitch ${f(frontal?.pitch, 1)}°, mean pitch error ${f(pitchErr.reduce((a, b) => a + b, 0) / pitchErr.length, 1)}°`);
    console.log('\nEye aperture (lid gap / eye width), asked → read left / right');
    for (const r of report.eyes) console.log(`  pose ${r.yaw},${r.pitch}: ${f(r.input)} → ${f(r.left)} / ${f(r.right)}`);
    console.log(`  Pearson r asked vs read: ${f(curveR(report.eyes), 3)}`);
    console.log('\nMouth opening (inner-lip gap / outer-eye-corner distance), asked → read');
    for (const r of report.mouth) console.log(`  pose ${r.yaw},${r.pitch}: ${f(r.input)} → ${f(r.left)}`);
    console.log(`  Pearson r asked vs read: ${f(curveR(report.mouth), 3)}`);
    for (const [name, rows] of [['Iris x (along the corner line, eye widths)', report.irisX], ['Iris y (across the corner line)', report.irisY]] as const) {
      console.log(`\n${name}, asked → read left / right`);
      for (const r of rows) console.log(`  pose ${r.yaw},${r.pitch}: ${f(r.input, 3)} → ${f(r.left, 3)} / ${f(r.right, 3)}`);
      console.log(`  Pearson r asked vs read: ${f(curveR(rows), 3)}`);
    }
    if (PNG) {
      writeFileSync(PNG, Buffer.from(report.png.split(',')[1]!, 'base64'));
      console.log(`\nfrontal render written to ${PNG}`);
    }
  } finally {
    await chrome.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
