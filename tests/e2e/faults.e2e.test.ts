/**
 * Faults the pipeline must survive: the mask worker closing (as in a crash), a stage stalling for
 * longer than 200 ms, an exception on every frame, the tab hidden and shown again. In every case
 * the page sees masked or obscured frames only, the status says what happened, and masking comes
 * back by itself once the fault is gone; the recovery time is printed.
 */
import type { WebWorker } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getTabState, waitForTabState, waitForWorker } from '../../tools/chromium';
import { STALL_MS } from '../../src/pump/gate';
import { chromiumAvailable, openMaskedCall, type CallSession, type MaskedCall } from '../support/e2e';
import { firstFrameAfter, frameLog, watchFrames } from '../support/frame-log';

/** Masking must be back within this long after a fault ends (a worker restart included). */
const RECOVERY_LIMIT_MS = 15_000;
const FRAME_MS = 1000 / 30;
/** What the page's own frame presentation adds (requestVideoFrameCallback runs at display rate). */
const PRESENTATION_SLACK_MS = 50;

describe.skipIf(!chromiumAvailable())('faults: obscured while broken, masked again after', () => {
  let session: MaskedCall;
  let call: CallSession;

  beforeAll(async () => {
    session = await openMaskedCall(inject('extensionDir'));
    call = session.call;
    await watchFrames(call.page);
  });
  afterAll(() => session?.close());

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
      `[faults] worker closed: obscured after ${firstObscured.t - start} ms, status ${JSON.stringify(error?.problem)}, ` +
        `masked again after ${back.t - start} ms; frames ${JSON.stringify(counts)}`,
    );
    expect(firstObscured.t - start).toBeLessThan(1000);
    expect(error?.problem?.kind).toBeTruthy();
    await waitForTabState(call.sw!, call.page, (s) => s?.status === 'masking', RECOVERY_LIMIT_MS);
  });

  it('a stage stalls for 1.5 s: the placeholder within STALL_MS and a frame of the last masked one, masked right after', async () => {
    const worker = await maskWorker();
    const start = Date.now();
    await worker.evaluate(() => {
      const end = Date.now() + 1500;
      while (Date.now() < end) {
        /* the worker is stuck on a frame, as in a stalled stage; the next frame waits for it */
      }
    });
    const stallEnd = Date.now();
    const firstObscured = await firstFrameAfter(call.page, start, 'obscured', 5000);
    const back = await firstFrameAfter(call.page, stallEnd, 'masked', RECOVERY_LIMIT_MS);
    const counts = await checkSince(start);
    // The last masked frame the page saw before the placeholder: the output froze on it meanwhile.
    const lastMasked = (await frameLog(call.page)).filter((f) => f.kind === 'masked' && f.t <= firstObscured.t).at(-1)!;
    const frozen = firstObscured.t - lastMasked.t;
    console.log(
      `[faults] 1.5 s stall: last masked frame shown ${frozen} ms before the placeholder (limit ${STALL_MS} ms + a frame), ` +
        `placeholder ${firstObscured.t - start} ms after the stall began, masked again ${back.t - stallEnd} ms after it ended; frames ${JSON.stringify(counts)}`,
    );
    // A frame at 30 fps, and the page's own presentation of it.
    expect(frozen).toBeLessThanOrEqual(STALL_MS + 2 * FRAME_MS + PRESENTATION_SLACK_MS);
    expect(counts.obscured).toBeGreaterThan(0);
  });

  it('an exception on every frame: error status, obscured; masked again when it stops', async () => {
    const worker = await maskWorker();
    const start = Date.now();
    // The mask's painters hand their picture over with putImageData (CPU) or drawImage (WebGL2).
    await worker.evaluate(() => {
      const proto = OffscreenCanvasRenderingContext2D.prototype as unknown as Record<string, unknown>;
      for (const name of ['putImageData', 'drawImage']) {
        proto[`__${name}`] = proto[name];
        proto[name] = () => {
          throw new Error(`injected fault in ${name}()`);
        };
      }
    });
    const error = await waitForTabState(call.sw!, call.page, (s) => s?.status === 'error', 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    const fixed = Date.now();
    await worker.evaluate(() => {
      const proto = OffscreenCanvasRenderingContext2D.prototype as unknown as Record<string, unknown>;
      for (const name of ['putImageData', 'drawImage']) proto[name] = proto[`__${name}`];
    });
    const back = await firstFrameAfter(call.page, fixed, 'masked', RECOVERY_LIMIT_MS);
    const counts = await checkSince(start);
    console.log(`[faults] exception per frame: status ${JSON.stringify(error?.problem)}, masked again ${back.t - fixed} ms after the fix; frames ${JSON.stringify(counts)}`);
    expect(error?.problem).toMatchObject({ kind: 'masking', detail: expect.stringMatching(/injected fault/) });
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
