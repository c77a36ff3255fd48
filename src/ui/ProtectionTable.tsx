/**
 * "How well does each style protect me?": the eval's figures (src/settings/protection.ts) per
 * style and data set, next to guessing, and what they do not promise.
 */
import { t } from '../i18n/messages';
import { EVAL_DATE, PROTECTION_FIGURES, PROTECTION_TESTS, percent } from '../settings/protection';
import { MASK_STYLES, STYLE_INFO } from '../settings/style';

export function ProtectionTable() {
  return (
    <section id="protection" aria-labelledby="protection-title">
      <h2 id="protection-title">{t('protectionTitle')}</h2>
      <p>{t('protectionIntro')}</p>
      {MASK_STYLES.map((style) => (
        <table key={style} class="figures" data-style={style}>
          <caption>{t(STYLE_INFO[style].label)}</caption>
          <thead>
            <tr>
              <th scope="col">{t('protectionTest')}</th>
              <th scope="col">{t('protectionMatched')}</th>
              <th scope="col">{t('protectionGuessing')}</th>
            </tr>
          </thead>
          <tbody>
            {PROTECTION_TESTS.map((test) => {
              const f = PROTECTION_FIGURES[style][test.eval]!;
              return (
                <tr key={test.eval} data-test={test.eval}>
                  <th scope="row">{t(test.label, test.people)}</th>
                  <td>{t('protectionRange', percent(f.percent), percent(f.low), percent(f.high))}</td>
                  <td>{percent(f.chance)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
      <p>{t('protectionNobody')}</p>
      <p>{t('protectionVideo')}</p>
      <p class="hint">{t('protectionSource', EVAL_DATE)}</p>
    </section>
  );
}
