/**
 * The patient's control during a call, in plain words: is my face hidden on this tab (a sign and a
 * sentence, not colour alone), a large switch to pause it (absent when the clinic keeps masking on),
 * the mask style with one sentence each (fixed when the clinic chose it), the figures one click
 * away, the self-view, and, on a site telemask does not cover, the offer to cover it. The status
 * updates live from the background's per-tab state.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { sendMessage } from '@/src/channel/messaging';
import type { SitesView } from '@/src/channel/protocol';
import { t } from '@/src/i18n/messages';
import type { Controls } from '@/src/settings/controls';
import { coverageOf, type Coverage } from '@/src/settings/coverage';
import { siteOfPage } from '@/src/settings/sites';
import { watchTabState } from '@/src/settings/tab-store';
import type { MaskStyle } from '@/src/settings/style';
import type { TabState } from '@/src/status/status';
import { openExtensionPage } from '@/src/ui/open-page';
import { StatusLine } from '@/src/ui/StatusLine';
import { StylePicker } from '@/src/ui/StylePicker';
import { ReadoutSwitch } from './ReadoutSwitch';

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
const hostOf = (pattern: string) => pattern.replace(/^https:\/\//, '').replace(/\/\*$/, '');

export function App() {
  const [tab, setTab] = useState<{ id: number; url?: string } | null>(null);
  const [state, setState] = useState<TabState | null>(null);
  const [controls, setControls] = useState<Controls | null>(null);
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  const [reloadNeeded, setReloadNeeded] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const refreshSites = async (url: string | undefined) => {
    const sites: SitesView = await sendMessage('getSites', undefined);
    setCoverage(coverageOf(url, sites));
  };

  useEffect(() => {
    let unwatch = () => {};
    const load = async () => {
      setControls(await sendMessage('getControls', undefined));
      const [active] = await browser.tabs.query({ active: true, currentWindow: true });
      if (active?.id === undefined) throw new Error('no active tab');
      setTab({ id: active.id, url: active.url });
      setState(await sendMessage('getTabState', active.id));
      unwatch = watchTabState(active.id, setState);
      await refreshSites(active.url);
    };
    load().catch((error: unknown) => setProblem(describe(error)));
    return () => unwatch();
  }, []);

  const act = (step: () => Promise<unknown>) => () => void step().catch((error: unknown) => setProblem(describe(error)));

  const toggle = act(async () => {
    if (!tab || !state) return;
    setState(await sendMessage('setTabEnabled', { tabId: tab.id, enabled: !state.enabled }));
  });
  const chooseStyle = (next: MaskStyle) => act(async () => setControls(await sendMessage('setStyle', next)))();
  // The permission is asked for first, in the patient's click: Chrome asks only in a user gesture.
  const cover = (pattern: string) =>
    act(async () => {
      if (!(await browser.permissions.request({ origins: [pattern] }))) return;
      setReloadNeeded(true);
      await refreshSites(tab?.url);
    });
  const uncover = (pattern: string) =>
    act(async () => {
      await sendMessage('removeSite', pattern);
      setReloadNeeded(true);
      await refreshSites(tab?.url);
    });
  const reload = act(async () => {
    if (tab) await browser.tabs.reload(tab.id);
    window.close();
  });
  const open = (page: Parameters<typeof openExtensionPage>[0]) => (e: Event) => {
    e.preventDefault();
    act(() => openExtensionPage(page))();
  };

  const offered = tab?.url ? siteOfPage(tab.url) : undefined;
  const covered = coverage && coverage.by !== 'nobody' && !(coverage.by === 'clinic' && !coverage.granted);

  return (
    <main>
      <header>
        <h1>{t('extName')}</h1>
        <p class="tagline">{t('tagline')}</p>
      </header>
      {problem ? (
        <p class="status status-error" role="alert" data-status="problem">
          {t('problemAction', problem)}
        </p>
      ) : null}
      {reloadNeeded ? (
        <p class="notice" role="status" data-notice="reload">
          {t('reloadNotice')}{' '}
          <button type="button" id="reload-page" onClick={reload}>
            {t('reloadButton')}
          </button>
        </p>
      ) : null}
      {coverage && !covered && !reloadNeeded ? (
        <section class="uncovered" data-coverage="nobody">
          <StatusLine status="uncovered" />
          <p>{t('uncoveredText')}</p>
          {coverage.by === 'clinic' ? (
            <button type="button" class="primary" id="grant-clinic-site" onClick={cover(coverage.pattern)}>
              {t('grantClinicSite', hostOf(coverage.pattern))}
            </button>
          ) : offered ? (
            <button type="button" class="primary" id="cover-site" onClick={cover(offered)}>
              {t('coverSite', hostOf(offered))}
            </button>
          ) : (
            <p class="hint">{t('httpsOnly')}</p>
          )}
        </section>
      ) : null}
      {covered && state && controls ? (
        <>
          <StatusLine status={state.status} problem={state.problem} perf={state.perf} live />
          {controls.pauseAllowed ? (
            <>
              <label class="switch">
                <input type="checkbox" role="switch" id="masking-toggle" checked={state.enabled} onChange={toggle} />
                <span class="switch-track" aria-hidden="true">
                  <span class="switch-word">{state.enabled ? t('toggleOn') : t('toggleOff')}</span>
                </span>
                <span class="switch-label">{t('toggleLabel')}</span>
              </label>
              {!state.enabled ? <p class="warning">{t('pausedWarning')}</p> : null}
            </>
          ) : (
            <p class="managed" data-managed="force-masking">
              {t('managedForce')}
            </p>
          )}
          <StylePicker controls={controls} onChoose={chooseStyle} />
          <ReadoutSwitch controls={controls} onChange={setControls} />
          {coverage?.by === 'patient' ? (
            <button type="button" class="link" id="uncover-site" onClick={uncover(coverage.pattern)}>
              {t('uncoverSite', hostOf(coverage.pattern))}
            </button>
          ) : null}
        </>
      ) : null}
      {!coverage && !problem ? <p class="status">{t('loading')}</p> : null}
      <nav class="links">
        <a href="/self-view.html" id="open-self-view" onClick={open('self-view')}>
          {t('linkSelfView')}
        </a>
        <a href="/options.html#protection" id="open-protection" onClick={open('protection')}>
          {t('linkProtection')}
        </a>
        <a href="/options.html" id="open-options" onClick={open('options')}>
          {t('linkSettings')}
        </a>
      </nav>
      <footer>{t('footerLocal')}</footer>
    </main>
  );
}
