/**
 * The patient's switch for the clinician's eye read-out (docs/readout.md): off until they turn it
 * on; when the clinic's policy decides it, its state is said instead, fixed. Self-contained: it
 * asks the background for the controls in force and sets only the read-out.
 */
import { useEffect, useState } from 'preact/hooks';
import { sendMessage } from '@/src/channel/messaging';
import { t } from '@/src/i18n/messages';
import type { Controls } from '@/src/settings/controls';

export function ReadoutSwitch() {
  const [controls, setControls] = useState<Controls | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const fail = (error: unknown) => setProblem(error instanceof Error ? error.message : String(error));

  useEffect(() => {
    sendMessage('getControls', undefined).then(setControls, fail);
  }, []);

  if (!controls) return null;
  const flip = () => {
    sendMessage('setReadout', !controls.showReadout).then(setControls, fail);
  };
  return (
    <section class="readout" data-readout={controls.showReadout ? 'on' : 'off'}>
      {controls.readoutLocked ? (
        <p class="managed" data-managed="readout">
          {t('readoutLocked', t(controls.showReadout ? 'readoutShown' : 'readoutNotShown'))}
        </p>
      ) : (
        <label class="switch">
          <input type="checkbox" id="readout-toggle" checked={controls.showReadout} onChange={flip} />
          <span>{t('readoutSwitch')}</span>
        </label>
      )}
      <small class="hint">{t('readoutHint')}</small>
      {problem ? (
        <p class="status status-error" role="alert">
          {problem}
        </p>
      ) : null}
    </section>
  );
}
