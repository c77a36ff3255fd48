import { describe, expect, it } from 'vitest';
import { FrameGate, LOST_MS, STALL_MS, type MaskingDecision, type SendTicket } from '../../../src/pump/gate';

const ON = { enabled: true, style: 'digital', showReadout: false } as const;
const OFF = { enabled: false, style: 'digital', showReadout: false } as const;

function masking(d: ReturnType<FrameGate['onCameraFrame']>): MaskingDecision {
  if (d.kind !== 'masking') throw new Error(`expected a masking decision, got ${d.kind}`);
  return d;
}

/**
 * A gate whose worker masks: the first frame (at 0) got the placeholder, so its answer is not
 * written; the next one (at 5) is. Every frame's timestamp here is its arrival time.
 */
function maskingGate(): FrameGate {
  const gate = new FrameGate(ON);
  const first = masking(gate.onCameraFrame(0, true, 0));
  expect(first.placeholder).toBe(true);
  expect(gate.onMasked(0, first.send!.id, 0, 'digital')).toBeNull();
  const second = masking(gate.onCameraFrame(5, true, 5));
  expect(second.placeholder).toBe(false);
  expect(gate.onMasked(5, second.send!.id, 5, 'digital')).not.toBeNull();
  return gate;
}

describe('FrameGate', () => {
  it('shows the placeholder from the first frame until a masked frame arrives', () => {
    const gate = new FrameGate(ON);
    expect(gate.onCameraFrame(0, false, 0)).toEqual({ kind: 'masking', send: null, hold: false, placeholder: true });
    expect(gate.status(0, false).status).toBe('starting');
    const d = masking(gate.onCameraFrame(33, true, 33));
    expect(d).toMatchObject({ placeholder: true, hold: false });
    expect(d.send).not.toBeNull();
  });

  it('stops the placeholder while masked frames keep coming', () => {
    const gate = maskingGate();
    const d = masking(gate.onCameraFrame(33, true, 33));
    expect(d.placeholder).toBe(false);
    expect(d.send).not.toBeNull();
    expect(gate.status(33, true).status).toBe('masking');
  });

  it('reserves the one worker slot when it decides to send: a second frame waits even before the first is copied', () => {
    const gate = maskingGate();
    const first = masking(gate.onCameraFrame(40, true, 40));
    expect(first.send).not.toBeNull();
    // The first frame's pixels are still being copied (no send call yet): the slot is already taken.
    const second = masking(gate.onCameraFrame(41, true, 41));
    expect(second).toMatchObject({ send: null, hold: true });
    expect(gate.sendHeld(42, true, 41)).toBeNull();
    gate.onMasked(45, first.send!.id, 40, 'digital');
    expect(gate.sendHeld(50, false, 41)).toBeNull();
    expect(gate.sendHeld(50, true, 41)).not.toBeNull();
  });

  it('frees the slot of a ticket whose frame never reached the worker', () => {
    const gate = maskingGate();
    const t = masking(gate.onCameraFrame(40, true, 40)).send!;
    gate.cancel(t);
    expect(masking(gate.onCameraFrame(41, true, 41)).send).not.toBeNull();
    expect(gate.stalledFor(300)).toBeGreaterThan(0); // the second one is out
  });

  it('treats a frame unanswered for longer than the stall limit as a stall: placeholder', () => {
    const gate = maskingGate();
    const t = masking(gate.onCameraFrame(100, true, 100)).send!;
    expect(masking(gate.onCameraFrame(100 + STALL_MS, true, 100 + STALL_MS)).placeholder).toBe(false);
    expect(masking(gate.onCameraFrame(101 + STALL_MS, true, 101 + STALL_MS)).placeholder).toBe(true);
    // t's answer comes after the placeholder of a newer frame: not written, but the worker masks again
    expect(gate.onMasked(305, t.id, 100, 'digital')).toBeNull();
    expect(masking(gate.onCameraFrame(400, true, 400)).placeholder).toBe(false);
  });

  it('keeps the stall clock of a hanging frame when an older one is answered late', () => {
    const gate = maskingGate();
    // Frame A hangs past LOST_MS: its slot is freed and frame B goes out.
    const a = masking(gate.onCameraFrame(100, true, 100)).send!;
    const b = masking(gate.onCameraFrame(101 + LOST_MS, true, 101 + LOST_MS)).send!;
    expect(b).not.toBeNull();
    // A's answer arrives late; B still hangs. The clock now runs from B, not from nothing.
    gate.onMasked(102 + LOST_MS, a.id, 100, 'digital');
    const bSent = 101 + LOST_MS;
    expect(gate.stalledFor(bSent + STALL_MS + 1)).toBe(STALL_MS + 1);
    expect(masking(gate.onCameraFrame(bSent + STALL_MS + 1, true, bSent + STALL_MS + 2)).placeholder).toBe(true);
    gate.onMasked(bSent + 300, b.id, bSent, 'digital');
    expect(gate.stalledFor(bSent + 400)).toBe(0);
  });

  it('frees the slot of a frame the worker never answers, and reports the stall', () => {
    const gate = maskingGate();
    masking(gate.onCameraFrame(100, true, 100));
    expect(masking(gate.onCameraFrame(100 + LOST_MS, true, 100 + LOST_MS))).toMatchObject({ send: null, hold: true });
    const d = masking(gate.onCameraFrame(101 + LOST_MS, true, 101 + LOST_MS));
    expect(d.send).not.toBeNull();
    expect(d.placeholder).toBe(true);
    expect(gate.status(101 + LOST_MS, true)).toMatchObject({ status: 'error' });
  });

  it('turns every obscured answer into placeholders and reports its cause', () => {
    const gate = maskingGate();
    const t = masking(gate.onCameraFrame(10, true, 10)).send!;
    gate.onObscured(15, t.id, 'no-face', undefined);
    const next = masking(gate.onCameraFrame(20, true, 20));
    expect(next.placeholder).toBe(true);
    expect(gate.status(20, true)).toEqual({ status: 'no-face', problem: undefined });
    const u = next.send!;
    gate.onObscured(25, u.id, 'error', { kind: 'masking', detail: 'boom' });
    expect(gate.status(30, true)).toEqual({ status: 'error', problem: { kind: 'masking', detail: 'boom' } });
  });

  it('passes camera frames through only while paused, and only through the decision made then', () => {
    const gate = new FrameGate(OFF);
    const d = gate.onCameraFrame(0, true, 0);
    expect(d.kind).toBe('passthrough');
    if (d.kind !== 'passthrough') return;
    const frame = { name: 'camera frame' };
    expect(d.pause(frame)?.frame).toBe(frame);
    expect(gate.status(0, true).status).toBe('off');
    // Masking comes back on before the decision is used: the frame is no longer let through.
    gate.apply(ON);
    expect(d.pause(frame)).toBeNull();
    expect(gate.onCameraFrame(1, true, 1).kind).toBe('masking');
  });

  it('writes nothing masked while paused, and covers with the placeholder when masking comes back', () => {
    const gate = maskingGate();
    const t = masking(gate.onCameraFrame(10, true, 10)).send!;
    gate.apply(OFF);
    expect(gate.onMasked(12, t.id, 10, 'digital')).toBeNull();
    gate.apply(ON);
    expect(masking(gate.onCameraFrame(20, true, 20)).placeholder).toBe(true);
    expect(gate.status(20, true).status).toBe('starting');
  });

  it('never writes an answer drawn in a style the patient has since left, and covers until the new style is drawn', () => {
    const gate = maskingGate();
    const silhouette: SendTicket = masking(gate.onCameraFrame(10, true, 10)).send!;
    expect(silhouette.style).toBe('digital');
    gate.apply({ enabled: true, style: 'blur', showReadout: false });
    expect(gate.onMasked(12, silhouette.id, 10, 'digital')).toBeNull();
    const d = masking(gate.onCameraFrame(20, true, 20));
    expect(d.placeholder).toBe(true);
    expect(d.send?.style).toBe('blur');
    // drawn in blur, but frame 20 already got the placeholder: the next frame is the first blurred one
    expect(gate.onMasked(25, d.send!.id, 20, 'blur')).toBeNull();
    const e = masking(gate.onCameraFrame(30, true, 30));
    expect(e.placeholder).toBe(false);
    expect(gate.onMasked(35, e.send!.id, 30, 'blur')).not.toBeNull();
  });

  it('drops a masked frame older than one already written', () => {
    const gate = maskingGate();
    const a = masking(gate.onCameraFrame(10, true, 10)).send!;
    expect(gate.onMasked(12, a.id, 4, 'digital')).toBeNull(); // 4 ≤ 5, written before
  });

  it('writes a camera frame once at most: a frame that got the placeholder never gets its masked picture after it', () => {
    const gate = new FrameGate(ON);
    const first = masking(gate.onCameraFrame(0, true, 0));
    expect(first.placeholder).toBe(true);
    const second = masking(gate.onCameraFrame(33, true, 33)); // held, and covered too
    expect(second).toMatchObject({ placeholder: true, hold: true });
    expect(gate.onMasked(40, first.send!.id, 0, 'digital')).toBeNull();
    expect(gate.canWrite(33)).toBe(false); // the held frame is not worth sending
    expect(gate.status(40, true).status).toBe('masking');
    const third = masking(gate.onCameraFrame(66, true, 66));
    expect(third.placeholder).toBe(false);
    expect(gate.onMasked(70, third.send!.id, 66, 'digital')).not.toBeNull();
  });

  it('does not call a slow engine stalled: the limit follows twice its usual answer time', () => {
    const gate = maskingGate();
    expect(gate.stallLimit()).toBe(STALL_MS);
    let t = 10;
    for (let i = 0; i < 8; i++, t += 300) {
      const d = masking(gate.onCameraFrame(t, true, t));
      expect(d.placeholder, `frame ${i}`).toBe(false);
      expect(gate.onMasked(t + 250, d.send!.id, t, 'digital'), `frame ${i}`).not.toBeNull();
    }
    expect(gate.stallLimit()).toBe(500);
    // a frame 250 ms into the next answer is still covered by the last masked one
    const d = masking(gate.onCameraFrame(t, true, t));
    expect(masking(gate.onCameraFrame(t + 250, true, t + 250))).toMatchObject({ placeholder: false, hold: true });
    expect(masking(gate.onCameraFrame(t + 501, true, t + 501)).placeholder).toBe(true);
    expect(gate.onMasked(t + 600, d.send!.id, t, 'digital')).toBeNull();
  });

  it('never lets the stall limit pass LOST_MS', () => {
    const gate = maskingGate();
    for (let i = 0, t = 10; i < 8; i++, t += 2000) gate.onMasked(t + 900, masking(gate.onCameraFrame(t, true, t)).send!.id, t, 'digital');
    expect(gate.stallLimit()).toBe(LOST_MS);
  });

  it('lets a paused frame through only if it is newer than every frame written', () => {
    const gate = maskingGate(); // wrote 5
    gate.apply(OFF);
    const late = gate.onCameraFrame(10, true, 4);
    expect(late.kind === 'passthrough' && late.pause({})).toBeNull();
    const next = gate.onCameraFrame(11, true, 6);
    expect(next.kind === 'passthrough' && next.pause({})).not.toBeNull();
  });

  it('forgets everything in flight when a new worker is connected', () => {
    const gate = maskingGate();
    masking(gate.onCameraFrame(10, true, 10));
    gate.resetPipeline();
    expect(gate.stalledFor(5000)).toBe(0);
    const d = masking(gate.onCameraFrame(20, true, 20));
    expect(d.placeholder).toBe(true);
    expect(d.send).not.toBeNull();
  });
});
