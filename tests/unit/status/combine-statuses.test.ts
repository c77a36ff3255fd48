import { describe, expect, it } from 'vitest';
import { combineStatuses } from '../../../src/status/status';

describe('combineStatuses', () => {
  it('no camera is idle', () => expect(combineStatuses([])).toEqual({ status: 'idle' }));
  it('raw frames flowing anywhere is said first', () => {
    expect(combineStatuses([{ status: 'masking' }, { status: 'off' }, { status: 'error', problem: { kind: 'stalled' } }]).status).toBe('off');
  });
  it('a problem beats no face, starting and masking', () => {
    expect(combineStatuses([{ status: 'masking' }, { status: 'starting' }, { status: 'no-face' }, { status: 'error', problem: { kind: 'stalled' } }])).toEqual({ status: 'error', problem: { kind: 'stalled' } });
    expect(combineStatuses([{ status: 'masking' }, { status: 'starting' }]).status).toBe('starting');
  });
});
