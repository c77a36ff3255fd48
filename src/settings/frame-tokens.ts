/**
 * One-time tokens that let a tab's content script prove to the mask frame that its port is
 * genuine: the background issues them only over extension messaging, which the page cannot use,
 * and redeems each once, for the same tab only.
 */
const TOKEN_TTL_MS = 30_000;

export class FrameTokens {
  private readonly tokens = new Map<string, { tabId: number; expires: number }>();

  issue(tabId: number, now = Date.now()): string {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const token = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    this.tokens.set(token, { tabId, expires: now + TOKEN_TTL_MS });
    return token;
  }

  redeem(token: string, tabId: number, now = Date.now()): boolean {
    const entry = this.tokens.get(token);
    this.tokens.delete(token);
    for (const [t, e] of this.tokens) if (e.expires < now) this.tokens.delete(t);
    return !!entry && entry.tabId === tabId && entry.expires >= now;
  }
}
