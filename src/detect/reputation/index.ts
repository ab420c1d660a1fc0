/**
 * Research-scanner labels from the user's installed scanner lists.
 * See docs/detectors/fingerprints.md ("Research scanners").
 */
export { type AddressRange, parseRange } from './cidr.js';
export {
  type LoadScannerListsOptions,
  loadScannerLists,
  type ScannerListInfo,
  type ScannerLists,
} from './load.js';
export { organisationOfComment, organisationOfFile } from './organisations.js';
