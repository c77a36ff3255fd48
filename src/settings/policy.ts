/**
 * A clinic's managed policy: the keys a clinic sets (docs/deploy.md), read from
 * `storage.managed` and validated here, key by key. Browsers do not do it for us: Chrome enforces
 * only part of its schema and drops a bad value silently, Firefox validates nothing. A key that is
 * not valid is ignored — the rest of the policy still holds — and the reason is kept for the
 * options page. A bad site in `extraSites` drops that site only.
 */
import * as v from 'valibot';
import type { PolicyReason } from './reasons';
import { parseSites, type SitePattern } from './sites';
import { MASK_STYLES, type MaskStyle } from './style';

export const POLICY_KEYS = ['forceMasking', 'defaultStyle', 'lockStyle', 'extraSites', 'showReadout'] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

/** Each schema's issue message is the reason's code (said in words by the options page). */
const SCHEMA = {
  forceMasking: v.boolean('notBoolean'),
  defaultStyle: v.picklist(MASK_STYLES, 'notStyle'),
  lockStyle: v.boolean('notBoolean'),
  extraSites: v.array(v.string('siteNotString'), 'notList'),
  showReadout: v.boolean('notBoolean'),
} satisfies Record<PolicyKey, v.GenericSchema>;

const STYLE_LIST = MASK_STYLES.map((s) => `"${s}"`).join(', ');

function schemaReason(message: string): PolicyReason {
  switch (message) {
    case 'notStyle':
      return { code: 'notStyle', arg: STYLE_LIST };
    case 'notList':
    case 'siteNotString':
      return { code: message };
    default:
      return { code: 'notBoolean' };
  }
}

export interface ClinicPolicy {
  forceMasking: boolean;
  defaultStyle?: MaskStyle;
  lockStyle: boolean;
  extraSites: SitePattern[];
  /** The eye read-out forced on (true) or off (false) for every call; undefined: the patient decides. */
  showReadout?: boolean;
}

export interface PolicyIssue {
  key: string;
  /** The value as the clinic wrote it (JSON), where one was refused. */
  value?: string;
  reason: PolicyReason;
}

export interface PolicyReading {
  policy: ClinicPolicy;
  /** The keys in force, as the clinic wrote them (after dropping what was ignored). */
  inForce: Partial<Record<PolicyKey, unknown>>;
  ignored: PolicyIssue[];
}

export const NO_POLICY: ClinicPolicy = { forceMasking: false, lockStyle: false, extraSites: [] };

const isPolicyKey = (key: string): key is PolicyKey => (POLICY_KEYS as readonly string[]).includes(key);

export function readPolicy(raw: unknown): PolicyReading {
  const policy: ClinicPolicy = { ...NO_POLICY, extraSites: [] };
  const inForce: PolicyReading['inForce'] = {};
  const ignored: PolicyIssue[] = [];
  if (raw === null || raw === undefined) return { policy, inForce, ignored };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    ignored.push({ key: '(policy)', reason: { code: 'policyNotObject' } });
    return { policy, inForce, ignored };
  }
  const values = raw as Record<string, unknown>;
  for (const key of Object.keys(values)) {
    if (!isPolicyKey(key)) ignored.push({ key, reason: { code: 'unknownKey', arg: POLICY_KEYS.join(', ') } });
  }
  /** The key's value if it is set and valid; otherwise undefined, and an invalid one is reported. */
  const valid = <K extends PolicyKey>(key: K): v.InferOutput<(typeof SCHEMA)[K]> | undefined => {
    if (!(key in values)) return undefined;
    const parsed = v.safeParse(SCHEMA[key], values[key]);
    if (parsed.success) return parsed.output as v.InferOutput<(typeof SCHEMA)[K]>;
    ignored.push({ key, value: JSON.stringify(values[key]), reason: schemaReason(parsed.issues[0].message) });
    return undefined;
  };

  const forceMasking = valid('forceMasking');
  if (forceMasking !== undefined) policy.forceMasking = inForce.forceMasking = forceMasking;
  const defaultStyle = valid('defaultStyle');
  if (defaultStyle !== undefined) policy.defaultStyle = inForce.defaultStyle = defaultStyle;
  const lockStyle = valid('lockStyle');
  if (lockStyle !== undefined) policy.lockStyle = inForce.lockStyle = lockStyle;
  const extraSites = valid('extraSites');
  if (extraSites !== undefined) {
    const { patterns, rejected } = parseSites(extraSites);
    policy.extraSites = inForce.extraSites = patterns;
    for (const r of rejected) ignored.push({ key: `extraSites: ${JSON.stringify(r.site)}`, reason: r.reason });
  }
  const showReadout = valid('showReadout');
  if (showReadout !== undefined) policy.showReadout = inForce.showReadout = showReadout;
  return { policy, inForce, ignored };
}

/**
 * The manifest's `storage.managed_schema` (Chrome and Edge read it; Firefox does not). Kept lax on
 * purpose: Chrome drops a value that breaks the schema before the extension sees it, so a narrower
 * schema (an enum of styles, a site format) would hide a clinic's mistake instead of reporting it;
 * readPolicy validates every value itself. Chrome also refuses to load an extension whose schema
 * uses what its draft-03 subset lacks (docs/deploy.md), so this uses types and descriptions only.
 */
export const MANAGED_SCHEMA = {
  type: 'object',
  properties: {
    forceMasking: { type: 'boolean', description: 'Masking is on on every covered site and cannot be paused.' },
    defaultStyle: { type: 'string', description: `The mask style unless the patient picks another: ${MASK_STYLES.join(', ')}.` },
    lockStyle: { type: 'boolean', description: 'The patient cannot change the mask style.' },
    extraSites: {
      type: 'array',
      description: 'Video-visit sites to cover besides the built-in ones: https origins or patterns like https://*.example.org/*.',
      items: { type: 'string' },
    },
    showReadout: {
      type: 'boolean',
      description: "The eye read-out (measured gaze, lids, blinks) is drawn into the masked video (true) or never (false); unset: the patient's choice.",
    },
  },
} as const;
