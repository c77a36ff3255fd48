/**
 * vitest globalSetup for the e2e project: builds the production extension once (`npx wxt build`)
 * unless TELEMASK_SKIP_BUILD=1, checks .output/chrome-mv3/manifest.json, and provides its path to
 * the tests as inject('extensionDir').
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXTENSION_DIR = path.join(REPO_ROOT, '.output', 'chrome-mv3');

export const FIREFOX_EXTENSION_DIR = path.join(REPO_ROOT, '.output', 'firefox-mv3');

declare module 'vitest' {
  export interface ProvidedContext {
    extensionDir: string;
    /** The Firefox build (npm run build:firefox), for the suites that run in Firefox. */
    firefoxExtensionDir: string;
  }
}

function build(args: string[]): void {
  const t0 = Date.now();
  console.log(`[e2e] npx wxt ${args.join(' ')} …`);
  const r = spawnSync('npx', ['wxt', ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: process.env });
  if (r.error || r.status !== 0) {
    throw new Error(`[e2e] 'npx wxt ${args.join(' ')}' failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  }
  console.log(`[e2e] build done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

export default function setup(project: TestProject): void {
  const selftest = process.env.TELEMASK_E2E_SELFTEST === '1';
  if (!selftest && process.env.TELEMASK_SKIP_BUILD !== '1') {
    build(['build']);
    build(['build', '-b', 'firefox', '--mv3']);
  }
  if (!selftest && !existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`[e2e] no extension build at ${EXTENSION_DIR} (run 'npx wxt build', or unset TELEMASK_SKIP_BUILD)`);
  }
  project.provide('extensionDir', EXTENSION_DIR);
  project.provide('firefoxExtensionDir', FIREFOX_EXTENSION_DIR);
}
