import { describe, expect, it } from 'vitest';
import { controlsFrom } from '../../../src/settings/controls';
import { MANAGED_SCHEMA, NO_POLICY, POLICY_KEYS, readPolicy } from '../../../src/settings/policy';

describe('readPolicy: every key validated on its own', () => {
  it('no policy at all is no policy, with nothing to report', () => {
    expect(readPolicy(undefined)).toEqual({ policy: NO_POLICY, inForce: {}, ignored: [] });
    expect(readPolicy({})).toEqual({ policy: NO_POLICY, inForce: {}, ignored: [] });
  });

  it('takes every good key', () => {
    const r = readPolicy({ forceMasking: true, defaultStyle: 'blur', lockStyle: true, extraSites: ['https://video.example-clinic.org', 'https://*.example-clinic.org/*'], showReadout: true });
    expect(r.ignored).toEqual([]);
    expect(r.policy).toEqual({
      forceMasking: true,
      defaultStyle: 'blur',
      lockStyle: true,
      extraSites: ['https://video.example-clinic.org/*', 'https://*.example-clinic.org/*'],
      showReadout: true,
    });
    expect(Object.keys(r.inForce).sort()).toEqual([...POLICY_KEYS].sort());
  });

  it.each([
    ['forceMasking', 'yes'],
    ['forceMasking', 1],
    ['forceMasking', null],
    ['lockStyle', 'true'],
    ['defaultStyle', 'purple'],
    ['defaultStyle', 3],
    ['extraSites', 'https://video.example-clinic.org'],
    ['extraSites', { a: 1 }],
    ['extraSites', [1, 'https://ok.example.org']],
    ['showReadout', 'on'],
    ['showReadout', 1],
  ])('a wrong %s (%j) is ignored, said why, and the other keys still hold', (key, value) => {
    const r = readPolicy({ [key]: value, forceMasking: key === 'forceMasking' ? value : true, lockStyle: key === 'lockStyle' ? value : true });
    expect(r.ignored.map((i) => i.key)).toContain(key);
    const issue = r.ignored.find((i) => i.key === key)!;
    expect(issue.value).toBe(JSON.stringify(value));
    expect(issue.reason.code).toBe(key === 'defaultStyle' ? 'notStyle' : key === 'extraSites' ? (Array.isArray(value) ? 'siteNotString' : 'notList') : 'notBoolean');
    expect(key in r.inForce).toBe(false);
    if (key !== 'forceMasking') expect(r.policy.forceMasking).toBe(true);
    if (key !== 'lockStyle') expect(r.policy.lockStyle).toBe(true);
    expect(r.policy.extraSites).toEqual([]);
    if (key === 'defaultStyle') expect(r.policy.defaultStyle).toBeUndefined();
    if (key === 'showReadout') expect(r.policy.showReadout).toBeUndefined();
  });

  it('a bad site in extraSites drops that site only, and names it', () => {
    const r = readPolicy({ extraSites: ['https://video.example-clinic.org', 'http://insecure.example.org', 'https://*/*'] });
    expect(r.policy.extraSites).toEqual(['https://video.example-clinic.org/*']);
    expect(r.ignored.map((i) => i.key)).toEqual(['extraSites: "http://insecure.example.org"', 'extraSites: "https://*/*"']);
  });

  it('a key telemask does not know is reported, not applied', () => {
    const r = readPolicy({ forceMasking: true, forcemasking: false });
    expect(r.policy.forceMasking).toBe(true);
    expect(r.ignored).toEqual([{ key: 'forcemasking', reason: { code: 'unknownKey', arg: 'forceMasking, defaultStyle, lockStyle, extraSites, showReadout' } }]);
  });

  it('a policy that is not an object is reported', () => {
    expect(readPolicy(['forceMasking']).ignored).toHaveLength(1);
    expect(readPolicy('x').policy).toEqual(NO_POLICY);
  });

  it('the manifest schema names exactly the keys readPolicy reads, with types only (Chrome refuses what its schema subset lacks)', () => {
    expect(Object.keys(MANAGED_SCHEMA.properties).sort()).toEqual([...POLICY_KEYS].sort());
    const used = new Set<string>();
    const walk = (node: object) => {
      for (const [k, v] of Object.entries(node)) {
        used.add(k);
        if (v && typeof v === 'object' && k !== 'properties') walk(v as object);
        if (k === 'properties') for (const p of Object.values(v as object)) walk(p as object);
      }
    };
    walk(MANAGED_SCHEMA);
    for (const k of used) expect(['type', 'properties', 'description', 'items']).toContain(k);
  });
});

describe('controlsFrom: managed values beat the patient', () => {
  it('without a policy: the patient style, or the digital mask; pausing allowed', () => {
    expect(controlsFrom(NO_POLICY, {})).toEqual({ style: 'digital', styleLocked: false, pauseAllowed: true, showReadout: false, readoutLocked: false });
    expect(controlsFrom(NO_POLICY, { style: 'blur' })).toEqual({ style: 'blur', styleLocked: false, pauseAllowed: true, showReadout: false, readoutLocked: false });
  });

  it('defaultStyle is the style until the patient picks one', () => {
    const policy = { ...NO_POLICY, defaultStyle: 'silhouette' as const };
    expect(controlsFrom(policy, {}).style).toBe('silhouette');
    expect(controlsFrom(policy, { style: 'digital' }).style).toBe('digital');
  });

  it('lockStyle: the clinic style whatever the patient picked (the digital mask when the clinic named none)', () => {
    expect(controlsFrom({ ...NO_POLICY, lockStyle: true, defaultStyle: 'blur' }, { style: 'digital' })).toEqual({ style: 'blur', styleLocked: true, pauseAllowed: true, showReadout: false, readoutLocked: false });
    expect(controlsFrom({ ...NO_POLICY, lockStyle: true }, { style: 'silhouette' }).style).toBe('digital');
  });

  it('forceMasking: no pause', () => {
    expect(controlsFrom({ ...NO_POLICY, forceMasking: true }, {}).pauseAllowed).toBe(false);
  });

  it('the eye read-out: off by default, the patient turns it on, a clinic policy forces it on or off', () => {
    expect(controlsFrom(NO_POLICY, {})).toMatchObject({ showReadout: false, readoutLocked: false });
    expect(controlsFrom(NO_POLICY, { showReadout: true })).toMatchObject({ showReadout: true, readoutLocked: false });
    expect(controlsFrom({ ...NO_POLICY, showReadout: true }, { showReadout: false })).toMatchObject({ showReadout: true, readoutLocked: true });
    expect(controlsFrom({ ...NO_POLICY, showReadout: false }, { showReadout: true })).toMatchObject({ showReadout: false, readoutLocked: true });
    expect(readPolicy({ showReadout: false }).policy.showReadout).toBe(false);
  });
});
