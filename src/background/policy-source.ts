/**
 * The clinic's managed policy as the browser hands it over (`storage.managed`: Chrome and Edge
 * from their policy files and registry, Firefox from policies.json's `3rdparty` section), read at
 * start and again whenever the clinic changes it, then validated (src/settings/policy.ts).
 */
import { browser } from 'wxt/browser';
import { readPolicy, type PolicyReading } from '../settings/policy';

async function readManaged(): Promise<PolicyReading> {
  try {
    return readPolicy(await browser.storage.managed.get());
  } catch (error) {
    // Firefox rejects when no policy names the extension; that is "no policy", not an error.
    const message = error instanceof Error ? error.message : String(error);
    if (/managed storage manifest not found|not found/i.test(message)) return readPolicy(undefined);
    const reading = readPolicy(undefined);
    reading.ignored.push({ key: '(policy)', reason: { code: 'policyUnreadable', arg: message } });
    return reading;
  }
}

/** Calls `onChange` with every later reading; resolves with the first. */
export function watchPolicy(onChange: (reading: PolicyReading) => void): Promise<PolicyReading> {
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') void readManaged().then(onChange);
  });
  return readManaged();
}
