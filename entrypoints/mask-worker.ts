/**
 * The mask worker (src/pipeline/worker-main.ts): the extension's choices only, nothing read from
 * the worker's URL.
 */
import { runMaskWorker, type MaskWorkerScope } from '@/src/pipeline/worker-main';

export default defineUnlistedScript(() => {
  runMaskWorker(self as unknown as MaskWorkerScope);
});
