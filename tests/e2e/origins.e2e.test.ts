/**
 * Origins: with the extension loaded, a page on a non-telehealth origin (https://not-telehealth.test/)
 * gets the raw camera, untouched: every output frame matches a raw frame of the clip closely, and the
 * track is the camera's own.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StaticHttpsServer } from '../../tools/https-server';
import {
  faceCameraWithRawFrames,
  OTHER_URL, SELFTEST, chromiumAvailable, fullRegion, grabFrames, nearest, openCall, rgbaToLuma, sampleRegion,
  startPagesServer,
} from '../support/e2e';

/** Raw passthrough measures ≈ 3 (colour conversions); a masked/obscured frame is far above. */
const RAW_MAX_DIFF = 6;
const FRAMES = 30;

describe.skipIf(!chromiumAvailable())('origins: non-telehealth pages get the raw camera', () => {
  let server: StaticHttpsServer;
  let camera: string;
  let raw: Uint8Array[];

  beforeAll(async () => {
    ({ camera, raw } = await faceCameraWithRawFrames());
    server = await startPagesServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  it('https://not-telehealth.test/ with the extension: frames equal raw camera frames', async () => {
    const session = await openCall({
      server,
      camera,
      url: OTHER_URL,
      extensionDir: SELFTEST ? undefined : inject('extensionDir'),
    });
    try {
      const info = await session.page.evaluate(() => (window as any).testCall.info()); // eslint-disable-line @typescript-eslint/no-explicit-any
      const iframes = await session.page.evaluate(() => Array.from(document.querySelectorAll('iframe')).map((f) => f.src));
      // let the extension (if it wrongly engaged) start up, then sample
      await new Promise((r) => setTimeout(r, 2000));
      const frames = await grabFrames(session.page, FRAMES);
      const diffs = frames.frames.map((f) => nearest(sampleRegion(rgbaToLuma(f), fullRegion()), raw).diff);
      console.log(
        `[origins] ${frames.frames.length} frames; nearest-raw luma diff max ${Math.max(...diffs).toFixed(2)}, ` +
          `mean ${(diffs.reduce((a, b) => a + b, 0) / diffs.length).toFixed(2)}; track label ${JSON.stringify(info.label)}; iframes ${JSON.stringify(iframes)}`,
      );
      expect(info.label).toBe(camera); // Chromium's fake device is labelled with the file path
      expect(iframes.filter((s: string) => s.startsWith('chrome-extension:'))).toEqual([]);
      expect(Math.max(...diffs)).toBeLessThan(RAW_MAX_DIFF);
    } finally {
      await session.close();
    }
  });
});
