/**
 * The mask pipeline's start-up (MaskPipeline.init, src/pipeline/mask-pipeline.ts) step by step, in
 * a classic worker like the shipped one, on the production build's files. Posts one line of
 * milliseconds per step.
 */
import { parseCanonicalFace } from '../../../src/mask/canonical-face';
import { DigitalMaskRenderer } from '../../../src/mask/digital-renderer';
import { readSkinTexture, SKIN_TEXTURE_FILE } from '../../../src/mask/skin-texture';
import { FaceTracker } from '../../../src/vision/landmarker';

const marks: [string, number][] = [['start', performance.now()]];
const mark = (name: string) => marks.push([name, performance.now()]);
const bytes = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());

void (async () => {
  const [model, canonical, skin] = await Promise.all([bytes('/models/face_landmarker.task'), bytes('/models/geometry_pipeline_metadata_landmarks.binarypb'), bytes(`/${SKIN_TEXTURE_FILE}`)]);
  mark('fetch model, canonical face, skin texture');
  const face = parseCanonicalFace(canonical);
  const texture = readSkinTexture(skin);
  mark('parse');
  const tracker = await FaceTracker.create({ wasmBase: '/mediapipe', modelBuffer: model });
  mark('landmarker (WASM compile, graph)');
  const digital = new DigitalMaskRenderer(face, texture, {});
  mark('digital renderer');
  tracker.detect(new ImageData(64, 64), 0);
  mark('warm-up frame');
  void digital.backend;
  mark(`painter choice (${digital.backend})`);
  tracker.detect(new ImageData(640, 480), 40);
  mark('first 640x480 frame (after ready)');
  postMessage(marks.slice(1).map(([name, t], i) => [name, t - marks[i]![1]] as const));
})();
