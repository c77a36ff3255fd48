/**
 * The safety net in the styles that show camera pixels: with a picture of many faces as the
 * camera (../shared/testdata/scenes/bald_guys.jpg, where the landmarker finds only a few), every
 * face must still be hidden. face-api's detector, run on the raw camera and on the output, is the
 * independent judge: it must find no face in the output where it found many in the camera.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitForTabState, waitForMasking } from '../../tools/chromium';
import { toFakeCamera } from '../../tools/fake-camera';
import type { StaticHttpsServer } from '../../tools/https-server';
import { openY4m } from '../../tools/y4m';
import { chromiumAvailable, grabFrames, openCall, startPagesServer, TELEHEALTH_URL, W, H, type CallSession } from '../support/e2e';
import { detectAll } from '../support/face-identity';
import { missingTestdataMessage, testdataFile } from '../support/testdata';

const scene = testdataFile('scenes/bald_guys.jpg');

describe.skipIf(!chromiumAvailable() || !scene)(
  `safety net: faces the landmarker misses are hidden too${scene ? '' : ` — ${missingTestdataMessage('this suite')}`}`,
  () => {
    let server: StaticHttpsServer;
    let call: CallSession;
    let rawFaces: number;

    beforeAll(async () => {
      server = await startPagesServer();
      const camera = await toFakeCamera(scene!, { seconds: 4 });
      const y4m = openY4m(camera);
      rawFaces = (await detectAll(new Uint8Array(y4m.rgba(0).buffer), W, H)).length;
      y4m.close();
      call = await openCall({ server, camera, url: TELEHEALTH_URL, extensionDir: inject('extensionDir') });
      await waitForMasking(call.sw!, call.page);
    });
    afterAll(async () => {
      await call?.close();
      await server?.close();
    });

    for (const style of ['silhouette', 'blur'] as const) {
      it(`${style}: face-api finds no face in the output`, async () => {
        // The patient picks the style in the toolbar popup (opened afresh: it closes when focus moves).
        await call.page.bringToFront();
        await call.sw!.evaluate(() =>
          (globalThis as unknown as { chrome: { action: { openPopup(): Promise<void> } } }).chrome.action.openPopup(),
        );
        const popup = await (await call.browser.waitForTarget((t) => t.url().endsWith('/popup.html'))).asPage();
        await popup.waitForSelector('input[name="style"]');
        await popup.click(`input[name="style"][value="${style}"]`);
        await popup.close();
        await waitForTabState(call.sw!, call.page, (s) => s?.status === 'masking', 30_000);
        await new Promise((r) => setTimeout(r, 2000));
        const { frames } = await grabFrames(call.page, 3);
        const found = await Promise.all(frames.map(async (f) => (await detectAll(f, W, H)).length));
        console.log(`[safety-net] ${style}: face-api finds ${rawFaces} faces in the camera, ${found.join('/')} in 3 output frames`);
        expect(rawFaces).toBeGreaterThan(5);
        expect(found).toEqual([0, 0, 0]);
      });
    }
  },
);
