import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { namespacedBrowser } from '../../../tools/managed-policy';

describe('namespacedBrowser', () => {
  it('never writes the policy into the machine’s folder, even when that folder is a symlink (Debian’s Firefox distribution)', () => {
    const machine = mkdtempSync(path.join(os.tmpdir(), 'telemask-machine-'));
    try {
      const real = path.join(machine, 'share', 'distribution');
      mkdirSync(real, { recursive: true });
      writeFileSync(path.join(real, 'kept.txt'), 'the machine’s own file');
      const link = path.join(machine, 'lib-distribution');
      symlinkSync(real, link);
      const files = namespacedBrowser('/usr/bin/true', link, 'policies.json', { policies: { x: 1 } });
      try {
        expect(existsSync(path.join(real, 'policies.json'))).toBe(false);
        const wrapper = readFileSync(files.executablePath, 'utf8');
        expect(wrapper).toContain(`mount --bind "$0" ${real} `); // over the real folder, not the link
        files.write({ policies: { x: 2 } });
        expect(existsSync(path.join(real, 'policies.json'))).toBe(false);
      } finally {
        files.dispose();
      }
      expect(readFileSync(path.join(real, 'kept.txt'), 'utf8')).toBe('the machine’s own file');
    } finally {
      rmSync(machine, { recursive: true, force: true });
    }
  });
});
