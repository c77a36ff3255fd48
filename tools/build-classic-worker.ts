/**
 * Builds a worker entry the way WXT builds the extension's unlisted scripts (the mask worker; see
 * wxt/dist/core/builders/vite): Vite lib mode, one classic IIFE file (tasks-vision loads its WASM
 * glue with importScripts, which module workers lack), import.meta.url → self.location.href.
 * For Node scripts that run a worker outside the extension: scripts/bench.ts (its own mask worker,
 * scripts/bench/worker.ts) and scripts/research/measure-safety-net.ts.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, defaultClientConditions } from 'vite';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Builds `entry` into `outDir`/`fileName` (the folder is emptied first); returns the file's path. */
export async function buildClassicWorker(opts: { entry: string; outDir: string; fileName: string; name: string }): Promise<string> {
  await build({
    configFile: false,
    root: REPO_ROOT,
    publicDir: false,
    logLevel: 'warn',
    mode: 'production',
    // What wxt.config.ts needs too: onnxruntime-web's own switch to NOT inline its 14 MB .wasm
    // (Vite lib mode inlines every new URL(…, import.meta.url) asset as base64).
    resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
    define: { 'import.meta.url': 'self.location.href', 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir: opts.outDir,
      emptyOutDir: true,
      lib: { entry: opts.entry, formats: ['iife'], name: opts.name, fileName: () => opts.fileName },
    },
  });
  return path.join(opts.outDir, opts.fileName);
}
