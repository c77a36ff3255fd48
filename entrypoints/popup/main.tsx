import { render } from 'preact';
import { t } from '@/src/i18n/messages';
import '@/src/ui/base.css';
import { App } from './App';

document.title = t('extName');
render(<App />, document.getElementById('app')!);
