import { defineExtensionMessaging } from '@webext-core/messaging';
import type { ExtensionProtocol } from './protocol';

/** Typed runtime messaging shared by background, content scripts, the mask frame and the popup. */
export const { sendMessage, onMessage } = defineExtensionMessaging<ExtensionProtocol>();
