import { render } from 'preact';
import { t } from '@/src/i18n/messages';
import '@/src/ui/base.css';
import { OptionsApp } from './OptionsApp';

document.title = t('optionsTitle');
render(<OptionsApp />, document.getElementById('app')!);
