/**
 * The first-run page (opened once, when telemask is installed): what telemask hides and what it
 * does not, how to try it (the self-view), which sites it covers and how to add one, and what the
 * toolbar button says.
 */
import { useEffect, useState } from 'preact/hooks';
import { sendMessage } from '@/src/channel/messaging';
import type { SitesView } from '@/src/channel/protocol';
import { t } from '@/src/i18n/messages';
import { openExtensionPage, type ExtensionPage } from '@/src/ui/open-page';

const hostOf = (pattern: string) => pattern.replace(/^https:\/\/(\*\.)?/, '').replace(/\/\*$/, '');

export function WelcomeApp() {
  const [sites, setSites] = useState<SitesView | null>(null);
  useEffect(() => {
    sendMessage('getSites', undefined).then(setSites, () => setSites(null));
  }, []);
  const open = (page: ExtensionPage) => (e: Event) => {
    e.preventDefault();
    void openExtensionPage(page);
  };
  const hosts = sites ? [...new Set([...sites.builtIn, ...sites.clinic.map((s) => s.pattern), ...sites.user.map((s) => s.pattern)].map(hostOf))] : [];

  return (
    <main>
      <img src="/icons/128.png" alt="" width="64" height="64" />
      <h1>{t('welcomeTitle')}</h1>
      <p class="lead">{t('welcomeLead')}</p>
      <div class="columns">
        <section aria-labelledby="hides">
          <h2 id="hides">{t('welcomeHidesTitle')}</h2>
          <ul>
            <li>{t('welcomeHidesFace')}</li>
            <li>{t('welcomeHidesRoom')}</li>
          </ul>
        </section>
        <section aria-labelledby="not-hidden">
          <h2 id="not-hidden">{t('welcomeNotTitle')}</h2>
          <ul>
            <li>{t('welcomeNotVoice')}</li>
            <li>{t('welcomeNotName')}</li>
            <li>{t('welcomeNotWords')}</li>
            <li>{t('welcomeNotOther')}</li>
          </ul>
        </section>
      </div>
      <section aria-labelledby="try">
        <h2 id="try">{t('welcomeTryTitle')}</h2>
        <p>{t('welcomeTryText')}</p>
        <a class="button" id="open-self-view" href="/self-view.html" onClick={open('self-view')}>
          {t('linkSelfView')}
        </a>
      </section>
      <section aria-labelledby="sites">
        <h2 id="sites">{t('welcomeSitesTitle')}</h2>
        <p>{t('welcomeSitesText')}</p>
        <ul class="sites" data-list="sites">
          {hosts.map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ul>
        <p>{t('welcomeAddText')}</p>
      </section>
      <section aria-labelledby="toolbar">
        <h2 id="toolbar">{t('welcomeToolbarTitle')}</h2>
        <p>{t('welcomeToolbarText')}</p>
      </section>
      <p class="links">
        <a href="/options.html#protection" id="open-protection" onClick={open('protection')}>
          {t('linkProtection')}
        </a>
        {' · '}
        <a href="/options.html" id="open-options" onClick={open('options')}>
          {t('linkSettings')}
        </a>
      </p>
    </main>
  );
}
