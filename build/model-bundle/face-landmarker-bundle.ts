/**
 * Builds the FaceLandmarker .task bundle from the files shipped in @mediapipe/face_mesh.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFiles, parseLoaderListing } from './emscripten-package.js';
import { storedZip } from './stored-zip.js';
import { mergeAttentionOutputs } from './tflite-graph.js';
import { TfliteEditor } from './tflite-editor.js';
import { buildImageModelMetadata } from './tflite-metadata.js';
import { TFLITE_METADATA_KEY } from './tflite-schema.js';

export const SOURCE_PACKAGE = '@mediapipe/face_mesh';
export const PACKED_DATA = 'face_mesh_solution_packed_assets.data';
export const PACKED_LOADER = 'face_mesh_solution_packed_assets_loader.js';

/** Files taken out of the package. */
export const INPUT = {
  detector: 'face_detection_short_range.tflite',
  landmarks: 'face_landmark_with_attention.tflite',
  geometry: 'geometry_pipeline_metadata_landmarks.binarypb',
} as const;

/** Entry names FaceLandmarker looks up inside the .task. */
export const ENTRY = {
  detector: 'face_detector.tflite',
  landmarks: 'face_landmarks_detector.tflite',
  geometry: 'geometry_pipeline_metadata_landmarks.binarypb',
} as const;

export const BUNDLE_NAME = 'face_landmarker.task';

export function readPackageVersion(packageDir: string): string {
  return (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Extracts the three input files from the package's Emscripten file bundle. */
export function readFaceMeshInputs(packageDir: string): Map<string, Uint8Array> {
  const listing = parseLoaderListing(readFileSync(join(packageDir, PACKED_LOADER), 'utf8'));
  const data = new Uint8Array(readFileSync(join(packageDir, PACKED_DATA)));
  return extractFiles(data, listing, Object.values(INPUT));
}

function withImageMetadata(
  ed: TfliteEditor,
  name: string,
  description: string,
  mean: number,
  std: number,
): Uint8Array {
  const g = ed.mainGraph;
  const tensorName = (i: number): string => g.tensors[i]?.name ?? `tensor_${i}`;
  const outputs = ed.pendingOutputs();
  const metadata = buildImageModelMetadata({
    name,
    description,
    version: 'telemask-1',
    author: 'Google (model); telemask (metadata and output merge)',
    license: 'Apache License. Version 2.0 http://www.apache.org/licenses/LICENSE-2.0.',
    input: {
      name: tensorName(g.inputs[0] as number),
      description: 'RGB image; values are (pixel - mean) / std.',
      mean: [mean],
      std: [std],
    },
    outputs: outputs.map((i) => ({ name: ed.tensorName(i), description: '' })),
  });
  ed.addMetadata(TFLITE_METADATA_KEY, metadata);
  return ed.build();
}

/** Short-range BlazeFace with metadata: inputs in [-1, 1]. */
export function buildDetectorModel(original: Uint8Array): Uint8Array {
  return withImageMetadata(
    new TfliteEditor(original),
    'face_detector',
    'BlazeFace short-range face detector (128x128) from @mediapipe/face_mesh.',
    127.5,
    127.5,
  );
}

/** Attention mesh with merged 478-point output and metadata: inputs in [0, 1]. */
export function buildLandmarksModel(original: Uint8Array): Uint8Array {
  const ed = new TfliteEditor(original);
  mergeAttentionOutputs(ed);
  return withImageMetadata(
    ed,
    'face_landmarks_detector',
    'Face mesh with attention (192x192) from @mediapipe/face_mesh; refined lips, eyes and ' +
      'irises merged into 478 landmarks as MediaPipe\'s LandmarksRefinementCalculator does.',
    0,
    255,
  );
}

export interface FaceLandmarkerBundle {
  task: Uint8Array;
  geometry: Uint8Array;
}

export function buildFaceLandmarkerBundle(inputs: ReadonlyMap<string, Uint8Array>): FaceLandmarkerBundle {
  const get = (name: string): Uint8Array => {
    const bytes = inputs.get(name);
    if (!bytes) throw new Error(`missing input ${name}`);
    return bytes;
  };
  const geometry = get(INPUT.geometry);
  const task = storedZip([
    { name: ENTRY.detector, data: buildDetectorModel(get(INPUT.detector)) },
    { name: ENTRY.landmarks, data: buildLandmarksModel(get(INPUT.landmarks)) },
    { name: ENTRY.geometry, data: geometry },
  ]);
  return { task, geometry };
}
