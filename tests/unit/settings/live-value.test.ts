import { describe, expect, it } from 'vitest';
import { LiveValue } from '../../../src/settings/live-value';

describe('LiveValue', () => {
  it('is readable at once and tells subscribers of changes until their signal aborts', () => {
    const v = new LiveValue({ enabled: true });
    const seen: boolean[] = [];
    const life = new AbortController();
    v.subscribe((x) => seen.push(x.enabled), life.signal);
    v.set({ enabled: false });
    v.set({ enabled: false }); // unchanged: no call
    expect(v.value).toEqual({ enabled: false });
    life.abort();
    v.set({ enabled: true });
    expect(seen).toEqual([false]);
  });
});
