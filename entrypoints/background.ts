/**
 * Background service worker. Settings flow one way through here: the clinic's policy and the
 * patient's storage → the controls in force (src/settings/controls.ts) → each document's port
 * (TabHub) → its camera sessions. It also keeps each tab's state and badge, covers the sites beyond
 * the built-in list (SiteRegistry), and issues the tokens that authenticate a tab's frame port.
 * It never sees a camera frame.
 */
import { browser } from 'wxt/browser';
import { openWelcomeOnce } from '@/src/background/first-run';
import { requireExtensionPage } from '@/src/background/senders';
import { watchPolicy } from '@/src/background/policy-source';
import { SiteRegistry, type SiteCoverage } from '@/src/background/site-registry';
import { TabHub } from '@/src/background/tab-hub';
import { onMessage } from '@/src/channel/messaging';
import type { SitesView } from '@/src/channel/protocol';
import { t } from '@/src/i18n/messages';
import { reasonText } from '@/src/i18n/reason-text';
import { controlsFrom, type UserChoices } from '@/src/settings/controls';
import { FrameTokens } from '@/src/settings/frame-tokens';
import { DEFAULT_TELEHEALTH_MATCHES } from '@/src/settings/origins';
import { readPolicy, type PolicyReading } from '@/src/settings/policy';
import { parseSite } from '@/src/settings/sites';
import { isMaskStyle } from '@/src/settings/style';
import { readShowReadout, readStyle, writeShowReadout, writeStyle } from '@/src/settings/user-settings';

export default defineBackground(() => {
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;
  // A clinic's forced install opens it too: it is where the patient learns what is and is not hidden.
  openWelcomeOnce();
  const tokens = new FrameTokens();
  const registry = new SiteRegistry();
  let policy: PolicyReading = readPolicy(undefined);
  const user: UserChoices = {};
  let coverage: SiteCoverage = { clinic: [], user: [] };

  const controls = () => controlsFrom(policy.policy, user);
  const syncSites = async () => {
    coverage = await registry.sync(policy.policy.extraSites);
  };
  const sitesView = (): SitesView => ({
    builtIn: [...DEFAULT_TELEHEALTH_MATCHES],
    clinic: coverage.clinic,
    user: coverage.user.map((pattern) => ({ pattern, granted: true })),
  });

  const loaded = Promise.all([
    watchPolicy((next) => {
      policy = next;
      hub.pushSettingsEverywhere();
      void syncSites();
    }).then((first) => (policy = first)),
    readStyle().then((s) => (user.style = s)),
    readShowReadout().then((show) => (user.showReadout = show)),
  ]);
  const hub = new TabHub(controls, loaded);
  const ready = hub.ready;
  void loaded.then(syncSites);
  browser.permissions.onAdded.addListener(() => void ready.then(syncSites));
  browser.permissions.onRemoved.addListener(() => void ready.then(syncSites));

  onMessage('issueFrameToken', ({ sender }) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined) throw new Error('frame tokens are for tabs only');
    return tokens.issue(tabId);
  });

  onMessage('redeemFrameToken', ({ data, sender }) => {
    const tabId = sender.tab?.id;
    return tabId !== undefined && tokens.redeem(data, tabId);
  });

  onMessage('getTabState', async ({ data, sender }) => {
    requireExtensionPage(sender, extensionOrigin, 'getTabState');
    await ready;
    return hub.state(data);
  });

  onMessage('setTabEnabled', async ({ data, sender }) => {
    requireExtensionPage(sender, extensionOrigin, 'setTabEnabled');
    await ready;
    return hub.setEnabled(data.tabId, data.enabled);
  });

  onMessage('getControls', async ({ sender }) => {
    requireExtensionPage(sender, extensionOrigin, 'getControls');
    await ready;
    return controls();
  });

  onMessage('setStyle', async ({ data, sender }) => {
    requireExtensionPage(sender, extensionOrigin, 'setStyle');
    if (!isMaskStyle(data)) throw new Error(`unknown mask style ${String(data)}`);
    await ready;
    if (controls().styleLocked) throw new Error('your clinic chose the mask style: it cannot be changed');
    await writeStyle(data);
    user.style = data;
    hub.pushSettingsEverywhere();
    return controls();
  });

  onMessage('setReadout', async ({ data, sender }) => {
    requireExtensionPage(sender, extensionOrigin, 'setReadout');
    if (typeof data !== 'boolean') throw new Error(`the read-out is on or off, not ${String(data)}`);
    await ready;
    if (controls().readoutLocked) throw new Error('your clinic decides the eye read-out: it cannot be changed');
    await writeShowReadout(data);
    user.showReadout = data;
    hub.pushSettingsEverywhere();
    return controls();
  });

  onMessage('getSites', async ({ sender }) => {
    requireExtensionPage(sender, extensionOrigin, 'getSites');
    await ready;
    await syncSites();
    return sitesView();
  });

  // A site the patient adds is a host permission the page asking for it got granted (the popup or
  // the options page, in the patient's click); removing it gives the permission back.
  onMessage('removeSite', async ({ data, sender }) => {
    requireExtensionPage(sender, extensionOrigin, 'removeSite');
    await ready;
    const parsed = parseSite(data);
    if (!parsed.ok) throw new Error(`${data}: ${reasonText(parsed.reason)}`);
    if (policy.policy.extraSites.includes(parsed.pattern)) throw new Error(t('errorClinicSite', data));
    if ((DEFAULT_TELEHEALTH_MATCHES as readonly string[]).includes(parsed.pattern)) throw new Error(t('errorBuiltInSite', data));
    await browser.permissions.remove({ origins: [parsed.pattern] });
    await syncSites();
    return sitesView();
  });

  onMessage('getPolicy', async ({ sender }) => {
    requireExtensionPage(sender, extensionOrigin, 'getPolicy');
    await ready;
    return { inForce: policy.inForce, ignored: policy.ignored };
  });
});
