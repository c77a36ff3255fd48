/**
 * A window Chrome reuses from its initial about:blank (a same-origin iframe given a src, a popup
 * opened on a URL) gets a new document in the old window. There, Chromium's
 * MediaStreamTrackProcessor in telemask's isolated world starves: the camera counts 30 frames a
 * second delivered while the processor gets one every few seconds, or none for tens of seconds
 * (docs/frame-path.md). The page then saw a frozen, masked picture. The camera source falls back
 * to a playing <video> of the camera when that happens (src/pump/starved-source.ts): every such
 * window must get masked frames at the camera's pace, and never a raw one.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chromiumAvailable, openMaskedCall, type CallSession, type MaskedCall } from '../support/e2e';
import { classifyStream, PROBE_OPTIONS, type ProbeResult } from '../support/frame-probe';

/** Windows opened one after another: before the fallback, about half of them starved. */
const WINDOWS = 8;

describe.skipIf(!chromiumAvailable())('windows reused from about:blank get masked frames at the camera pace', () => {
  let session: MaskedCall;
  let call: CallSession;

  beforeAll(async () => {
    session = await openMaskedCall(inject('extensionDir'));
    call = session.call;
    await call.page.evaluate(`window.probe = ${classifyStream.toString()}`);
  });
  afterAll(() => session?.close());

  /** Page code opening a window on `url` (a path with a query of its own) and returning it. */
  const opens: [string, (url: string) => string][] = [
    ['a same-origin iframe', (url) => `const f = document.createElement('iframe'); f.src = '${url}'; document.body.append(f); return f.contentWindow;`],
    ['a popup', (url) => `return window.open('${url}', '_blank', 'popup');`],
  ];

  for (const [name, open] of opens) {
    it(`${name}, ${WINDOWS} times: ${PROBE_OPTIONS.masked} masked frames each, no raw`, async () => {
      const results: ProbeResult[] = [];
      for (let n = 0; n < WINDOWS; n++) {
        const query = `?window${n}`;
        const result = (await call.page.evaluate(`(async () => {
          const w = (() => { ${open(`/empty.html${query}`)} })();
          while (w.location.search !== '${query}' || w.document.readyState !== 'complete') await new Promise((r) => setTimeout(r, 20));
          const stream = await w.navigator.mediaDevices.getUserMedia({ video: true });
          const result = await window.probe(stream, ${JSON.stringify(PROBE_OPTIONS)});
          if (w.opener) w.close(); // a popup; an iframe stays, as a page's would
          return result;
        })()`)) as ProbeResult;
        const count = (k: string) => result.kinds.filter((x) => x === k).length;
        console.log(`[reused-window] ${name} ${n}: ${result.kinds.length} frames, masked ${count('masked')} (first at ${result.firstAt.masked ?? '-'} ms), obscured ${count('obscured')}, raw ${count('raw')}`);
        results.push(result);
      }
      expect(results.flatMap((r) => r.kinds.filter((k) => k === 'raw'))).toEqual([]);
      expect(results.map((r) => r.kinds.filter((k) => k === 'masked').length)).toEqual(results.map(() => PROBE_OPTIONS.masked));
    });
  }
});
