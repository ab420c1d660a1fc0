/**
 * Incidents: a run's findings and alerts joined per attacking source.
 */
export {
  type AddressSummaries,
  type AddressSummaryOptions,
  createAddressSummaries,
} from './address-summary.js';
export { buildIncidents, incidentUid } from './build.js';
export { incidentSeverity, type SeverityVerdict } from './severity.js';
export { incidentTitle } from './title.js';
export type { AddressSummary, AlertSignatureSummary, IncidentInput } from './types.js';
