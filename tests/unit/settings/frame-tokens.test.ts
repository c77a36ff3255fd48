import { describe, expect, it } from 'vitest';
import { FrameTokens } from '../../../src/settings/frame-tokens';

describe('FrameTokens', () => {
  it('redeems a token once, for the tab it was issued to', () => {
    const tokens = new FrameTokens();
    const t = tokens.issue(7, 0);
    expect(t).toMatch(/^[0-9a-f]{32}$/);
    expect(tokens.redeem(t, 8, 1)).toBe(false); // another tab; and the token is now spent
    expect(tokens.redeem(t, 7, 2)).toBe(false);
    const u = tokens.issue(7, 0);
    expect(tokens.redeem(u, 7, 1)).toBe(true);
    expect(tokens.redeem(u, 7, 2)).toBe(false);
  });

  it('rejects unknown and expired tokens', () => {
    const tokens = new FrameTokens();
    expect(tokens.redeem('nope', 1)).toBe(false);
    const t = tokens.issue(1, 0);
    expect(tokens.redeem(t, 1, 60_000)).toBe(false);
  });
});
