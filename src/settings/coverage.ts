/**
 * Who covers a page, for the popup and the options page: the built-in list, the clinic (with or
 * without the site's permission granted yet), the patient, or nobody.
 */
import type { SitesView } from '../channel/protocol';
import { siteCovers, type SitePattern } from './sites';

export type Coverage =
  | { by: 'built-in' }
  | { by: 'clinic'; pattern: SitePattern; granted: boolean }
  | { by: 'patient'; pattern: SitePattern }
  | { by: 'nobody' };

export function coverageOf(url: string | undefined, sites: SitesView): Coverage {
  if (!url) return { by: 'nobody' };
  if (sites.builtIn.some((p) => siteCovers(p, url))) return { by: 'built-in' };
  const clinic = sites.clinic.find((a) => siteCovers(a.pattern, url));
  if (clinic) return { by: 'clinic', pattern: clinic.pattern, granted: clinic.granted };
  const patient = sites.user.find((a) => siteCovers(a.pattern, url));
  if (patient) return { by: 'patient', pattern: patient.pattern };
  return { by: 'nobody' };
}
