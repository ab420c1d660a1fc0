/**
 * Brute force and password spraying: the two detector descriptors. See
 * docs/detectors/brute-force.md for the rules, defaults and peers' values.
 */
import type { Detector } from '../core/detector.js';
import { createBruteForce } from './brute-force.js';
import {
  type BruteForceConfig,
  bruteForceConfigSchema,
  type PasswordSprayConfig,
  passwordSprayConfigSchema,
} from './config.js';
import { createPasswordSpray } from './password-spray.js';

export type { BruteForceConfig, PasswordSprayConfig } from './config.js';
export { bruteForceConfigSchema, passwordSprayConfigSchema } from './config.js';

/**
 * Many failed logins from one source against one service (and server) within
 * a window — from login logs, or inferred from SSH session shape in
 * connection records when no log is read.
 *
 * @example
 * const bf = bruteForceDetector.create(bruteForceDetector.config.parse({}), ctx);
 */
export const bruteForceDetector: Detector<BruteForceConfig> = {
  name: 'brute-force',
  description:
    'Many failed logins from one source against one service within a window (fast and slow variants); ' +
    'a success after the failures raises it to high. Without logs, inferred from many short SSH sessions.',
  kinds: ['brute-force'],
  config: bruteForceConfigSchema,
  create: (cfg, ctx) => createBruteForce(cfg, ctx),
};

/**
 * Few tries per user across many users from one source.
 *
 * @example
 * const ps = passwordSprayDetector.create(passwordSprayDetector.config.parse({}), ctx);
 */
export const passwordSprayDetector: Detector<PasswordSprayConfig> = {
  name: 'password-spray',
  description:
    'One source trying few passwords on each of many users of one service (at least 10 users, ' +
    'at most 2 tries each on average by default).',
  kinds: ['password-spray'],
  config: passwordSprayConfigSchema,
  create: (cfg, ctx) => createPasswordSpray(cfg, ctx),
};
