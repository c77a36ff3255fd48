/**
 * Where the background keeps its per-tab knowledge, in session storage (cleared when the browser
 * closes): each tab's control (the patient's pause and the document it belongs to), which must
 * survive the background's restarts, and each tab's current state, which the popup watches.
 */
import { storage } from 'wxt/utils/storage';
import type { TabControl } from './tab-state-model';
import { tabStateKey, type TabState } from '../status/status';

export const IDLE_TAB_STATE: TabState = { status: 'idle', enabled: true };

const controls = storage.defineItem<Record<number, TabControl>>('session:tab-controls', { fallback: {} });

function stateItem(tabId: number) {
  return storage.defineItem<TabState>(`session:${tabStateKey(tabId)}`, { fallback: IDLE_TAB_STATE });
}

export function readControls(): Promise<Record<number, TabControl>> {
  return controls.getValue();
}

export function writeControls(value: Record<number, TabControl>): Promise<void> {
  return controls.setValue(value);
}

export function writeTabState(tabId: number, state: TabState): Promise<void> {
  return stateItem(tabId).setValue(state);
}

export function removeTabState(tabId: number): Promise<void> {
  return stateItem(tabId).removeValue();
}

/** Tab ids with a stored state. */
export async function storedTabs(): Promise<number[]> {
  const all = await storage.snapshot('session');
  return Object.keys(all).flatMap((key) => {
    const m = /^tab:(\d+)$/.exec(key);
    return m ? [Number(m[1])] : [];
  });
}

export function watchTabState(tabId: number, onChange: (state: TabState) => void): () => void {
  return stateItem(tabId).watch((state) => onChange(state ?? IDLE_TAB_STATE));
}
