/**
 * The patient's control during a call: is my face masked on this tab, and a switch to pause it.
 * The status updates live from the background's per-tab state.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { sendMessage } from '@/src/channel/messaging';
import { watchTabState } from '@/src/settings/tab-state';
import { MASK_STYLES, STYLE_INFO, type MaskStyle } from '@/src/settings/style';
import { STATUS_TEXT, type TabState } from '@/src/status/status';

export function App() {
  const [tabId, setTabId] = useState<number | null>(null);
  const [state, setState] = useState<TabState | null>(null);
  const [style, setStyle] = useState<MaskStyle | null>(null);

  useEffect(() => {
    let unwatch = () => {};
    void sendMessage('getStyle', undefined).then(setStyle);
    void browser.tabs.query({ active: true, currentWindow: true }).then(async ([tab]) => {
      if (tab?.id === undefined) return;
      setTabId(tab.id);
      setState(await sendMessage('getTabState', tab.id));
      unwatch = watchTabState(tab.id, setState);
    });
    const chooseStyle = async (next: MaskStyle) => setStyle(await sendMessage('setStyle', next));

  return () => unwatch();
  }, []);

  const toggle = async () => {
    if (tabId === null || !state) return;
    setState(await sendMessage('setTabEnabled', { tabId, enabled: !state.enabled }));
  };

  const chooseStyle = async (next: MaskStyle) => setStyle(await sendMessage('setStyle', next));

  return (
    <main>
      <header>
        <h1>telemask</h1>
        <p class="tagline">Your face stays private in video visits.</p>
      </header>
      {state ? (
        <>
          <p class={`status status-${state.status}`} role="status" data-status={state.status}>
            {STATUS_TEXT[state.status]}
            {state.status === 'error' && state.reason ? <span class="reason">{state.reason}</span> : null}
            {state.status === 'masking' && state.perf ? (
              <span class="perf">
                {state.perf.fps} frames/s · {state.perf.maskMs} ms per frame
              </span>
            ) : null}
          </p>
          <label class="switch">
            <input type="checkbox" id="masking-toggle" checked={state.enabled} onChange={toggle} />
            <span>Mask my face on this tab</span>
          </label>
          {!state.enabled ? (
            <p class="warning">Masking is paused: the other side sees your real camera.</p>
          ) : null}
          {style ? (
            <fieldset class="styles">
              <legend>Mask style</legend>
              {MASK_STYLES.map((s) => (
                <label key={s} class="style">
                  <input type="radio" name="style" value={s} checked={style === s} onChange={() => void chooseStyle(s)} />
                  <span>
                    <strong>{STYLE_INFO[s].label}</strong>
                    <small>{STYLE_INFO[s].protection}</small>
                  </span>
                </label>
              ))}
            </fieldset>
          ) : null}
        </>
      ) : (
        <p class="status">Loading…</p>
      )}
      <footer>Everything runs on this computer. No video leaves it except through your call.</footer>
    </main>
  );
}
