/**
 * The background's side of every document's line (src/channel/tab-link.ts): a runtime port per
 * document, named FRAME_PORT. It pushes each document the settings in force for its tab, collects
 * what the document's cameras show, and keeps each tab's state (TabStateModel) in session storage
 * for the popup and on the toolbar badge. A tab's state lives as long as its documents' ports:
 * nothing here listens to tab URL changes.
 */
import { browser, type Browser } from 'wxt/browser';
import type { Controls } from '../settings/controls';
import { FRAME_PORT, type BackgroundToFrame, type FrameToBackground, type MaskSettings } from '../channel/protocol';
import { readControls, removeTabState, storedTabs, writeControls, writeTabState } from '../settings/tab-store';
import { TabStateModel } from '../settings/tab-state-model';
import { t } from '../i18n/messages';
import { STATUS_BADGE, type TabState } from '../status/status';

/** After a restart, documents reconnect within this long; a stored state nobody reconnects to is stale. */
const RECONNECT_GRACE_MS = 3000;

export class TabHub {
  private model!: TabStateModel;
  private readonly ports = new Map<string, Browser.runtime.Port>();
  private nextKey = 1;
  private readonly writes = new Map<number, Promise<void>>();
  readonly ready: Promise<void>;

  /** `controlsReady`: the policy and the patient's style are known (settings are never pushed before). */
  constructor(
    private readonly controls: () => Controls,
    controlsReady: Promise<unknown>,
  ) {
    this.ready = Promise.all([readControls(), controlsReady]).then(([controls]) => {
      this.model = new TabStateModel(controls);
    });
    browser.runtime.onConnect.addListener((port) => this.accept(port));
    browser.tabs.onRemoved.addListener((tabId) => void this.ready.then(() => this.onTabRemoved(tabId)));
    setTimeout(() => void this.ready.then(() => this.sweepStale()), RECONNECT_GRACE_MS);
  }

  state(tabId: number): TabState {
    return { ...this.model.view(tabId), enabled: this.enabled(tabId) };
  }

  settingsFor(tabId: number): MaskSettings {
    const { style, showReadout } = this.controls();
    return { enabled: this.enabled(tabId), style, showReadout };
  }

  /** A pause counts only while the patient may pause: forced masking overrides every pause made before it. */
  private enabled(tabId: number): boolean {
    return !this.controls().pauseAllowed || this.model.enabled(tabId);
  }

  async setEnabled(tabId: number, enabled: boolean): Promise<TabState> {
    if (!enabled && !this.controls().pauseAllowed) throw new Error('your clinic keeps masking on: it cannot be paused');
    this.model.setEnabled(tabId, enabled);
    await writeControls(this.model.snapshot());
    this.pushSettings(tabId);
    await this.publish(tabId);
    return this.state(tabId);
  }

  /** The controls changed (style, read-out, policy): every document of every tab hears it, every state is republished. */
  pushSettingsEverywhere(): void {
    for (const tabId of this.model.tabs()) {
      this.pushSettings(tabId);
      void this.publish(tabId);
    }
  }

  private pushSettings(tabId: number): void {
    const message: BackgroundToFrame = { type: 'settings', settings: this.settingsFor(tabId) };
    for (const key of this.model.documentsOf(tabId)) this.ports.get(key)?.postMessage(message);
  }

  /**
   * Listens to the port at once: a document reports as soon as its camera starts, possibly before
   * this worker has read its state (the policy, the patient's controls). What it says meanwhile is
   * kept and handled, in order, once ready — a status sent once ("starting", "no-face") must not be lost.
   */
  private accept(port: Browser.runtime.Port): void {
    if (port.name !== FRAME_PORT) return;
    const early: FrameToBackground[] = [];
    let gone = false;
    const hold = (message: FrameToBackground) => early.push(message);
    const lost = () => (gone = true);
    port.onMessage.addListener(hold);
    port.onDisconnect.addListener(lost);
    void this.ready.then(() => {
      port.onMessage.removeListener(hold);
      port.onDisconnect.removeListener(lost);
      if (!gone) this.onConnect(port, early);
    });
  }

  private onConnect(port: Browser.runtime.Port, early: FrameToBackground[]): void {
    const { tab, frameId, documentId } = port.sender ?? {};
    if (tab?.id === undefined || frameId === undefined || !documentId) {
      port.disconnect();
      return;
    }
    const tabId = tab.id;
    const key = `d${this.nextKey++}`;
    this.ports.set(key, port);
    const before = this.model.enabled(tabId);
    this.model.connect(key, { tabId, frameId, documentId });
    if (this.model.enabled(tabId) !== before) void writeControls(this.model.snapshot());
    const onMessage = (message: FrameToBackground) => {
      if (message?.type !== 'status') return;
      if (this.model.report(key, message.report) !== undefined) void this.publish(tabId);
    };
    port.onMessage.addListener(onMessage);
    port.onDisconnect.addListener(() => {
      this.ports.delete(key);
      if (this.model.disconnect(key) !== undefined) void this.publish(tabId);
    });
    port.postMessage({ type: 'settings', settings: this.settingsFor(tabId) } satisfies BackgroundToFrame);
    if (this.model.enabled(tabId) !== before) this.pushSettings(tabId);
    for (const message of early) onMessage(message);
    void this.publish(tabId);
  }

  private onTabRemoved(tabId: number): void {
    this.model.removeTab(tabId);
    void writeControls(this.model.snapshot());
    void this.chain(tabId, () => removeTabState(tabId));
  }

  /** Stored states of tabs whose documents did not come back after a restart: no camera there now. */
  private async sweepStale(): Promise<void> {
    for (const tabId of await storedTabs()) {
      if (this.model.documentsOf(tabId).length === 0) await this.publish(tabId);
    }
  }

  /** Writes the tab's current state and badge, in order (a later write never loses to an earlier one). */
  private publish(tabId: number): Promise<void> {
    return this.chain(tabId, async () => {
      const state = this.state(tabId);
      await writeTabState(tabId, state);
      const badge = STATUS_BADGE[state.status];
      await browser.action.setBadgeText({ tabId, text: badge.text ? t(badge.text) : '' }).catch(() => undefined);
      await browser.action.setBadgeBackgroundColor({ tabId, color: badge.color }).catch(() => undefined);
    });
  }

  private chain(tabId: number, step: () => Promise<void>): Promise<void> {
    const next = (this.writes.get(tabId) ?? Promise.resolve()).then(step).catch(() => undefined);
    this.writes.set(tabId, next);
    return next;
  }
}
