import { describe, expect, it } from 'vitest';
import { DEFAULT_TAB_STATE, mergeTabState, toggledTabState } from '../../../src/settings/tab-state';

describe('tab state', () => {
  it('starts masked', () => {
    expect(DEFAULT_TAB_STATE).toEqual({ status: 'idle', enabled: true });
  });

  it('keeps a reason only with an error, and drops a stale one when the status moves on', () => {
    const error = mergeTabState(DEFAULT_TAB_STATE, { status: 'error', reason: 'Face model failed to load' });
    expect(error).toEqual({ status: 'error', reason: 'Face model failed to load', enabled: true });
    expect(mergeTabState(error, { status: 'masking' })).toEqual({ status: 'masking', enabled: true });
    expect(mergeTabState(error, { status: 'error' })).toEqual({ status: 'error', enabled: true });
    expect(mergeTabState(error, { enabled: true })).toEqual(error);
  });

  it('shows off at once when paused, and starting until masked frames flow again', () => {
    const masking = { status: 'masking', enabled: true } as const;
    const off = toggledTabState(masking, false);
    expect(off).toEqual({ status: 'off', enabled: false });
    expect(toggledTabState(off, true)).toEqual({ status: 'starting', enabled: true });
    // Turning on a tab with no camera keeps its status.
    expect(toggledTabState({ status: 'idle', enabled: false }, true)).toEqual({ status: 'idle', enabled: true });
  });
});
