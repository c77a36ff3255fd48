/**
 * postinstall: builds models/face_landmarker.task from @mediapipe/face_mesh.
 * Fails (exit 1) if the package's model bytes differ from the pins in models/checksums.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ChecksumMismatchError,
  formatChecksumFile,
  parseChecksumFile,
  sha256,
  verifyPinned,
} from '../build/model-bundle/checksums.js';
import {
  BUNDLE_NAME,
  ENTRY,
  SOURCE_PACKAGE,
  buildFaceLandmarkerBundle,
  readFaceMeshInputs,
  readPackageVersion,
} from '../build/model-bundle/face-landmarker-bundle.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const modelsDir = join(root, 'models');
const checksumsPath = join(modelsDir, 'checksums.json');

/** Writes only when the content changed, so repeated installs leave files untouched. */
function writeIfChanged(path: string, bytes: Uint8Array): void {
  if (existsSync(path) && sha256(readFileSync(path)) === sha256(bytes)) return;
  writeFileSync(path, bytes);
}

function main(): void {
  const started = Date.now();
  const packageDir = dirname(createRequire(import.meta.url).resolve(`${SOURCE_PACKAGE}/package.json`));
  const version = readPackageVersion(packageDir);
  const checksums = parseChecksumFile(readFileSync(checksumsPath, 'utf8'));

  const inputs = readFaceMeshInputs(packageDir);
  try {
    verifyPinned(inputs, checksums.inputs);
  } catch (e) {
    if (e instanceof ChecksumMismatchError) {
      e.message = `${SOURCE_PACKAGE}@${version} (${packageDir}):\n${e.message}`;
    }
    throw e;
  }

  const { task, geometry } = buildFaceLandmarkerBundle(inputs);
  writeIfChanged(join(modelsDir, BUNDLE_NAME), task);
  writeIfChanged(join(modelsDir, ENTRY.geometry), geometry);

  const outputs = { [BUNDLE_NAME]: sha256(task), [ENTRY.geometry]: sha256(geometry) };
  const changed = Object.entries(outputs).some(([k, v]) => checksums.outputs[k] !== v);
  if (changed) {
    checksums.outputs = outputs;
    writeFileSync(checksumsPath, formatChecksumFile(checksums));
  }
  console.log(
    `model bundle: ${relative(root, join(modelsDir, BUNDLE_NAME))} ` +
      `(${(task.length / 1024).toFixed(0)} KiB, sha256 ${outputs[BUNDLE_NAME]?.slice(0, 12)}…) ` +
      `from ${SOURCE_PACKAGE}@${version} in ${Date.now() - started} ms` +
      (changed ? '; recorded new output checksum in models/checksums.json' : ''),
  );
}

try {
  main();
} catch (e) {
  if (e instanceof ChecksumMismatchError) console.error(`\n[build-model-bundle] ${e.message}\n`);
  else console.error('[build-model-bundle] failed:', e);
  process.exit(1);
}
