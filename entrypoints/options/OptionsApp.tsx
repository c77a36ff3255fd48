/**
 * The options page, for the patient and for a clinic's IT admin checking a rollout: which sites
 * telemask covers (built in, added by you, added by your clinic — the last locked), the mask style,
 * how well each style protects (the eval's figures, #protection), and the clinic's policy in force, key by key, with anything ignored and why.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { sendMessage } from '@/src/channel/messaging';
import type { PolicyView, SitesView } from '@/src/channel/protocol';
import { t } from '@/src/i18n/messages';
import { reasonText } from '@/src/i18n/reason-text';
import type { Controls } from '@/src/settings/controls';
import { POLICY_KEYS } from '@/src/settings/policy';
import { parseSite } from '@/src/settings/sites';
import { ProtectionTable } from '@/src/ui/ProtectionTable';
import { StylePicker } from '@/src/ui/StylePicker';

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function OptionsApp() {
  const [sites, setSites] = useState<SitesView | null>(null);
  const [controls, setControls] = useState<Controls | null>(null);
  const [policy, setPolicy] = useState<PolicyView | null>(null);
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const refresh = async () => {
    const [s, c, p] = await Promise.all([
      sendMessage('getSites', undefined),
      sendMessage('getControls', undefined),
      sendMessage('getPolicy', undefined),
    ]);
    setSites(s);
    setControls(c);
    setPolicy(p);
  };
  useEffect(() => {
    refresh().catch((error: unknown) => setProblem(describe(error)));
    // A clinic's policy can change while the page is open.
    const onChange = (_c: unknown, area: string) => void (area === 'managed' ? setTimeout(() => void refresh(), 200) : undefined);
    browser.storage.onChanged.addListener(onChange);
    // A site allowed or taken back elsewhere (the popup, chrome://extensions) changes the lists.
    const onPermissions = () => void refresh().catch((error: unknown) => setProblem(describe(error)));
    browser.permissions.onAdded.addListener(onPermissions);
    browser.permissions.onRemoved.addListener(onPermissions);
    return () => {
      browser.storage.onChanged.removeListener(onChange);
      browser.permissions.onAdded.removeListener(onPermissions);
      browser.permissions.onRemoved.removeListener(onPermissions);
    };
  }, []);

  const act = (step: () => Promise<unknown>) =>
    void step()
      .then(() => setProblem(null))
      .then(refresh)
      .catch((error: unknown) => setProblem(describe(error)));

  // Permissions are asked for in the click itself: Chrome asks only in a user gesture.
  const add = (event: Event) => {
    event.preventDefault();
    const parsed = parseSite(draft);
    if (!parsed.ok) {
      setProblem(`${draft}: ${reasonText(parsed.reason)}`);
      return;
    }
    act(async () => {
      if (await browser.permissions.request({ origins: [parsed.pattern] })) setDraft('');
    });
  };
  const grantClinicSites = (patterns: string[]) => act(() => browser.permissions.request({ origins: patterns }));

  const waiting = sites?.clinic.filter((a) => !a.granted).map((a) => a.pattern) ?? [];
  const policyKeys = policy ? POLICY_KEYS.filter((k) => k in policy.inForce) : [];

  return (
    <main>
      <h1>{t('optionsTitle')}</h1>
      <p>{t('optionsLead')}</p>
      {problem ? (
        <p class="error" role="alert" id="problem">
          {problem}
        </p>
      ) : null}

      <section id="sites">
        <h2>{t('optionsSites')}</h2>
        {sites ? (
          <>
            <h3>{t('optionsSitesClinic')}</h3>
            {sites.clinic.length === 0 ? <p>{t('optionsNone')}</p> : null}
            <ul data-list="clinic">
              {sites.clinic.map((a) => (
                <li key={a.pattern} class="locked" data-site={a.pattern} data-granted={String(a.granted)}>
                  <code>{a.pattern}</code> {a.granted ? '' : t('optionsWaiting')}
                </li>
              ))}
            </ul>
            {waiting.length > 0 ? (
              <button type="button" id="grant-clinic-sites" onClick={() => grantClinicSites(waiting)}>
                {t('optionsGrantClinic')}
              </button>
            ) : null}
            <h3>{t('optionsSitesYou')}</h3>
            {sites.user.length === 0 ? <p>{t('optionsNone')}</p> : null}
            <ul data-list="user">
              {sites.user.map((a) => (
                <li key={a.pattern} data-site={a.pattern}>
                  <code>{a.pattern}</code>{' '}
                  <button type="button" data-remove={a.pattern} onClick={() => act(() => sendMessage('removeSite', a.pattern))}>
                    {t('optionsRemove')}
                  </button>
                </li>
              ))}
            </ul>
            <form onSubmit={add}>
              <input
                type="text"
                id="new-site"
                aria-label={t('optionsNewSite')}
                placeholder="https://video.example-clinic.org"
                value={draft}
                onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
              />
              <button type="submit" id="add-site">
                {t('optionsAddSite')}
              </button>
            </form>
            <h3>{t('optionsSitesBuiltIn')}</h3>
            <ul data-list="built-in">
              {sites.builtIn.map((p) => (
                <li key={p} class="locked">
                  <code>{p}</code>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section id="style">
        <h2>{t('optionsStyle')}</h2>
        {controls ? <StylePicker controls={controls} onChoose={(style) => act(() => sendMessage('setStyle', style))} /> : null}
        {controls ? (
          <p data-managed={controls.pauseAllowed ? 'pause-allowed' : 'force-masking'}>
            {controls.pauseAllowed
              ? t('optionsPauseAllowed')
              : t('optionsForceMasking')}
          </p>
        ) : null}
      </section>

      <ProtectionTable />

      <section id="policy">
        <h2>{t('optionsPolicy')}</h2>
        {policy ? (
          <>
            {policyKeys.length === 0 ? <p data-policy="none">{t('optionsNoPolicy')}</p> : null}
            {policyKeys.length > 0 ? (
              <table data-policy="in-force">
                <tbody>
                  {policyKeys.map((k) => (
                    <tr key={k} data-key={k}>
                      <th>
                        <code>{k}</code>
                      </th>
                      <td>
                        <code>{JSON.stringify(policy.inForce[k])}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
            {policy.ignored.length > 0 ? (
              <>
                <h3>{t('optionsIgnored')}</h3>
                <ul data-policy="ignored">
                  {policy.ignored.map((i) => (
                    <li key={i.key} class="ignored" data-key={i.key}>
                      <code>{i.key}</code>: {i.value ? `${i.value}: ` : ''}
                      {reasonText(i.reason)}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        ) : null}
      </section>
    </main>
  );
}
