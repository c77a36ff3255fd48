import { describe, expect, it } from 'vitest';
import { SessionFrames } from '../../../src/pump/session-frames';

describe('SessionFrames', () => {
  it('hands an answer back under the number its session gave the frame', () => {
    const frames = new SessionFrames();
    const a = frames.outgoing(1);
    const b = frames.outgoing(2);
    expect(frames.answered(a)).toBe(1);
    expect(frames.answered(b)).toBe(2);
  });

  it('drops an answer to a frame the last session sent, even when the new session numbers a frame the same', () => {
    const frames = new SessionFrames();
    frames.outgoing(1);
    const old = frames.outgoing(2); // still with the worker when its session ends
    frames.reset(); // the next session starts on the warm engine
    const fresh = frames.outgoing(2);
    expect(fresh).not.toBe(old);
    expect(frames.answered(old)).toBeNull();
    expect(frames.answered(fresh)).toBe(2);
  });

  it('an answer settles the frames sent before it (answers come in order), and each answer counts once', () => {
    const frames = new SessionFrames();
    const first = frames.outgoing(1);
    const second = frames.outgoing(2);
    const third = frames.outgoing(3);
    expect(frames.answered(second)).toBe(2);
    expect(frames.answered(first)).toBeNull();
    expect(frames.answered(second)).toBeNull();
    expect(frames.answered(third)).toBe(3);
  });
});
