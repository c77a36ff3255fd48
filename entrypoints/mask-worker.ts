/**
 * The mask worker (classic worker: tasks-vision loads its WASM glue with importScripts).
 * It runs on the extension's origin, where the manifest allows WASM, whatever the page's CSP.
 * It talks only to the port the mask frame handed it after the background vouched for it.
 */
import type { ToWorker } from '@/src/channel/protocol';
import { MaskPipeline } from '@/src/pipeline/mask-pipeline';
import { isMaskStyle } from '@/src/settings/style';

export default defineUnlistedScript(() => {
  const scope = self as unknown as {
    onmessage: ((e: MessageEvent) => void) | null;
    location: Location;
  };
  scope.onmessage = (e: MessageEvent<{ type: 'connect'; port: MessagePort }>) => {
    if (e.data?.type !== 'connect' || !(e.data.port instanceof MessagePort)) return;
    scope.onmessage = null;
    const port = e.data.port;
    const pipeline = new MaskPipeline((message, transfer = []) => port.postMessage(message, transfer));
    port.onmessage = (m: MessageEvent<ToWorker>) => {
      if (m.data?.type === 'frame') void pipeline.onFrame(m.data);
      else if (m.data?.type === 'config' && isMaskStyle(m.data.style)) pipeline.setStyle(m.data.style);
    };
    const url = (path: string) => new URL(path, scope.location.href).href;
    void pipeline.init({
      wasmBase: url('/mediapipe'),
      modelUrl: url('/models/face_landmarker.task'),
      canonicalFaceUrl: url('/models/geometry_pipeline_metadata_landmarks.binarypb'),
      safetyNet: { modelUrl: url('/models/face_detection_back_256x256.onnx'), ortBase: url('/ort/') },
    });
  };
});
