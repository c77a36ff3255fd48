import { render } from 'preact';
import { t } from '@/src/i18n/messages';
import '@/src/ui/base.css';
import { SelfViewApp } from './SelfViewApp';

document.title = t('selfViewTitle');
render(<SelfViewApp />, document.getElementById('app')!);
