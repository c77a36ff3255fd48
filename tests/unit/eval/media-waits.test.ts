import { describe, expect, it } from 'vitest';
import { clipFrameSize, photoFrameGeometry, sniffImage } from '../../../eval/media';
import { deadline, stallWatch, TimeoutError, Waits } from '../../../eval/waits';

describe('photo frames and clip sizes', () => {
  it('a huge photo becomes a camera-sized frame, a small one is only padded', () => {
    const big = photoFrameGeometry(3061, 4600);
    expect(Math.max(big.width, big.height)).toBeLessThanOrEqual(1280);
    expect(big.photo.height / big.height).toBeCloseTo(0.5, 2);
    expect(big.photo.x + big.photo.width).toBeLessThanOrEqual(big.width);
    const small = photoFrameGeometry(250, 250);
    expect(small).toMatchObject({ width: 500, height: 500, scale: 1, photo: { x: 125, y: 125, width: 250, height: 250 } });
    expect(clipFrameSize(512, 512)).toEqual({ width: 512, height: 512 });
    expect(clipFrameSize(3840, 2160)).toEqual({ width: 1920, height: 1080 });
    expect(clipFrameSize(1080, 1920)).toEqual({ width: 1080, height: 1920 });
    expect(clipFrameSize(2160, 3840)).toEqual({ width: 1080, height: 1920 });
  });

  it('tells an image by its bytes, not its name', () => {
    const riff = [0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50];
    expect(sniffImage(Uint8Array.from(riff))).toBe('webp');
    expect(sniffImage(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffImage(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('png');
    expect(sniffImage(new TextEncoder().encode('hello, not an image'))).toBeUndefined();
  });
});

describe('named deadlines', () => {
  it('a wait that never ends fails with what it waited for', async () => {
    await expect(deadline(new Promise(() => undefined), 20, 'the mask worker')).rejects.toThrow(/timed out after 0.0 s waiting for the mask worker/);
    await expect(deadline(Promise.resolve(3), 20, 'x')).resolves.toBe(3);
    const w = new Waits();
    const p = w.track('face-api embed of photo a', new Promise(() => undefined), 30);
    expect(w.describeOldest()).toMatch(/^face-api embed of photo a \(0 s\)$/);
    await expect(p).rejects.toBeInstanceOf(TimeoutError);
    expect(w.list()).toEqual([]);
  });

  it('the stall watch fires when progress stops, naming what was running', async () => {
    const last = Date.now();
    const s = stallWatch(() => last, 40, () => 'page 0: photos digital frame 3/10');
    await expect(s.stalled).rejects.toThrow(/no progress for .*page 0: photos digital frame 3\/10/);
    s.stop();
  });
});
