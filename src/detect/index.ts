/**
 * The detector registry: one explicit list. A detector is added here with one
 * line once its folder (detect/<name>/) and its tests exist.
 */
import { bruteForceDetector, passwordSprayDetector } from './brute-force/index.js';
import { continuousActivityDetector } from './continuous/index.js';
import type { Detector } from './core/detector.js';
import { discoveryDetector } from './discovery/index.js';
import { distributedDetector } from './distributed/index.js';
import { flagScanDetector } from './flag-scan/index.js';
import { portScanDetector } from './port-scan/index.js';
import { sweepDetector } from './sweep/index.js';
import { udpScanDetector } from './udp-scan/index.js';

export type { AuthAttempt, Contact, FlagClass } from './core/contact.js';
export type { Detector, DetectorContext, DetectorInstance, DetectorStats } from './core/detector.js';

// biome-ignore lint/suspicious/noExplicitAny: the list holds detectors of different config types.
export const detectors: readonly Detector<any>[] = [
  sweepDetector,
  portScanDetector,
  discoveryDetector,
  udpScanDetector,
  flagScanDetector,
  bruteForceDetector,
  passwordSprayDetector,
  continuousActivityDetector,
  distributedDetector,
];
