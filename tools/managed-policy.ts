/**
 * Runs Chromium (and Firefox, below) under a real managed policy file, the way a clinic's Linux machine has it
 * (/etc/chromium/policies/managed/*.json, docs/deploy.md), without touching the machine's own
 * /etc: Chromium starts in a private mount namespace (`unshare --mount`, root only) in which a
 * temporary copy of /etc/chromium holding the policy file is bind-mounted over /etc/chromium. Only
 * that browser sees the policy; other browsers running at the same time do not.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findChromium } from './chromium';

const POLICY_ROOT = '/etc/chromium';

/** Why a private mount namespace cannot be made here, or undefined when it can. */
function namespaceUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'a private mount namespace needs root (unshare --mount)';
  try {
    execFileSync('unshare', ['--mount', 'true'], { stdio: 'ignore' });
  } catch (e) {
    return `unshare --mount failed here: ${(e as Error).message}`;
  }
  return undefined;
}

/** Why a policy browser cannot run here, or undefined when it can. */
export function managedPolicyUnavailable(): string | undefined {
  if (!existsSync(POLICY_ROOT)) return `${POLICY_ROOT} does not exist (Debian's chromium package creates it)`;
  return namespaceUnavailable();
}

/** Why a Firefox policy browser cannot run here, or undefined when it can. */
export function firefoxPolicyUnavailable(firefox = '/usr/bin/firefox-esr'): string | undefined {
  if (!existsSync(firefox)) return `no Firefox at ${firefox}`;
  const distribution = path.join(path.dirname(realpathSync(firefox)), 'distribution');
  if (!existsSync(distribution)) return `${distribution} does not exist: nothing to mount the policy over`;
  return namespaceUnavailable();
}

export interface PolicyBrowser {
  /** A browser executable that sees `policy` as its policy file. */
  executablePath: string;
  /** Replaces the policy file (Chromium rereads policy files every few seconds and at start). */
  write(policy: object): void;
  dispose(): void;
}

/**
 * `browser`, started in a private mount namespace in which a temporary copy of `folder`, holding the
 * policy file at `file` (relative to the folder), is bind-mounted over `folder`.
 */
export function namespacedBrowser(browser: string, folder: string, file: string, policy: object): PolicyBrowser {
  // The folder may be a symlink (Debian's /usr/lib/firefox-esr/distribution is one): copy and mount
  // over what it points to, never write through it into the machine's own folder.
  const real = realpathSync(folder);
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'telemask-policy-')));
  const copy = path.join(dir, path.basename(real));
  cpSync(real, copy, { recursive: true, dereference: true });
  const target = path.join(copy, file);
  mkdirSync(path.dirname(target), { recursive: true });
  if (!realpathSync(path.dirname(target)).startsWith(`${dir}${path.sep}`)) throw new Error(`the policy copy ${target} is not inside ${dir}`);
  const write = (p: object) => writeFileSync(target, JSON.stringify(p, null, 2));
  write(policy);
  const wrapper = path.join(dir, 'browser');
  writeFileSync(wrapper, `#!/bin/sh\nexec unshare --mount sh -c 'mount --bind "$0" ${real} && exec "$@"' '${copy}' '${browser}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  return { executablePath: wrapper, write, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `policy`: the whole file's content, e.g. { "3rdparty": { "extensions": { id: {...} } } }. */
export function policyBrowser(policy: object, chromium = findChromium()): PolicyBrowser {
  return namespacedBrowser(chromium, POLICY_ROOT, path.join('policies', 'managed', 'telemask.json'), policy);
}

/**
 * Firefox under a clinic's policies.json (docs/deploy.md): Firefox reads it from the `distribution`
 * folder beside its binary, here bind-mounted as above. `policies`: the whole file, { "policies": { … } }.
 */
export function firefoxPolicyBrowser(policies: object, firefox: string): PolicyBrowser {
  const binary = realpathSync(firefox);
  const distribution = path.join(path.dirname(binary), 'distribution');
  if (!existsSync(distribution)) throw new Error(`${distribution} does not exist: nothing to mount the policy over`);
  return namespacedBrowser(binary, distribution, 'policies.json', policies);
}
