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

/** A status report or toggle applied to the stored state; a reason only ever goes with an error. */
export function mergeTabState(current: TabState, patch: Partial<TabState>): TabState {
  const next: TabState = { ...current, ...patch };
  if (next.status !== 'error' || (patch.status !== undefined && patch.reason === undefined)) delete next.reason;
  if (next.status !== 'masking') delete next.perf;
  return next;
}

/** The patient's switch: off shows 'off' at once; on shows 'starting' until masked frames flow. */
export function toggledTabState(current: TabState, enabled: boolean): TabState {
  const status = !enabled ? 'off' : current.status === 'off' ? 'starting' : current.status;
  return mergeTabState(current, { enabled, status });
}

export async function updateTabState(tabId: number, patch: Partial<TabState>): Promise<TabState> {
  const next = mergeTabState(await readTabState(tabId), patch);
  await item(tabId).setValue(next);
  return next;
}

export async function setTabEnabled(tabId: number, enabled: boolean): Promise<TabState> {
  const next = toggledTabState(await readTabState(tabId), enabled);
  await item(tabId).setValue(next);
  return next;
}

export async function removeTabState(tabId: number): Promise<void> {
  await item(tabId).removeValue();
}

export function watchTabState(tabId: number, onChange: (state: TabState) => void): () => void {
  return item(tabId).watch((state) => onChange(state ?? DEFAULT_TAB_STATE));
}
