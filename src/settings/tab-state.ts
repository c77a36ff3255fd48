/**
 * Per-tab state kept by the background in session storage (cleared when the browser closes):
 * whether masking is on for the tab, and what its camera shows now.
 */
import { storage } from 'wxt/utils/storage';
import { tabStateKey, type TabState } from '../status/status';

/** Masking is on unless the patient turns it off for a tab. */
export const DEFAULT_TAB_STATE: TabState = { status: 'idle', enabled: true };

function item(tabId: number) {
  return storage.defineItem<TabState>(`session:${tabStateKey(tabId)}`, { fallback: DEFAULT_TAB_STATE });
}

export async function readTabState(tabId: number): Promise<TabState> {
  return item(tabId).getValue();
}

export async function updateTabState(tabId: number, patch: Partial<TabState>): Promise<TabState> {
  const next = { ...(await readTabState(tabId)), ...patch };
  if (next.status !== 'error') delete next.reason;
  if (patch.reason !== undefined && next.status === 'error') next.reason = patch.reason;
  await item(tabId).setValue(next);
  return next;
}

export async function removeTabState(tabId: number): Promise<void> {
  await item(tabId).removeValue();
}

export function watchTabState(tabId: number, onChange: (state: TabState) => void): () => void {
  return item(tabId).watch((state) => onChange(state ?? DEFAULT_TAB_STATE));
}
