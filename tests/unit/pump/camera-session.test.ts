/**
 * The camera session's logic with fake parts (clock, camera frames, sink, mask engines): what the
 * page's track gets on every path, in logical time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaskSettings, StatusReport } from '../../../src/channel/protocol';
import { LiveValue } from '../../../src/settings/live-value';
import { CameraSession } from '../../../src/pump/camera-session';
import { MAX_RETRY_AFTER_MS, RECONNECT_AFTER_MS, RETRY_AFTER_MS, START_TIMEOUT_MS } from '../../../src/pump/engine-supervisor';
import { STALL_MS } from '../../../src/pump/gate';
import { rng } from '../../support/random';
import { FakeClock, FakeEngines, FakeFrame, fakePath, settle, type Written } from './fakes';

class FakeStream {
  constructor(private readonly tracks: unknown[] = []) {}
  getAudioTracks() {
    return [];
  }
  getVideoTracks() {
    return this.tracks;
  }
}

class FakeCameraTrack extends EventTarget {
  stopped = false;
  stop() {
    this.stopped = true;
  }
}

const realMediaStream = (globalThis as { MediaStream?: unknown }).MediaStream;
beforeAll(() => {
  (globalThis as { MediaStream?: unknown }).MediaStream = FakeStream;
});
afterAll(() => {
  (globalThis as { MediaStream?: unknown }).MediaStream = realMediaStream;
});

const FRAME_MS = 33;

function setup(initial: MaskSettings = { enabled: true, style: 'digital', showReadout: false }) {
  const clock = new FakeClock();
  const engines = new FakeEngines();
  const path = fakePath();
  const settings = new LiveValue(initial);
  const statuses: StatusReport[] = [];
  const document = new AbortController();
  const cameraTrack = new FakeCameraTrack();
  let ended = 0;
  const session = new CameraSession(
    new FakeStream([cameraTrack]) as unknown as MediaStream,
    cameraTrack as unknown as MediaStreamTrack,
    path,
    settings,
    engines,
    { onStatus: (s) => statuses.push(s), onEnded: () => ended++ },
    document.signal,
    clock,
  );
  let ts = 0;
  /** One camera frame now; time moves on by a frame. */
  const frame = async (slowCopy = false) => {
    const f = new FakeFrame((ts += FRAME_MS * 1000), slowCopy);
    path.source.push(f);
    await settle();
    clock.advance(FRAME_MS);
    return f;
  };
  /** Until the first masked frame is written (the engine must have started). */
  const maskingNow = async () => {
    for (let i = 0; i < 5 && !path.sink.kinds().includes('masked'); i++) {
      await frame();
      engines.current.answer();
      await settle();
    }
    expect(path.sink.kinds()).toContain('masked');
  };
  return { clock, engines, path, settings, statuses, document, cameraTrack, session, frame, maskingNow, ended: () => ended };
}

