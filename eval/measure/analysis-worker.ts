/**
 * Worker thread that owns face-api and the second recognizer (eval/analyzer.ts is its client).
 * Jobs run one at a time, in arrival order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FaceAnalysis } from './face-analysis';
import type { AnalysisJob, AnalysisReply } from '../analyzer';

if (!parentPort) throw new Error('analysis-worker must run as a worker thread');
const port = parentPort;

const ready = FaceAnalysis.load(workerData.second);
let chain: Promise<unknown> = Promise.resolve();

port.on('message', (job: AnalysisJob) => {
  chain = chain.then(async () => {
    let reply: AnalysisReply;
    try {
      const fa = await ready;
      const img = { width: job.width, height: job.height, rgba: new Uint8Array(job.rgba) };
      if (job.op === 'detect') reply = { id: job.id, ok: true, value: await fa.detect(img) };
      else if (job.op === 'landmarks') reply = { id: job.id, ok: true, value: await fa.landmarks(img) };
      else reply = { id: job.id, ok: true, value: await fa.embed(img, job.box!) };
    } catch (e) {
      reply = { id: job.id, ok: false, error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) };
    }
    port.postMessage(reply);
  });
});

ready.then(
  () => port.postMessage({ id: 0, ok: true, value: 'ready' } satisfies AnalysisReply),
  (e) => port.postMessage({ id: 0, ok: false, error: `face models failed to load: ${e?.message ?? e}` } satisfies AnalysisReply),
);
