import { describe, expect, it } from 'vitest';
import { FrameGate, LOST_MS, MAX_IN_FLIGHT, STALL_MS } from '../../../src/pump/gate';

describe('FrameGate', () => {
  it('shows the placeholder from the first frame until a masked frame arrives', () => {
    const gate = new FrameGate('masking');
    expect(gate.onCameraFrame(0, false)).toEqual({ kind: 'masking', send: false, placeholder: true });
    expect(gate.status(0, false).status).toBe('starting');
    const d = gate.onCameraFrame(33, true);
    expect(d).toEqual({ kind: 'masking', send: true, placeholder: true });
  });

  it('writes a fresh masked frame and stops the placeholder while masked frames keep coming', () => {
    const gate = new FrameGate('masking');
    gate.onCameraFrame(0, true);
    gate.onSent(1, 0);
    expect(gate.onMasked(1, 1000, 20)).toBe('write-masked');
    expect(gate.onCameraFrame(33, true)).toEqual({ kind: 'masking', send: true, placeholder: false });
    expect(gate.status(33, true).status).toBe('masking');
  });

  it('falls back to the placeholder when masked frames stop for longer than the stall limit', () => {
    const gate = new FrameGate('masking');
    gate.onSent(1, 0);
    gate.onMasked(1, 1000, 10);
    expect(gate.onCameraFrame(10 + STALL_MS, true)).toMatchObject({ placeholder: false });
    expect(gate.onCameraFrame(11 + STALL_MS, true)).toMatchObject({ placeholder: true });
  });

  it('keeps at most MAX_IN_FLIGHT frames travelling and drops the rest', () => {
    const gate = new FrameGate('masking');
    for (let i = 1; i <= MAX_IN_FLIGHT; i++) {
      expect(gate.onCameraFrame(i, true)).toMatchObject({ send: true });
      gate.onSent(i, i);
    }
    expect(gate.onCameraFrame(10, true)).toMatchObject({ send: false, placeholder: true });
  });

  it('frees the slots of frames the worker never answers, and reports the stall', () => {
    const gate = new FrameGate('masking');
    gate.onSent(1, 0);
    gate.onSent(2, 0);
    expect(gate.onCameraFrame(LOST_MS, true)).toMatchObject({ send: false });
    expect(gate.onCameraFrame(LOST_MS + 1, true)).toMatchObject({ send: true, placeholder: true });
    expect(gate.status(LOST_MS + 1, true)).toMatchObject({ status: 'error' });
  });

  it('turns every obscured answer into placeholders and reports its cause', () => {
    const gate = new FrameGate('masking');
    gate.onSent(1, 0);
    gate.onMasked(1, 1000, 5);
    gate.onSent(2, 10);
    gate.onObscured(2, 'no-face', undefined);
    expect(gate.onCameraFrame(20, true)).toMatchObject({ placeholder: true });
    expect(gate.status(20, true)).toEqual({ status: 'no-face', reason: undefined });
    gate.onSent(3, 30);
    gate.onObscured(3, 'error', 'boom');
    expect(gate.status(40, true)).toEqual({ status: 'error', reason: 'boom' });
  });

  it('drops masked answers older than what was already written', () => {
    const gate = new FrameGate('masking');
    gate.onSent(1, 0);
    gate.onSent(2, 1);
    expect(gate.onMasked(2, 2000, 10)).toBe('write-masked');
    expect(gate.onMasked(1, 1000, 11)).toBe('drop');
  });

  it('passes the camera through only in off mode, and covers the way back with placeholders', () => {
    const gate = new FrameGate('masking');
    gate.onSent(1, 0);
    gate.onMasked(1, 1000, 5);
    gate.setMode('off');
    expect(gate.onCameraFrame(10, true)).toEqual({ kind: 'passthrough' });
    expect(gate.status(10, true).status).toBe('off');
    gate.onSent(2, 11);
    expect(gate.onMasked(2, 2000, 12)).toBe('drop');
    gate.setMode('masking');
    expect(gate.onCameraFrame(13, true)).toMatchObject({ kind: 'masking', placeholder: true });
  });

  it('forgets the old worker on reset', () => {
    const gate = new FrameGate('masking');
    gate.onSent(1, 0);
    gate.onSent(2, 0);
    gate.resetPipeline();
    expect(gate.stalledFor(5000)).toBe(0);
    expect(gate.status(5000, false).status).toBe('starting');
    expect(gate.onCameraFrame(5000, true)).toMatchObject({ send: true, placeholder: true });
  });
});
