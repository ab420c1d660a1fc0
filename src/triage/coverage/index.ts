/**
 * Coverage: which of a site's log sources recorded an incident, which should
 * have and did not, and which kinds of source the site does not collect.
 */
export { activityOf, type IncidentActivity } from './activity.js';
export {
  type CoverageNote,
  type IncidentCoverageDetail,
  incidentCoverage,
  isUndecided,
  withCoverage,
} from './incident-coverage.js';
export { inPrefix, matchingPrefix, widePrefix } from './prefix.js';
export type { CoverageStatus, RuleVerdict } from './rules.js';
export { NETWORK_SENSORS, type SensorPosition, type SiteSource, type SiteSources } from './site.js';
export {
  createSiteSourcesBuilder,
  type SiteSourcesBuilder,
  type SiteSourcesOptions,
} from './site-builder.js';
export { type SiteCoverage, siteCoverage } from './site-coverage.js';
