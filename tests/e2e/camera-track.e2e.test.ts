/**
 * The masked track behaves like the camera track it stands for (docs/design.md §Pipeline): the page
 * sees the camera's label and settings from the start, its constraints reach the camera, clones
 * stay masked, audio passes through untouched, and the camera stops when the last track stops.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitForTabState, waitForMasking } from '../../tools/chromium';
import { toFakeCamera } from '../../tools/fake-camera';
import type { StaticHttpsServer } from '../../tools/https-server';
import { chromiumAvailable, MASK_BACKGROUND_RGB, openCall, startPagesServer, TELEHEALTH_URL, type CallSession } from '../support/e2e';
import { faceClip } from '../support/testdata';

/** What a video element showing `track` presents: its size and its top-left corner's colour. */
async function presented(page: Page, expr: 'clone' | 'main'): Promise<{ width: number; height: number; corner: number[] }> {
  return page.evaluate(async (which) => {
    const w = window as unknown as { testCall: { track: MediaStreamTrack }; cloned?: MediaStreamTrack };
    const track = which === 'clone' ? w.cloned! : w.testCall.track;
    const video = document.createElement('video');
    video.muted = true;
    document.body.append(video);
    video.srcObject = new MediaStream([track]);
    await video.play();
    // Two fresh frames after the stream starts: the second reflects the current size.
    for (let i = 0; i < 2 || video.videoWidth === 0; i++) {
      await new Promise<void>((resolve) => video.requestVideoFrameCallback(() => resolve()));
    }
    const canvas = new OffscreenCanvas(video.videoWidth, video.videoHeight);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(video, 0, 0);
    const corner = Array.from(ctx.getImageData(2, 2, 1, 1).data.slice(0, 3));
    const size = { width: video.videoWidth, height: video.videoHeight };
    video.srcObject = null;
    video.remove();
    return { ...size, corner };
  }, expr);
}

const MASK_BACKGROUND = [...MASK_BACKGROUND_RGB];
const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) <= 6);

