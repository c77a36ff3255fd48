/**
 * The eye read-out in end-to-end tests: switching it from the popup as a patient does, and telling
 * a frame that carries the panel (src/readout/panel.ts: an opaque #0d1117 column at the frame's
 * right edge, from the top down past its two gaze traces) from one that does not.
 */
import type { Browser, Page } from 'puppeteer-core';
import type { ExtensionWorker } from '../../tools/chromium';
import { openPopup, W } from './e2e';

const PANEL_RGB = [13, 17, 23] as const;

/** Share of the panel's right margin (x 636–639, y 10–350 at 640x480) in the panel's colour. */
export function panelShare(rgba: Uint8Array, w = W): number {
  let hit = 0, n = 0;
  for (let y = 10; y < 350; y += 2) {
    for (let x = w - 4; x < w; x++) {
      const o = (y * w + x) * 4;
      n++;
      if (PANEL_RGB.every((v, i) => Math.abs(rgba[o + i]! - v) <= 14)) hit++;
    }
  }
  return hit / n;
}
export const hasPanel = (rgba: Uint8Array) => panelShare(rgba) > 0.9;

/** Opens the popup, sets the read-out switch to `on` (it must be offered), waits for the background's answer. */
export async function setReadoutFromPopup(browser: Browser, sw: ExtensionWorker, page: Page, on: boolean): Promise<Page> {
  const popup = await openPopup(browser, sw, page, '#readout-toggle');
  const checked = await popup.$eval('#readout-toggle', (e) => (e as HTMLInputElement).checked);
  if (checked !== on) await popup.click('#readout-toggle');
  await popup.waitForSelector(`[data-readout="${on ? 'on' : 'off'}"]`);
  return popup;
}
