/**
 * The MAIN world's camera client over a real MessageChannel, with the isolated world played by the
 * test: every request ends — with its reply, with its session, with the isolated world, or on time.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PageReply, PageRequest } from '../../../src/channel/protocol';
import { ANSWER_TIMEOUT_MS, CameraClient } from '../../../src/hook/camera-client';

function setup() {
  const { port1, port2 } = new MessageChannel();
  const video = { srcObject: null as unknown };
  const client = new CameraClient({ port: port1, video: video as unknown as HTMLVideoElement });
  const requests: PageRequest[] = [];
  port2.onmessage = (e: MessageEvent<PageRequest>) => requests.push(e.data);
  const reply = (r: PageReply) => port2.postMessage(r);
  const next = async () => {
    for (let i = 0; i < 50 && requests.length === 0; i++) await new Promise((r) => setTimeout(r, 2));
    return requests.shift()!;
  };
  const close = () => {
    port1.close();
    port2.close();
  };
  return { client, reply, next, video, close };
}

afterEach(() => vi.useRealTimers());

describe('CameraClient', () => {
  it('raises a refused camera as the error it was', async () => {
    const s = setup();
    const opened = s.client.open(true, undefined);
    const req = await s.next();
    s.reply({ type: 'open-failed', id: (req as { id: number }).id, error: { name: 'NotAllowedError', message: 'Permission denied' } });
    await expect(opened).rejects.toMatchObject({ name: 'NotAllowedError', message: 'Permission denied' });
    s.close();
  });

  it('ends a pending applyConstraints when its session ends', async () => {
    const s = setup();
    const applied = s.client.apply(3, { width: 320 });
    await s.next();
    s.reply({ type: 'ended', session: 3 });
    await expect(applied).rejects.toMatchObject({ name: 'InvalidStateError' });
    s.close();
  });

  it('ends every pending request when the isolated world goes away, and refuses new ones', async () => {
    const s = setup();
    const opened = s.client.open(true, undefined);
    const applied = s.client.apply(1, {});
    await s.next();
    s.reply({ type: 'closed' });
    await expect(opened).rejects.toMatchObject({ name: 'NotReadableError' });
    await expect(applied).rejects.toMatchObject({ name: 'InvalidStateError' });
    await expect(s.client.open(true, undefined)).rejects.toMatchObject({ name: 'NotReadableError' });
    s.close();
  });

  it('gives up on an applyConstraints nobody answers', async () => {
    vi.useFakeTimers();
    const s = setup();
    const applied = s.client.apply(1, {});
    const failed = expect(applied).rejects.toMatchObject({ name: 'AbortError' });
    await vi.advanceTimersByTimeAsync(ANSWER_TIMEOUT_MS + 1);
    await failed;
    s.close();
  });
});
