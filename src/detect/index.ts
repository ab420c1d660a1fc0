/**
 * The detector registry: one explicit list. A detector is added here with one
 * line once its folder (detect/<name>/) and its tests exist.
 */
import type { Detector } from './core/detector.js';

export type { AuthAttempt, Contact, FlagClass } from './core/contact.js';
export type { Detector, DetectorContext, DetectorInstance, DetectorStats } from './core/detector.js';

// biome-ignore lint/suspicious/noExplicitAny: the list holds detectors of different config types.
export const detectors: readonly Detector<any>[] = [];
