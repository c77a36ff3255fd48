// Test helper page (no extension involved): MediaPipe FaceLandmarker in IMAGE mode, so each frame
// is judged on its own. window.countFaces(base64Rgba, width, height) → number of faces found.
import { FaceLandmarker, FilesetResolver } from '/mediapipe/vision_bundle.mjs';

const fileset = await FilesetResolver.forVisionTasks('/mediapipe/wasm');
const landmarker = await FaceLandmarker.createFromOptions(fileset, {
  baseOptions: { modelAssetPath: '/models/face_landmarker.task', delegate: 'CPU' },
  runningMode: 'IMAGE',
  numFaces: 4,
});
window.countFaces = (base64, width, height) => {
  const bytes = Uint8ClampedArray.from(atob(base64), (c) => c.charCodeAt(0));
  return landmarker.detect(new ImageData(bytes, width, height)).faceLandmarks.length;
};
window.landmarkerReady = true;
