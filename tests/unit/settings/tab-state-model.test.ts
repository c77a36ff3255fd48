import { describe, expect, it } from 'vitest';
import { TabStateModel } from '../../../src/settings/tab-state-model';

const TOP = (documentId: string) => ({ tabId: 7, frameId: 0, documentId });
const SUB = (documentId: string, frameId = 3) => ({ tabId: 7, frameId, documentId });

describe('TabStateModel: a pause belongs to the page it was made on', () => {
  it('masking is on for a tab nobody paused', () => {
    const m = new TabStateModel();
    m.connect('a', TOP('doc1'));
    expect(m.enabled(7)).toBe(true);
    expect(m.view(7)).toEqual({ status: 'idle', enabled: true });
  });

  it('keeps the pause while the same top document stays (history.pushState, hash changes: no new document)', () => {
    const m = new TabStateModel();
    m.connect('a', TOP('doc1'));
    m.report('a', { status: 'off' });
    m.setEnabled(7, false);
    // The document's port reconnects (the background restarted), the URL changed many times: same document.
    m.disconnect('a');
    m.connect('b', TOP('doc1'));
    m.report('b', { status: 'off' });
    expect(m.enabled(7)).toBe(false);
    expect(m.view(7)).toEqual({ status: 'off', enabled: false });
  });

  it('starts masked on a new top document (a real page load)', () => {
    const m = new TabStateModel();
    m.connect('a', TOP('doc1'));
    m.setEnabled(7, false);
    m.disconnect('a');
    m.connect('b', TOP('doc2'));
    expect(m.enabled(7)).toBe(true);
  });

  it('a frame the paused page adds later is paused with it', () => {
    const m = new TabStateModel();
    m.connect('a', TOP('doc1'));
    m.setEnabled(7, false);
    m.connect('b', SUB('frame1'));
    expect(m.enabled(7)).toBe(false);
  });

  it('where only an embedded frame runs telemask, the pause lasts while a paused document is there', () => {
    const m = new TabStateModel();
    m.connect('a', SUB('visit1'));
    m.setEnabled(7, false);
    m.connect('b', SUB('visit2', 4)); // a second frame of the same page, while the first is still there
    expect(m.enabled(7)).toBe(false);
    m.disconnect('a');
    m.disconnect('b');
    m.connect('c', SUB('visit3')); // the paused page is gone: a new page
    expect(m.enabled(7)).toBe(true);
  });

  it('reports only what live documents say, the most urgent first', () => {
    const m = new TabStateModel();
    m.connect('a', TOP('doc1'));
    m.connect('b', SUB('frame1'));
    m.report('a', { status: 'masking', perf: { fps: 30, maskMs: 20, latencyMs: 40 } });
    expect(m.view(7)).toEqual({ status: 'masking', enabled: true, perf: { fps: 30, maskMs: 20, latencyMs: 40 } });
    m.report('b', { status: 'error', problem: { kind: 'engine-start' } });
    expect(m.view(7)).toEqual({ status: 'error', problem: { kind: 'engine-start' }, enabled: true });
    m.disconnect('b');
    expect(m.view(7).status).toBe('masking');
    m.disconnect('a');
    expect(m.view(7).status).toBe('idle');
  });

  it('survives a restart of the background: the pause comes back from what was persisted', () => {
    const m = new TabStateModel();
    m.connect('a', TOP('doc1'));
    m.setEnabled(7, false);
    const restarted = new TabStateModel(JSON.parse(JSON.stringify(m.snapshot())));
    restarted.connect('x', TOP('doc1'));
    expect(restarted.enabled(7)).toBe(false);
    restarted.removeTab(7);
    expect(restarted.enabled(7)).toBe(true);
  });
});