describe.skipIf(!chromiumAvailable())('the masked track looks like a camera track', () => {
  let server: StaticHttpsServer;
  let call: CallSession;

  beforeAll(async () => {
    server = await startPagesServer();
    call = await openCall({ server, camera: await toFakeCamera(faceClip()), url: TELEHEALTH_URL, extensionDir: inject('extensionDir') });
    await waitForMasking(call.sw!, call.page);
  });
  afterAll(async () => {
    await call?.close();
    await server?.close();
  });

  it('reports the camera label and settings at once, and passes audio through', async () => {
    const r = await call.page.evaluate(async () => {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: true });
      const [video] = stream.getVideoTracks();
      const [audio] = stream.getAudioTracks();
      const settings = video!.getSettings(); // before any frame was produced
      const out = {
        kind: video!.kind,
        label: video!.label,
        settings,
        constraints: video!.getConstraints(),
        audio: audio ? { label: audio.label, readyState: audio.readyState } : null,
        mainLabel: (window as unknown as { testCall: { track: MediaStreamTrack } }).testCall.track.label,
      };
      for (const t of stream.getTracks()) t.stop();
      return out;
    });
    expect(r.kind).toBe('video');
    expect(r.label).toMatch(/\.y4m$/); // the fake camera's own label, not a generator's random one
    expect(r.label).toBe(r.mainLabel);
    expect(r.settings).toMatchObject({ width: 640, height: 480, frameRate: 30 });
    expect(r.settings.deviceId).toBeTruthy();
    expect(r.constraints).toMatchObject({ width: 640, height: 480 });
    expect(r.audio?.readyState).toBe('live');
    expect(r.audio?.label).toBeTruthy();
  });

  it('forwards applyConstraints to the camera; the output follows, still masked', async () => {
    const settings = await call.page.evaluate(async () => {
      const track = (window as unknown as { testCall: { track: MediaStreamTrack } }).testCall.track;
      await track.applyConstraints({ width: 320, height: 240 });
      return track.getSettings();
    });
    expect(settings).toMatchObject({ width: 320, height: 240 });
    await new Promise((r) => setTimeout(r, 1500));
    const shown = await presented(call.page, 'main');
    const state = await waitForTabState(call.sw!, call.page, () => true);
    await call.page.evaluate(() =>
      (window as unknown as { testCall: { track: MediaStreamTrack } }).testCall.track.applyConstraints({ width: 640, height: 480 }),
    );
    expect([shown.width, shown.height]).toEqual([320, 240]);
    expect(near(shown.corner, MASK_BACKGROUND), `corner ${shown.corner}, tab ${JSON.stringify(state)}`).toBe(true);
  });

  it('forwards a frame-rate constraint; the output stays masked', async () => {
    const settings = await call.page.evaluate(async () => {
      const track = (window as unknown as { testCall: { track: MediaStreamTrack } }).testCall.track;
      await track.applyConstraints({ frameRate: 15 });
      return track.getSettings();
    });
    expect(settings.frameRate).toBe(15);
    await new Promise((r) => setTimeout(r, 1000));
    expect(near((await presented(call.page, 'main')).corner, MASK_BACKGROUND)).toBe(true);
    await call.page.evaluate(() =>
      (window as unknown as { testCall: { track: MediaStreamTrack } }).testCall.track.applyConstraints({ frameRate: 30 }),
    );
  });

  it('handles deviceId constraints like a camera: the same camera is kept, an unknown one is refused', async () => {
    const r = await call.page.evaluate(async () => {
      const track = (window as unknown as { testCall: { track: MediaStreamTrack } }).testCall.track;
      const devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
      const id = track.getSettings().deviceId!;
      await track.applyConstraints({ deviceId: { exact: id } });
      const unknown = await track.applyConstraints({ deviceId: { exact: 'no-such-camera' } }).then(
        () => 'applied',
        (e: DOMException) => e.name,
      );
      return { listed: devices.some((d) => d.deviceId === id), unknown, readyState: track.readyState };
    });
    // This machine's fake capture offers one camera, so a switch to a second one is not exercised.
    expect(r).toEqual({ listed: true, unknown: 'OverconstrainedError', readyState: 'live' });
    await new Promise((res) => setTimeout(res, 500));
    expect(near((await presented(call.page, 'main')).corner, MASK_BACKGROUND)).toBe(true);
  });

  it('keeps clones masked, and stops the camera only when the last track stops', async () => {
    const clone = await call.page.evaluate(() => {
      const w = window as unknown as { testCall: { track: MediaStreamTrack }; cloned?: MediaStreamTrack };
      w.cloned = w.testCall.track.clone();
      return { label: w.cloned.label, settings: w.cloned.getSettings(), readyState: w.cloned.readyState };
    });
    expect(clone.label).toMatch(/\.y4m$/);
    expect(clone.settings).toMatchObject({ width: 640, height: 480 });
    await new Promise((r) => setTimeout(r, 1000));
    expect(near((await presented(call.page, 'clone')).corner, MASK_BACKGROUND)).toBe(true);

    await call.page.evaluate(() => (window as unknown as { testCall: { track: MediaStreamTrack } }).testCall.track.stop());
    await new Promise((r) => setTimeout(r, 1000));
    // The original is stopped, the clone still shows the mask: the camera is still in use.
    expect(near((await presented(call.page, 'clone')).corner, MASK_BACKGROUND)).toBe(true);
    expect((await waitForTabState(call.sw!, call.page, () => true))?.status).not.toBe('idle');

    await call.page.evaluate(() => (window as unknown as { cloned: MediaStreamTrack }).cloned.stop());
    const state = await waitForTabState(call.sw!, call.page, (s) => s?.status === 'idle', 10_000);
    expect(state?.status).toBe('idle');
  });
});