describe('CameraSession', () => {
  it('shows the placeholder until the engine answers, then masked frames only', async () => {
    const s = setup();
    s.session.start();
    await s.frame();
    await s.frame();
    expect(s.path.sink.kinds()).toEqual(['obscured', 'obscured']);
    expect(s.engines.current.sent).toHaveLength(0); // nothing is sent while the model loads
    s.engines.current.start();
    await s.frame();
    // the third frame got the placeholder too: its masked picture is not written after it
    s.engines.current.answer();
    await s.frame();
    expect(s.path.sink.kinds()).toEqual(['obscured', 'obscured', 'obscured']);
    s.engines.current.answer();
    await settle();
    expect(s.path.sink.kinds()).toEqual(['obscured', 'obscured', 'obscured', 'masked']);
    expect(s.statuses.at(-1)?.status).toBe('masking');
  });

  it('sends one frame at a time, latest wins, even while the first frame is still being copied', async () => {
    const s = setup();
    s.session.start();
    s.engines.current.start();
    await s.maskingNow();
    const slow = await s.frame(true); // its pixels are still being copied
    const a = await s.frame();
    const b = await s.frame();
    expect(a.closed).toBe(true); // replaced by b as the next to send: dropped, never queued
    expect(b.closed).toBe(false);
    slow.release();
    await settle();
    expect(s.engines.current.sent).toHaveLength(1);
    s.engines.current.answer();
    await settle();
    expect(s.engines.current.sent).toHaveLength(1); // b went next
    expect(s.engines.current.sent[0]!.timestamp).toBe(b.timestamp);
  });

  it('a worker that hangs on one frame while another waits: the placeholder within STALL_MS and one frame', async () => {
    const s = setup();
    s.session.start();
    s.engines.current.start();
    await s.frame();
    s.engines.current.answer();
    await s.frame(); // in flight from here, never answered
    const hangStart = s.clock.now() - FRAME_MS;
    const before = s.path.sink.written.length;
    let placeholderAt = -1;
    for (let i = 0; i < 20 && placeholderAt < 0; i++) {
      await s.frame();
      if (s.path.sink.written.slice(before).some((w) => w.kind === 'obscured')) placeholderAt = s.clock.now() - FRAME_MS;
    }
    expect(placeholderAt - hangStart).toBeLessThanOrEqual(STALL_MS + FRAME_MS);
    expect(s.path.sink.written.slice(before).some((w) => w.kind === 'masked')).toBe(false);
  });

  it('builds the session from the settings as they are when it is created, and follows every change', async () => {
    const settings = { enabled: false, style: 'silhouette', showReadout: false } as const;
    const s = setup(settings);
    s.session.start();
    const raw = await s.frame();
    expect(s.path.sink.written).toEqual([{ kind: 'paused', frame: raw }]);
    s.settings.set({ enabled: true, style: 'digital', showReadout: false });
    await s.frame();
    expect(s.path.sink.written.at(-1)?.kind).toBe('obscured');
    s.engines.current.start();
    await s.frame();
    expect(s.engines.current.sent.at(-1)?.style).toBe('digital');
  });

  it('never writes a frame drawn in the style the patient just left', async () => {
    const s = setup({ enabled: true, style: 'silhouette', showReadout: false });
    s.session.start();
    s.engines.current.start();
    await s.frame();
    s.settings.set({ enabled: true, style: 'digital', showReadout: false }); // chosen while the silhouette frame is with the worker
    s.engines.current.answer();
    await s.frame();
    expect(s.path.sink.kinds().filter((k) => k === 'masked')).toEqual([]);
    s.engines.current.answer();
    await s.frame();
    s.engines.current.answer();
    await settle();
    expect(s.path.sink.kinds().at(-1)).toBe('masked');
  });

  it('replaces an engine that never starts, and says why', async () => {
    const s = setup();
    s.session.start();
    s.clock.advance(START_TIMEOUT_MS + 300);
    expect(s.engines.made).toHaveLength(2);
    expect(s.engines.released[0]).toMatchObject({ healthy: false });
    expect(s.statuses.some((x) => x.status === 'error' && x.problem?.kind === 'engine-start')).toBe(true);
  });

  it('replaces an engine that stops answering, and gives the next one a clean slate', async () => {
    const s = setup();
    s.session.start();
    s.engines.current.start();
    await s.frame();
    s.engines.current.answer();
    await s.frame(); // never answered
    for (let t = 0; t < RECONNECT_AFTER_MS + 500; t += FRAME_MS) await s.frame();
    expect(s.engines.made).toHaveLength(2);
    expect(s.engines.current.resets).toBe(1);
    expect(s.statuses.some((x) => x.status === 'error')).toBe(true);
  });

  it('says why an engine could not connect, and tries again', async () => {
    const s = setup();
    const failing = s.engines.acquire();
    s.engines.made = [];
    s.engines.acquire = () => {
      const e = s.engines.made.length === 0 ? failing : new (failing.constructor as typeof import('./fakes').FakeEngine)();
      s.engines.made.push(e);
      return e;
    };
    failing.connectResult = Promise.reject(new Error('the mask frame did not load within 10000 ms'));
    s.session.start();
    await settle();
    s.clock.advance(300);
    expect(s.statuses.at(-1)).toMatchObject({ status: 'error', problem: { kind: 'engine-start', detail: expect.stringMatching(/the mask frame did not load/) } });
    s.clock.advance(RETRY_AFTER_MS);
    expect(s.engines.made).toHaveLength(2);
  });

  it('an engine whose model failed to load: obscured and says why, then a new engine, later after each failure, masking once one loads', async () => {
    const s = setup();
    s.session.start();
    const loadsAt: number[] = [s.clock.now()];
    for (let i = 0; i < 4; i++) {
      const engine = s.engines.current;
      engine.fail();
      await s.frame();
      expect(s.statuses.at(-1)).toMatchObject({ status: 'error', problem: { kind: 'model' } });
      while (s.engines.current === engine && s.clock.now() < loadsAt.at(-1)! + 2 * MAX_RETRY_AFTER_MS) await s.frame();
      expect(s.engines.current, `load ${i + 2}`).not.toBe(engine);
      loadsAt.push(s.clock.now());
      expect(s.engines.released.at(-1)).toMatchObject({ engine, healthy: false });
    }
    const waits = loadsAt.slice(1).map((t, i) => t - loadsAt[i]!);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1]!);
    expect(waits[0]).toBeGreaterThanOrEqual(RETRY_AFTER_MS);
    expect(s.path.sink.kinds().every((k) => k === 'obscured')).toBe(true);
    s.engines.current.start();
    await s.maskingNow();
    expect(s.statuses.at(-1)).toMatchObject({ status: 'masking' });
  });

  it('a model that loads ends the back-off, even while no face is in view', async () => {
    const s = setup();
    s.session.start();
    // Three loads fail: the next wait has grown to 8 × RETRY_AFTER_MS.
    for (let i = 0; i < 3; i++) {
      const engine = s.engines.current;
      engine.fail();
      while (s.engines.current === engine) await s.frame();
    }
    // This one loads, and only ever sees no face; later its model is lost.
    const loaded = s.engines.current;
    loaded.start();
    for (let i = 0; i < 5; i++) {
      await s.frame();
      while (loaded.sent.length > 0) loaded.answer('no-face');
    }
    loaded.fail();
    const failedAt = s.clock.now();
    await s.frame();
    while (s.engines.current === loaded) await s.frame();
    expect(s.clock.now() - failedAt).toBeLessThan(2 * RETRY_AFTER_MS);
  });

  it('ends through one path: the document going away stops the camera, the sink and the engine', async () => {
    const s = setup();
    s.session.start();
    s.document.abort();
    await settle();
    expect(s.cameraTrack.stopped).toBe(true);
    expect(s.path.sink.closed).toBe(true);
    expect(s.path.source.cancelled).toBe(true);
    expect(s.engines.released).toHaveLength(1);
    expect(s.ended()).toBe(1);
  });

  it('ends when the camera ends', async () => {
    const s = setup();
    s.session.start();
    s.cameraTrack.dispatchEvent(new Event('ended'));
    await settle();
    expect(s.ended()).toBe(1);
    expect(s.session.ended).toBe(true);
  });
});

