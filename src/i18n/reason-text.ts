/** A refused site or policy value (src/settings/reasons.ts) in the reader's language. */
import type { PolicyReason, ReasonCode } from '../settings/reasons';
import { t, type MessageKey } from './messages';

const REASON_MESSAGE: Record<ReasonCode, MessageKey> = {
  notSite: 'reasonNotSite',
  notHttps: 'reasonNotHttps',
  hasPath: 'reasonHasPath',
  hasUser: 'reasonHasUser',
  hasPort: 'reasonHasPort',
  everySite: 'reasonEverySite',
  wildcardNotFirst: 'reasonWildcardNotFirst',
  notHost: 'reasonNotHost',
  wholeTld: 'reasonWholeTld',
  policyNotObject: 'reasonPolicyNotObject',
  unknownKey: 'reasonUnknownKey',
  notBoolean: 'reasonNotBoolean',
  notStyle: 'reasonNotStyle',
  notList: 'reasonNotList',
  siteNotString: 'reasonSiteNotString',
  policyUnreadable: 'reasonPolicyUnreadable',
};

/** The message that says `reason`, and what fills it. */
export function reasonMessage(reason: PolicyReason): { key: MessageKey; args: string[] } {
  return { key: REASON_MESSAGE[reason.code], args: 'arg' in reason ? [reason.arg] : [] };
}

export function reasonText(reason: PolicyReason): string {
  const { key, args } = reasonMessage(reason);
  return t(key, ...args);
}
