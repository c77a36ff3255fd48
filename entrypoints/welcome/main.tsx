import { render } from 'preact';
import { t } from '@/src/i18n/messages';
import '@/src/ui/base.css';
import { WelcomeApp } from './WelcomeApp';

document.title = t('welcomeTitle');
render(<WelcomeApp />, document.getElementById('app')!);
