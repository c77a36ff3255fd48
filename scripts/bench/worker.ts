/**
 * The bench's own mask worker (never shipped): the shipped worker's body (src/pipeline/worker-main.ts)
 * with the painter forced, taken from this worker's URL: /bench/mask-worker.js?render=cpu|webgl|auto.
 * scripts/bench.ts builds it as a classic IIFE worker (tools/build-classic-worker.ts) and serves it
 * next to the production build, so /mediapipe, /models and /ort are the shipped files.
 */
import type { BackendRequest } from '../../src/mask/digital-renderer';
import { runMaskWorker, type MaskWorkerScope } from '../../src/pipeline/worker-main';

const scope = self as unknown as MaskWorkerScope & { location: Location };
const render = new URLSearchParams(scope.location.search).get('render') ?? 'auto';
const backends: readonly BackendRequest[] = ['cpu', 'webgl', 'auto'];
if (!(backends as readonly string[]).includes(render)) throw new Error(`bench worker: ?render=${render}, expected cpu, webgl or auto`);
runMaskWorker(scope, { renderBackend: render as BackendRequest });
