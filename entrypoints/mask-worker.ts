/**
 * The mask worker (src/pipeline/worker-main.ts): the extension's choices only, nothing read from
 * the worker's URL. Quiet: its console is the call page's console (MediaPipe's WASM prints INFO
 * lines as errors there), and every problem already reaches the patient as a status.
 */
import { runMaskWorker, type MaskWorkerScope } from '@/src/pipeline/worker-main';

export default defineUnlistedScript(() => {
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) console[level] = () => undefined;
  runMaskWorker(self as unknown as MaskWorkerScope);
});
