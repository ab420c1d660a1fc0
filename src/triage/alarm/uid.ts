import { createHash } from 'node:crypto';
import type { AlertGroup } from '../group.js';

/**
 * The alarm's uid: 'A' and a hash of its rule, source, target and first
 * alert time, so analysing the same input again gives the same uid (the
 * store upserts on it) while the same attacker on another day is a new alarm.
 *
 * @example alarmUid(group) // 'AvTq3…' (21 characters)
 */
export function alarmUid(group: Pick<AlertGroup, 'key' | 'ts'>): string {
  return `A${createHash('sha1').update(`${group.key}\u0000${group.ts}`).digest('base64url').slice(0, 20)}`;
}
