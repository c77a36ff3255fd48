/**
 * Background service worker: per-tab masking state and status, the toolbar badge, and the
 * tokens that authenticate a tab's frame port. It never sees a camera frame.
 */
import { browser } from 'wxt/browser';
import { onMessage, sendMessage } from '@/src/channel/messaging';
import type { MaskSettings } from '@/src/channel/protocol';
import { FrameTokens } from '@/src/settings/frame-tokens';
import { isMaskStyle } from '@/src/settings/style';
import { readStyle, writeStyle } from '@/src/settings/user-settings';
import { readTabState, removeTabState, setTabEnabled, updateTabState } from '@/src/settings/tab-state';
import { STATUS_BADGE, type TabState } from '@/src/status/status';

export default defineBackground(() => {
  const tokens = new FrameTokens();

  async function showBadge(tabId: number, state: TabState): Promise<void> {
    const badge = STATUS_BADGE[state.status];
    await browser.action.setBadgeText({ tabId, text: badge.text }).catch(() => undefined);
    await browser.action.setBadgeBackgroundColor({ tabId, color: badge.color }).catch(() => undefined);
  }

  async function settingsFor(tabId: number | undefined): Promise<MaskSettings> {
    const enabled = tabId === undefined ? true : (await readTabState(tabId)).enabled;
    return { enabled, style: await readStyle() };
  }

  onMessage('bridgeHello', ({ sender }) => settingsFor(sender.tab?.id));

  onMessage('reportStatus', async ({ data, sender }) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined) return;
    const state = await updateTabState(tabId, { status: data.status, reason: data.reason, perf: data.perf });
    await showBadge(tabId, state);
  });

  onMessage('issueFrameToken', ({ sender }) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined) throw new Error('frame tokens are for tabs only');
    return tokens.issue(tabId);
  });

  onMessage('redeemFrameToken', ({ data, sender }) => {
    const tabId = sender.tab?.id;
    return tabId !== undefined && tokens.redeem(data, tabId);
  });

  onMessage('getTabState', ({ data }) => readTabState(data));

  onMessage('setTabEnabled', async ({ data }) => {
    // The status follows at once; the content script confirms it with its next report.
    const state = await setTabEnabled(data.tabId, data.enabled);
    await showBadge(data.tabId, state);
    await sendMessage('applyTabSettings', await settingsFor(data.tabId), data.tabId).catch(() => undefined);
    return state;
  });

  onMessage('getStyle', () => readStyle());

  onMessage('setStyle', async ({ data }) => {
    if (!isMaskStyle(data)) throw new Error(`unknown mask style ${String(data)}`);
    await writeStyle(data);
    // Every tab with a camera session switches at once; tabs without one ignore it.
    const tabs = await browser.tabs.query({});
    await Promise.all(
      tabs.map(async (tab) => {
        if (tab.id === undefined) return;
        await sendMessage('applyTabSettings', await settingsFor(tab.id), tab.id).catch(() => undefined);
      }),
    );
    return data;
  });

  browser.tabs.onRemoved.addListener((tabId) => void removeTabState(tabId));
  // A new page in the tab starts masked again: a pause is for the call it was made in.
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.status === 'loading') void removeTabState(tabId);
  });
});
