/**
 * The mask worker's body (classic worker: tasks-vision loads its WASM glue with importScripts).
 * It runs on the extension's origin, where the manifest allows WASM, whatever the page's CSP.
 * It talks only to the port the mask frame handed it after the background vouched for it.
 *
 * Two entries call it: the shipped worker (entrypoints/mask-worker.ts) with no options, and the
 * bench's own worker (scripts/bench/worker.ts, never shipped), which picks the painter in code.
 * Nothing here reads the worker's URL except to resolve the extension's files.
 */
import type { ToWorker } from '../channel/protocol';
import { isMaskStyle } from '../settings/style';
import { SKIN_TEXTURE_FILE } from '../mask/skin-texture';
import { MaskPipeline, type MaskPipelineOptions } from './mask-pipeline';

export interface MaskWorkerScope {
  onmessage: ((e: MessageEvent) => void) | null;
  location: { href: string };
}

/** Waits for { type: 'connect', port }, then serves the pipeline on that port. */
export function runMaskWorker(scope: MaskWorkerScope, options: MaskPipelineOptions = {}): void {
  scope.onmessage = (e: MessageEvent<{ type: 'connect'; port: MessagePort }>) => {
    if (e.data?.type !== 'connect' || !(e.data.port instanceof MessagePort)) return;
    scope.onmessage = null;
    const port = e.data.port;
    const pipeline = new MaskPipeline((message, transfer = []) => port.postMessage(message, transfer), options);
    port.onmessage = (m: MessageEvent<ToWorker>) => {
      const message = m.data;
      if (message?.type === 'frame') void pipeline.onFrame(message);
      else if (message?.type === 'config' && isMaskStyle(message.style)) pipeline.setStyle(message.style);
      else if (message?.type === 'reset') pipeline.reset();
    };
    const url = (path: string) => new URL(path, scope.location.href).href;
    void pipeline.init({
      wasmBase: url('/mediapipe'),
      modelUrl: url('/models/face_landmarker.task'),
      canonicalFaceUrl: url('/models/geometry_pipeline_metadata_landmarks.binarypb'),
      skinTextureUrl: url(`/${SKIN_TEXTURE_FILE}`),
      safetyNet: { modelUrl: url('/models/face_detection_back_256x256.onnx'), ortBase: url('/ort/') },
    });
  };
}
