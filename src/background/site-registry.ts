/**
 * Makes the sites beyond the built-in list covered exactly like the built-in ones: both content
 * scripts registered for them (MAIN and ISOLATED worlds, document_start, every frame, the
 * documents they create — src/settings/origins.ts), and the camera Permissions-Policy header
 * (src/settings/camera-policy.ts) naming every covered site. Chrome injects only where the
 * extension holds the host permission, so a site is registered only once its permission is granted;
 * sync runs again whenever the sites or the permissions change, one run at a time.
 *
 * The sites a patient added are the host permissions they granted beyond the built-in list and the
 * clinic's (asked for by the popup or the options page, or given on chrome://extensions): one
 * source of truth, so a site is covered exactly while telemask may run there.
 */
import { browser } from 'wxt/browser';
import { cameraPolicyRules } from '../settings/camera-policy';
import { CONTENT_SCRIPT_DOCUMENTS, CONTENT_SCRIPT_FILES, DEFAULT_TELEHEALTH_MATCHES } from '../settings/origins';
import { parseSites, type SiteAccess, type SitePattern } from '../settings/sites';

const HOOK_ID = 'telemask-camera-hook';
const BRIDGE_ID = 'telemask-camera-bridge';
/** The manifest's rule file (the built-in sites); replaced by a dynamic rule while extra sites are covered. */
const STATIC_RULESET = 'camera-policy';

export interface SiteCoverage {
  /** The clinic's sites, each with whether telemask may run there yet. */
  clinic: SiteAccess[];
  /** The sites the patient added (all granted). */
  user: SitePattern[];
}

export class SiteRegistry {
  private running: Promise<unknown> = Promise.resolve();

  /** Registers the granted clinic sites and the patient's sites; resolves with what is covered. */
  sync(clinicSites: readonly SitePattern[]): Promise<SiteCoverage> {
    const run = this.running.then(() => this.apply(clinicSites));
    this.running = run.catch(() => undefined);
    return run;
  }

  private async apply(clinicSites: readonly SitePattern[]): Promise<SiteCoverage> {
    const builtIn: readonly string[] = DEFAULT_TELEHEALTH_MATCHES;
    const clinic = await Promise.all(
      clinicSites.map(async (pattern) => ({ pattern, granted: await browser.permissions.contains({ origins: [pattern] }) })),
    );
    const { origins = [] } = await browser.permissions.getAll();
    const user = parseSites(origins).patterns.filter((p) => !builtIn.includes(p) && !clinicSites.includes(p));
    const granted: string[] = [...clinic.filter((a) => a.granted).map((a) => a.pattern), ...user];
    await this.register(granted);
    await this.applyCameraPolicy(granted);
    return { clinic, user };
  }

  /** One rule names every covered site; the new rule is in force before the old one goes (no gap). */
  private async applyCameraPolicy(extra: string[]): Promise<void> {
    const dnr = browser.declarativeNetRequest;
    const old = (await dnr.getDynamicRules()).map((r) => r.id);
    if (extra.length > 0) {
      await dnr.updateDynamicRules({ removeRuleIds: old, addRules: cameraPolicyRules([...DEFAULT_TELEHEALTH_MATCHES, ...extra]) });
      await dnr.updateEnabledRulesets({ disableRulesetIds: [STATIC_RULESET] });
    } else {
      await dnr.updateEnabledRulesets({ enableRulesetIds: [STATIC_RULESET] });
      if (old.length > 0) await dnr.updateDynamicRules({ removeRuleIds: old });
    }
  }

  /**
   * Updates the registered scripts in place where they exist: unregistering first would leave a
   * moment in which a page of a covered site loads without telemask and gets the raw camera.
   */
  private async register(matches: string[]): Promise<void> {
    const registered = new Set((await browser.scripting.getRegisteredContentScripts({ ids: [HOOK_ID, BRIDGE_ID] })).map((s) => s.id));
    if (matches.length === 0) {
      if (registered.size > 0) await browser.scripting.unregisterContentScripts({ ids: [...registered] });
      return;
    }
    const common = {
      matches,
      runAt: CONTENT_SCRIPT_DOCUMENTS.runAt,
      allFrames: CONTENT_SCRIPT_DOCUMENTS.allFrames,
      matchOriginAsFallback: CONTENT_SCRIPT_DOCUMENTS.matchOriginAsFallback,
      persistAcrossSessions: true,
    };
    const scripts = [
      { ...common, id: HOOK_ID, js: [CONTENT_SCRIPT_FILES.hook], world: 'MAIN' as const },
      { ...common, id: BRIDGE_ID, js: [CONTENT_SCRIPT_FILES.bridge], world: 'ISOLATED' as const },
    ];
    const update = scripts.filter((sc) => registered.has(sc.id));
    const add = scripts.filter((sc) => !registered.has(sc.id));
    if (update.length > 0) await browser.scripting.updateContentScripts(update);
    if (add.length > 0) await browser.scripting.registerContentScripts(add);
  }
}
