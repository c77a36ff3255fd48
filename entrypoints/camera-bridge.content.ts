/**
 * Page ISOLATED world, document_start, every frame: owns the native camera and the frame pump,
 * and relays settings and status between the tab and the background.
 */
import { onMessage, sendMessage } from '@/src/channel/messaging';
import { offerPageChannel } from '@/src/channel/page-channel';
import { CameraBridge } from '@/src/pump/camera-bridge';
import { DEFAULT_STYLE } from '@/src/settings/style';
import { DEFAULT_TELEHEALTH_MATCHES } from '@/src/settings/origins';

export default defineContentScript({
  matches: [...DEFAULT_TELEHEALTH_MATCHES],
  runAt: 'document_start',
  allFrames: true,
  matchAboutBlank: true,
  main() {
    let bridge: CameraBridge | null = null;
    offerPageChannel((end) => {
      bridge = new CameraBridge(end, {
        initialSettings: () =>
          sendMessage('bridgeHello', undefined).catch(
            () => ({ enabled: true, style: DEFAULT_STYLE }), // background unreachable: mask
          ),
        reportStatus: (report) => void sendMessage('reportStatus', report).catch(() => undefined),
      });
    });
    onMessage('applyTabSettings', ({ data }) => {
      bridge?.applySettings(data);
    });
  },
});
