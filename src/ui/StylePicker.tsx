/**
 * The mask style, as the patient chooses it: one radio per style with its one plain sentence, or,
 * when the clinic chose the style, the style named and why it cannot be changed.
 */
import { t } from '../i18n/messages';
import type { Controls } from '../settings/controls';
import { MASK_STYLES, STYLE_INFO, type MaskStyle } from '../settings/style';

export function StylePicker(props: { controls: Controls; onChoose: (style: MaskStyle) => void }) {
  const { controls } = props;
  if (controls.styleLocked) {
    return (
      <p class="managed" data-managed="lock-style">
        {t('styleLocked', t(STYLE_INFO[controls.style].label))}
      </p>
    );
  }
  return (
    <fieldset class="styles">
      <legend>{t('styleLegend')}</legend>
      {MASK_STYLES.map((s) => (
        <label key={s} class="style">
          <input type="radio" name="style" value={s} checked={controls.style === s} onChange={() => props.onChoose(s)} />
          <span>
            <strong>{t(STYLE_INFO[s].label)}</strong>
            <small>{t(STYLE_INFO[s].sentence)}</small>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