describe('CameraSession engine loss', () => {
  it('replaces an engine whose frame the page removed, without waiting for a timeout', async () => {
    const s = setup();
    s.session.start();
    s.engines.current.start();
    await s.frame();
    s.engines.current.removed = true;
    s.clock.advance(300);
    expect(s.engines.made).toHaveLength(2);
    expect(s.statuses.some((x) => x.status === 'error' && x.problem?.kind === 'engine-removed')).toBe(true);
  });

  it('writes every camera frame once at most, in camera order, through start, stalls, no face, style changes and pauses', async () => {
    const stamp = (w: Written) => (w.kind === 'paused' ? w.frame.timestamp : w.timestamp);
    for (let seed = 1; seed <= 20; seed++) {
      const r = rng(seed);
      const s = setup();
      s.session.start();
      for (let step = 0; step < 200; step++) {
        const x = r();
        const engine = s.engines.current;
        if (!engine.ready && x < 0.1) engine.start();
        else if (x < 0.55) await s.frame();
        else if (x < 0.8 && engine.sent.length) engine.answer(r() < 0.8 ? 'masked' : 'no-face');
        else if (x < 0.85) s.clock.advance(STALL_MS + 50); // a stall
        else if (x < 0.9) s.settings.set({ ...s.settings.value, style: r() < 0.5 ? 'blur' : 'digital' });
        else if (x < 0.95) s.settings.set({ ...s.settings.value, enabled: !s.settings.value.enabled });
        await settle();
      }
      const stamps = s.path.sink.written.map(stamp);
      for (let i = 1; i < stamps.length; i++) expect(stamps[i], `seed ${seed}, write ${i}`).toBeGreaterThan(stamps[i - 1]!);
      expect(s.path.sink.kinds(), `seed ${seed}`).toContain('masked');
    }
  });

  it('an engine slower than STALL_MS still shows its masked frames, not only the placeholder', async () => {
    const s = setup();
    s.session.start();
    s.engines.current.start();
    const maskedPerCycle: number[] = [];
    for (let cycle = 0; cycle < 30; cycle++) {
      const before = s.path.sink.kinds().filter((k) => k === 'masked').length;
      for (let i = 0; i < 9; i++) await s.frame(); // ~300 ms for each answer
      if (s.engines.current.sent.length) s.engines.current.answer();
      await settle();
      maskedPerCycle.push(s.path.sink.kinds().filter((k) => k === 'masked').length - before);
    }
    // after a few answers the gate knows the engine's pace: every answer is written
    expect(maskedPerCycle.slice(10)).toEqual(new Array(20).fill(1));
    expect(s.path.sink.kinds().slice(-20)).not.toContain('obscured');
  });
});
