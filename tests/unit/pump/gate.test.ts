import { describe, expect, it } from 'vitest';
import { FrameGate, LOST_MS, STALL_MS } from '../../../src/pump/gate';

/** A gate whose worker has masked one frame (sent at 0, answered at 10). */
function maskingGate(): FrameGate {
  const gate = new FrameGate('masking');
  gate.onSent(1, 0);
  expect(gate.onMasked(1, 1000)).toBe('write-masked');
  return gate;
}

describe('FrameGate', () => {
  it('shows the placeholder from the first frame until a masked frame arrives', () => {
    const gate = new FrameGate('masking');
    expect(gate.onCameraFrame(0, false)).toEqual({ kind: 'masking', send: false, hold: false, placeholder: true });
    expect(gate.status(0, false).status).toBe('starting');
    expect(gate.onCameraFrame(33, true)).toEqual({ kind: 'masking', send: true, hold: false, placeholder: true });
  });

  it('stops the placeholder while masked frames keep coming', () => {
    const gate = maskingGate();
    expect(gate.onCameraFrame(33, true)).toEqual({ kind: 'masking', send: true, hold: false, placeholder: false });
    expect(gate.status(33, true).status).toBe('masking');
  });

  it('sends one frame at a time and holds the newest while the worker is busy', () => {
    const gate = maskingGate();
    expect(gate.onCameraFrame(40, true)).toMatchObject({ send: true, hold: false });
    gate.onSent(2, 40);
    expect(gate.onCameraFrame(73, true)).toMatchObject({ send: false, hold: true });
    expect(gate.canSendHeld(true)).toBe(false);
    gate.onMasked(2, 2000);
    expect(gate.canSendHeld(true)).toBe(true);
    expect(gate.canSendHeld(false)).toBe(false);
  });

  it('treats a frame unanswered for longer than the stall limit as a stall: placeholder', () => {
    const gate = maskingGate();
    gate.onSent(2, 100);
    expect(gate.onCameraFrame(100 + STALL_MS, true)).toMatchObject({ placeholder: false });
    expect(gate.onCameraFrame(101 + STALL_MS, true)).toMatchObject({ placeholder: true });
    gate.onMasked(2, 2000);
    expect(gate.onCameraFrame(400, true)).toMatchObject({ placeholder: false });
  });

  it('frees the slot of a frame the worker never answers, and reports the stall', () => {
    const gate = maskingGate();
    gate.onSent(2, 100);
    expect(gate.onCameraFrame(100 + LOST_MS, true)).toMatchObject({ send: false, hold: true });
    expect(gate.onCameraFrame(101 + LOST_MS, true)).toMatchObject({ send: true, placeholder: true });
    expect(gate.status(101 + LOST_MS, true)).toMatchObject({ status: 'error' });
  });

  it('turns every obscured answer into placeholders and reports its cause', () => {
    const gate = maskingGate();
    gate.onSent(2, 10);
    gate.onObscured(2, 'no-face', undefined);
    expect(gate.onCameraFrame(20, true)).toMatchObject({ placeholder: true });
    expect(gate.status(20, true)).toEqual({ status: 'no-face', reason: undefined });
    gate.onSent(3, 30);
    gate.onObscured(3, 'error', 'boom');
    expect(gate.status(40, true)).toEqual({ status: 'error', reason: 'boom' });
  });

  it('drops masked answers older than what was already written', () => {
    const gate = maskingGate();
    gate.onSent(2, 20);
    expect(gate.onMasked(2, 500)).toBe('drop');
  });

  it('passes the camera through only in off mode, and covers the way back with placeholders', () => {
    const gate = maskingGate();
    gate.setMode('off');
    expect(gate.onCameraFrame(10, true)).toEqual({ kind: 'passthrough' });
    expect(gate.status(10, true).status).toBe('off');
    expect(gate.canSendHeld(true)).toBe(false);
    gate.onSent(2, 11);
    expect(gate.onMasked(2, 2000)).toBe('drop');
    gate.setMode('masking');
    expect(gate.onCameraFrame(13, true)).toMatchObject({ kind: 'masking', placeholder: true });
    expect(gate.status(13, true).status).toBe('starting');
  });

  it('forgets the old worker on reset', () => {
    const gate = maskingGate();
    gate.onSent(2, 0);
    gate.resetPipeline();
    expect(gate.stalledFor(5000)).toBe(0);
    expect(gate.status(5000, false).status).toBe('starting');
    expect(gate.onCameraFrame(5000, true)).toMatchObject({ send: true, placeholder: true });
  });

  it('measures latency from the camera, for the frame in flight only', () => {
    const gate = new FrameGate('masking');
    gate.onSent(1, 30, 10);
    expect(gate.latencyOf(1, 70)).toBe(60);
    expect(gate.latencyOf(2, 70)).toBeUndefined();
  });
});
