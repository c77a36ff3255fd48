/**
 * The toolbar and store icons: assets/icon.svg rendered to PNG at each size the manifest names,
 * at build time (resvg's WASM build: no native binary, no network). The PNGs are build output only.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { initWasm, Resvg } from '@resvg/resvg-wasm';

export const ICON_SIZES = [16, 32, 48, 128] as const;

/** Where each size lands in the extension, as the manifest's `icons` and `action.default_icon` name it. */
export const iconPaths = (): Record<string, string> =>
  Object.fromEntries(ICON_SIZES.map((size) => [String(size), `icons/${size}.png`]));

let ready: Promise<void> | null = null;

function init(): Promise<void> {
  const wasm = createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm');
  ready ??= initWasm(readFileSync(wasm));
  return ready;
}

/** One PNG per size of `svgFile`, written under `outDir`; returns each file and its path in the extension. */
export async function renderIcons(svgFile: string, outDir: string): Promise<{ absoluteSrc: string; relativeDest: string }[]> {
  await init();
  const svg = readFileSync(svgFile, 'utf8');
  mkdirSync(outDir, { recursive: true });
  return ICON_SIZES.map((size) => {
    const png = new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
    const absoluteSrc = path.join(outDir, `${size}.png`);
    writeFileSync(absoluteSrc, png);
    return { absoluteSrc, relativeDest: `icons/${size}.png` };
  });
}
