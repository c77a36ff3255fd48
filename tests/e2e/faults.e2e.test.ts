/**
 * Faults the pipeline must survive: the mask worker closing (as in a crash), a stage stalling for
 * longer than 200 ms, an exception on every frame, the tab hidden and shown again. In every case
 * the page sees masked or obscured frames only, the status says what happened, and masking comes
 * back by itself once the fault is gone; the recovery time is printed.
 */
import type { WebWorker } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getTabState, waitForTabState, waitForWorker, waitForMasking } from '../../tools/chromium';
import { toFakeCamera } from '../../tools/fake-camera';
import type { StaticHttpsServer } from '../../tools/https-server';
import { chromiumAvailable, openCall, startPagesServer, TELEHEALTH_URL, type CallSession } from '../support/e2e';
import { firstFrameAfter, frameLog, watchFrames } from '../support/frame-log';
import { faceClip } from '../support/testdata';

/** Masking must be back within this long after a fault ends (a worker restart included). */
const RECOVERY_LIMIT_MS = 15_000;

describe.skipIf(!chromiumAvailable())('faults: obscured while broken, masked again after', () => {
  let server: StaticHttpsServer;
  let call: CallSession;

  beforeAll(async () => {
    server = await startPagesServer();
    call = await openCall({ server, camera: await toFakeCamera(faceClip()), url: TELEHEALTH_URL, extensionDir: inject('extensionDir') });
    await waitForMasking(call.sw!, call.page);
    await watchFrames(call.page);
  });
  afterAll(async () => {
    await call?.close();
    await server?.close();
  });

  const maskWorker = (): Promise<WebWorker> => waitForWorker(call.browser, 'mask-worker', 30_000);

  /** Frames since `since`: none raw; returns counts for the log line. */
  async function checkSince(since: number) {
    const frames = (await frameLog(call.page)).filter((f) => f.t >= since);
    const count = (k: string) => frames.filter((f) => f.kind === k).length;
    expect(frames.filter((f) => f.kind === 'raw')).toEqual([]);
    return { frames: frames.length, masked: count('masked'), obscured: count('obscured'), raw: count('raw') };
  }

  it('the mask worker closes: obscured at once, error status, a new worker masks again', async () => {
    const worker = await maskWorker();
    const start = Date.now();
    void worker.evaluate(() => (self as unknown as { close(): void }).close()).catch(() => undefined);
    const firstObscured = await firstFrameAfter(call.page, start, 'obscured', 5000);
    const error = await waitForTabState(call.sw!, call.page, (s) => s?.status === 'error', 10_000);
    const back = await firstFrameAfter(call.page, firstObscured.t, 'masked', RECOVERY_LIMIT_MS);
    const counts = await checkSince(start);
    console.log(
      `[faults] worker closed: obscured after ${firstObscured.t - start} ms, status "${error?.reason}", ` +
        `masked again after ${back.t - start} ms; frames ${JSON.stringify(counts)}`,
    );
    expect(firstObscured.t - start).toBeLessThan(1000);
    expect(error?.reason).toBeTruthy();
    await waitForTabState(call.sw!, call.page, (s) => s?.status === 'masking', RECOVERY_LIMIT_MS);
  });

  it('a stage stalls for 1.5 s: obscured during the stall, masked right after', async () => {
    const worker = await maskWorker();
    const start = Date.now();
    await worker.evaluate(() => {
      const end = Date.now() + 1500;
      while (Date.now() < end) {
        /* the worker is stuck, as in a stalled stage */
      }
    });
    const stallEnd = Date.now();
    const firstObscured = await firstFrameAfter(call.page, start, 'obscured', 5000);
    const back = await firstFrameAfter(call.page, stallEnd, 'masked', RECOVERY_LIMIT_MS);
    const counts = await checkSince(start);
    console.log(
      `[faults] 1.5 s stall: obscured after ${firstObscured.t - start} ms, masked again ${back.t - stallEnd} ms after it ended; ` +
        `frames ${JSON.stringify(counts)}`,
    );
    expect(firstObscured.t - start).toBeLessThan(600);
    expect(counts.obscured).toBeGreaterThan(0);
  });

  it('an exception on every frame: error status, obscured; masked again when it stops', async () => {
    const worker = await maskWorker();
    const start = Date.now();
    await worker.evaluate(() => {
      const proto = OffscreenCanvasRenderingContext2D.prototype as unknown as { fill: unknown; __fill?: unknown };
      proto.__fill = proto.fill;
      proto.fill = () => {
        throw new Error('injected fault in fill()');
      };
    });
    const error = await waitForTabState(call.sw!, call.page, (s) => s?.status === 'error', 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    const fixed = Date.now();
    await worker.evaluate(() => {
      const proto = OffscreenCanvasRenderingContext2D.prototype as unknown as { fill: unknown; __fill?: unknown };
      proto.fill = proto.__fill;
    });
    const back = await firstFrameAfter(call.page, fixed, 'masked', RECOVERY_LIMIT_MS);
    const counts = await checkSince(start);
    console.log(`[faults] exception per frame: status "${error?.reason}", masked again ${back.t - fixed} ms after the fix; frames ${JSON.stringify(counts)}`);
    expect(error?.reason).toMatch(/injected fault/);
    expect(counts.obscured).toBeGreaterThan(0);
    await waitForTabState(call.sw!, call.page, (s) => s?.status === 'masking', RECOVERY_LIMIT_MS);
  });

  it('the tab is hidden, then shown: masked or obscured only, masking on when back', async () => {
    const start = Date.now();
    const other = await call.browser.newPage();
    await other.bringToFront();
    await new Promise((r) => setTimeout(r, 3000));
    await call.page.bringToFront();
    const shown = Date.now();
    await other.close();
    const back = await firstFrameAfter(call.page, shown, 'masked', RECOVERY_LIMIT_MS);
    const counts = await checkSince(start);
    const state = await getTabState(call.sw!, call.page);
    console.log(`[faults] hidden 3 s: masked ${back.t - shown} ms after being shown; frames ${JSON.stringify(counts)}; status ${state?.status}`);
    expect(state?.status).toBe('masking');
  });
});
