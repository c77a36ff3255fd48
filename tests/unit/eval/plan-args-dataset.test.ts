import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../../eval/args';
import { DatasetError, loadDataset } from '../../../eval/dataset';
import { clipPlan, evenlySpaced, keptFrames } from '../../../eval/plan';

describe('plan', () => {
  it('spreads frames evenly and keeps them distinct', () => {
    expect(evenlySpaced(100, 4)).toEqual([12, 37, 62, 87]);
    expect(evenlySpaced(3, 10)).toEqual([0, 1, 2]);
    expect(evenlySpaced(0, 3)).toEqual([]);
  });

  it('splits re-ID frames into gallery (first third) and probes', () => {
    const p = clipPlan(300, { faceapiStride: 3, reidFrames: 12 });
    expect(p.reidGallery).toHaveLength(4);
    expect(p.reidProbes).toHaveLength(8);
    expect(Math.max(...p.reidGallery)).toBeLessThan(Math.min(...p.reidProbes));
    expect(p.faceapi).toHaveLength(100);
    expect(p.faceapi[1]).toBe(3);
    expect(p.report).toBe(120);
    expect(keptFrames(p)).toEqual([...new Set(keptFrames(p))].sort((a, b) => a - b));
  });
});

describe('parseArgs', () => {
  const root = '/repo';
  it('has the documented defaults', () => {
    const o = parseArgs([], '/cwd', root);
    expect(o.data).toEqual([path.resolve('/shared/testdata'), path.resolve('/shared/testdata-lfw')]);
    expect(o.dataGiven).toBe(false);
    expect(o.live).toBe(false);
    expect(o.styles).toEqual(['digital', 'blur', 'silhouette']);
    expect(o.out).toBe('/repo/test-artifacts/eval');
    expect(o.build).toBe(true);
  });

  it('reads the options, relative to the working directory', () => {
    const o = parseArgs(['--data', 'd', '--styles', 'blur,digital', '--out=o', '--no-build', '--faceapi-stride', '2'], '/cwd', root);
    expect(o).toMatchObject({ data: ['/cwd/d'], dataGiven: true, styles: ['blur', 'digital'], out: '/cwd/o', build: false, faceapiStride: 2 });
    expect(parseArgs(['--data', 'a,b', '--data', '/c', '--live'], '/cwd', root)).toMatchObject({ data: ['/cwd/a', '/cwd/b', '/c'], live: true });
  });

  it('rejects unknown styles and arguments clearly', () => {
    expect(() => parseArgs(['--styles', 'digital,cartoon'], '/', root)).toThrow(/unknown style\(s\): cartoon/);
    expect(() => parseArgs(['--frobnicate'], '/', root)).toThrow(UsageError);
    expect(() => parseArgs(['--data'], '/', root)).toThrow(/needs a value/);
  });
});

const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);

describe('loadDataset', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'eval-ds-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('fails clearly on a missing or empty folder', () => {
    expect(() => loadDataset(path.join(tmp, 'nope'))).toThrow(DatasetError);
    expect(() => loadDataset(path.join(tmp, 'nope'))).toThrow(/data folder not found.*\n.*expected layout/s);
    mkdirSync(path.join(tmp, 'empty'));
    expect(() => loadDataset(path.join(tmp, 'empty'))).toThrow(/no usable data/);
  });

  it('finds clips and identities, skipping people with fewer than two photos', () => {
    const d = path.join(tmp, 'ds');
    mkdirSync(path.join(d, 'videos'), { recursive: true });
    writeFileSync(path.join(d, 'videos', 'b.mp4'), '');
    writeFileSync(path.join(d, 'videos', 'a.mp4'), '');
    writeFileSync(path.join(d, 'videos', 'notes.txt'), '');
    for (const [p, n] of [['x', 2], ['y', 3], ['z', 1]] as const) {
      mkdirSync(path.join(d, 'identities', p), { recursive: true });
      for (let i = 0; i < n; i++) writeFileSync(path.join(d, 'identities', p, `${i}.jpg`), JPEG_MAGIC);
    }
    // a WebP named .jpg is a photo; a text file named .jpg is not
    writeFileSync(path.join(d, 'identities', 'x', '9.jpg'), Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'));
    writeFileSync(path.join(d, 'identities', 'y', 'notes.jpg'), 'not a picture');
    const ds = loadDataset(d);
    expect(ds.name).toBe('ds');
    expect(ds.clips.map((c) => c.name)).toEqual(['a', 'b']);
    expect(ds.identities.map((i) => i.person)).toEqual(['x', 'y']);
    expect(ds.identities[0]!.photos.map((p) => p.name)).toEqual(['0.jpg', '1.jpg', '9.jpg']);
    expect(ds.identities[1]!.photos.map((p) => p.name)).toEqual(['0.jpg', '1.jpg', '2.jpg']);
    expect(ds.warnings.join('\n')).toMatch(/identities\/z: 1 photo/);
    expect(ds.warnings.join('\n')).toMatch(/identities\/y\/notes.jpg: not an image by its content/);
  });
});
