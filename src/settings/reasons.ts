/**
 * Why a site or a clinic's policy value was refused: a code and what it refers to, never words.
 * The pages say it in the patient's or the IT admin's language (src/ui/reason-text.ts, from
 * messages.json), the same way a Problem is said in the popup.
 */
export type SiteReason =
  | { code: 'notSite' }
  | { code: 'notHttps'; arg: string }
  | { code: 'hasPath'; arg: string }
  | { code: 'hasUser' }
  | { code: 'hasPort' }
  | { code: 'everySite' }
  | { code: 'wildcardNotFirst' }
  | { code: 'notHost'; arg: string }
  | { code: 'wholeTld'; arg: string };

export type PolicyReason =
  | SiteReason
  | { code: 'policyNotObject' }
  | { code: 'unknownKey'; arg: string }
  | { code: 'notBoolean' }
  | { code: 'notStyle'; arg: string }
  | { code: 'notList' }
  | { code: 'siteNotString' }
  | { code: 'policyUnreadable'; arg: string };

export type ReasonCode = PolicyReason['code'];
