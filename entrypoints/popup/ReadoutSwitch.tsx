/**
 * The patient's switch for the clinician's eye read-out (docs/readout.md): off until they turn it
 * on; when the clinic's policy decides it, its state is said instead, fixed. It shows the popup's
 * controls (drawn with the rest of them, never after) and sets only the read-out.
 */
import { useState } from 'preact/hooks';
import { sendMessage } from '@/src/channel/messaging';
import { t } from '@/src/i18n/messages';
import type { Controls } from '@/src/settings/controls';

export function ReadoutSwitch(props: { controls: Controls; onChange: (controls: Controls) => void }) {
  const { controls } = props;
  const [problem, setProblem] = useState<string | null>(null);
  const flip = () => {
    sendMessage('setReadout', !controls.showReadout).then(props.onChange, (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)));
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
