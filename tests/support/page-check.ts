/**
 * How the patient-facing pages are checked in the browser: axe-core's accessibility rules (WCAG 2.1
 * A/AA, contrast included) run inside the page, and a screenshot saved under test-artifacts/.
 * axe-core is the engine @axe-core/puppeteer wraps; that wrapper needs the full `puppeteer` as a peer
 * (which downloads its own browser at install), so the engine is injected through puppeteer-core.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import type { Page } from 'puppeteer-core';
import { ARTIFACTS_DIR } from './e2e';

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Serious and critical violations on the page as it is now (WCAG 2.0/2.1 A and AA rules). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Runtime.evaluate is not subject to the extension pages' CSP (no inline script is added).
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const run = (globalThis as unknown as { axe: typeof axe }).axe.run;
    const result = await run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * A screenshot of the page's viewport under test-artifacts/<rel>; returns its path. Only the
 * viewport: capturing beyond it took the whole browser down here on a page showing camera video.
 */
export async function screenshot(page: Page, rel: string): Promise<string> {
  const file = path.join(ARTIFACTS_DIR, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file as `${string}.png`, captureBeyondViewport: false });
  return file;
}

/** Presses Tab, as a keyboard user does, until the element matching `selector` has the focus. */
export async function tabTo(page: Page, selector: string, maxPresses = 30): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} not reached with ${maxPresses} presses of Tab`);
}

/** Whether the focused element (or, for a visually hidden input, the control drawn next to it) shows a focus outline. */
export async function focusVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return false;
    const drawn = (e: Element | null) => {
      if (!e) return false;
      const s = getComputedStyle(e);
      return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    };
    return drawn(el) || drawn(el.nextElementSibling);
  });
}
