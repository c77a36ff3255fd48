import { describe, expect, it } from 'vitest';
import { FrameGate, LOST_MS, STALL_MS, type MaskingDecision, type SendTicket } from '../../../src/pump/gate';

const ON = { enabled: true, style: 'digital', showReadout: false } as const;
const OFF = { enabled: false, style: 'digital', showReadout: false } as const;

function masking(d: ReturnType<FrameGate['onCameraFrame']>): MaskingDecision {
  if (d.kind !== 'masking') throw new Error(`expected a masking decision, got ${d.kind}`);
  return d;
}

/** A gate whose worker has masked one frame (sent at 0, answered at 10). */
function maskingGate(): FrameGate {
  const gate = new FrameGate(ON);
  const t = masking(gate.onCameraFrame(0, true)).send!;
  expect(gate.onMasked(t.id, 1000, 'digital')).not.toBeNull();
  return gate;
}

describe('FrameGate', () => {
  it('shows the placeholder from the first frame until a masked frame arrives', () => {
    const gate = new FrameGate(ON);
    expect(gate.onCameraFrame(0, false)).toEqual({ kind: 'masking', send: null, hold: false, placeholder: true });
    expect(gate.status(0, false).status).toBe('starting');
    const d = masking(gate.onCameraFrame(33, true));
    expect(d).toMatchObject({ placeholder: true, hold: false });
    expect(d.send).not.toBeNull();
  });

  it('stops the placeholder while masked frames keep coming', () => {
    const gate = maskingGate();
    const d = masking(gate.onCameraFrame(33, true));
    expect(d.placeholder).toBe(false);
    expect(d.send).not.toBeNull();
    expect(gate.status(33, true).status).toBe('masking');
  });

  it('reserves the one worker slot when it decides to send: a second frame waits even before the first is copied', () => {
    const gate = maskingGate();
    const first = masking(gate.onCameraFrame(40, true));
    expect(first.send).not.toBeNull();
    // The first frame's pixels are still being copied (no send call yet): the slot is already taken.
    const second = masking(gate.onCameraFrame(41, true));
    expect(second).toMatchObject({ send: null, hold: true });
    expect(gate.sendHeld(42, true, 41)).toBeNull();
    gate.onMasked(first.send!.id, 2000, 'digital');
    expect(gate.sendHeld(50, false, 41)).toBeNull();
    expect(gate.sendHeld(50, true, 41)).not.toBeNull();
  });

  it('frees the slot of a ticket whose frame never reached the worker', () => {
    const gate = maskingGate();
    const t = masking(gate.onCameraFrame(40, true)).send!;
    gate.cancel(t);
    expect(masking(gate.onCameraFrame(41, true)).send).not.toBeNull();
    expect(gate.stalledFor(300)).toBeGreaterThan(0); // the second one is out
  });

  it('treats a frame unanswered for longer than the stall limit as a stall: placeholder', () => {
    const gate = maskingGate();
    const t = masking(gate.onCameraFrame(100, true)).send!;
    expect(masking(gate.onCameraFrame(100 + STALL_MS, true)).placeholder).toBe(false);
    expect(masking(gate.onCameraFrame(101 + STALL_MS, true)).placeholder).toBe(true);
    gate.onMasked(t.id, 2000, 'digital');
    expect(masking(gate.onCameraFrame(400, true)).placeholder).toBe(false);
  });

  it('keeps the stall clock of a hanging frame when an older one is answered late', () => {
    const gate = maskingGate();
    // Frame A hangs past LOST_MS: its slot is freed and frame B goes out.
    const a = masking(gate.onCameraFrame(100, true)).send!;
    const b = masking(gate.onCameraFrame(101 + LOST_MS, true)).send!;
    expect(b).not.toBeNull();
    // A's answer arrives late; B still hangs. The clock now runs from B, not from nothing.
    gate.onMasked(a.id, 1500, 'digital');
    const bSent = 101 + LOST_MS;
    expect(gate.stalledFor(bSent + STALL_MS + 1)).toBe(STALL_MS + 1);
    expect(masking(gate.onCameraFrame(bSent + STALL_MS + 1, true)).placeholder).toBe(true);
    gate.onMasked(b.id, 1600, 'digital');
    expect(gate.stalledFor(bSent + 400)).toBe(0);
  });

  it('frees the slot of a frame the worker never answers, and reports the stall', () => {
    const gate = maskingGate();
    masking(gate.onCameraFrame(100, true));
    expect(masking(gate.onCameraFrame(100 + LOST_MS, true))).toMatchObject({ send: null, hold: true });
    const d = masking(gate.onCameraFrame(101 + LOST_MS, true));
    expect(d.send).not.toBeNull();
    expect(d.placeholder).toBe(true);
    expect(gate.status(101 + LOST_MS, true)).toMatchObject({ status: 'error' });
  });

  it('turns every obscured answer into placeholders and reports its cause', () => {
    const gate = maskingGate();
    const t = masking(gate.onCameraFrame(10, true)).send!;
    gate.onObscured(t.id, 'no-face', undefined);
    const next = masking(gate.onCameraFrame(20, true));
    expect(next.placeholder).toBe(true);
    expect(gate.status(20, true)).toEqual({ status: 'no-face', problem: undefined });
    const u = next.send!;
    gate.onObscured(u.id, 'error', { kind: 'masking', detail: 'boom' });
    expect(gate.status(30, true)).toEqual({ status: 'error', problem: { kind: 'masking', detail: 'boom' } });
  });

  it('passes camera frames through only while paused, and only through the decision made then', () => {
    const gate = new FrameGate(OFF);
    const d = gate.onCameraFrame(0, true);
    expect(d.kind).toBe('passthrough');
    if (d.kind !== 'passthrough') return;
    const frame = { name: 'camera frame' };
    expect(d.pause(frame)?.frame).toBe(frame);
    expect(gate.status(0, true).status).toBe('off');
    // Masking comes back on before the decision is used: the frame is no longer let through.
    gate.apply(ON);
    expect(d.pause(frame)).toBeNull();
    expect(gate.onCameraFrame(1, true).kind).toBe('masking');
  });

  it('writes nothing masked while paused, and covers with the placeholder when masking comes back', () => {
    const gate = maskingGate();
    const t = masking(gate.onCameraFrame(10, true)).send!;
    gate.apply(OFF);
    expect(gate.onMasked(t.id, 3000, 'digital')).toBeNull();
    gate.apply(ON);
    expect(masking(gate.onCameraFrame(20, true)).placeholder).toBe(true);
    expect(gate.status(20, true).status).toBe('starting');
  });

  it('never writes an answer drawn in a style the patient has since left, and covers until the new style is drawn', () => {
    const gate = maskingGate();
    const silhouette: SendTicket = masking(gate.onCameraFrame(10, true)).send!;
    expect(silhouette.style).toBe('digital');
    gate.apply({ enabled: true, style: 'blur', showReadout: false });
    expect(gate.onMasked(silhouette.id, 2000, 'digital')).toBeNull();
    const d = masking(gate.onCameraFrame(20, true));
    expect(d.placeholder).toBe(true);
    expect(d.send?.style).toBe('blur');
    expect(gate.onMasked(d.send!.id, 2100, 'blur')).not.toBeNull();
    expect(masking(gate.onCameraFrame(30, true)).placeholder).toBe(false);
  });

  it('drops a masked frame older than one already written', () => {
    const gate = maskingGate();
    const a = masking(gate.onCameraFrame(10, true)).send!;
    expect(gate.onMasked(a.id, 500, 'digital')).toBeNull(); // 500 ≤ 1000 written before
  });

  it('forgets everything in flight when a new worker is connected', () => {
    const gate = maskingGate();
    masking(gate.onCameraFrame(10, true));
    gate.resetPipeline();
    expect(gate.stalledFor(5000)).toBe(0);
    const d = masking(gate.onCameraFrame(20, true));
    expect(d.placeholder).toBe(true);
    expect(d.send).not.toBeNull();
  });
});
