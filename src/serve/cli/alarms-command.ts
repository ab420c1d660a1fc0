/**
 * `picket alarms` (the triaged alarms as a table, with filters) and
 * `picket alarm UID` (one alarm's full story).
 */
import { existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { type Disposition, dispositions, type Priority } from '../../schema/alarm.js';
import { DEFAULT_STORE_PATH, openStore } from '../../store/index.js';
import type { AlarmQuery, Store } from '../../store/store.js';
import { terminalSafe } from '../../util/escape.js';
import { formatAlarmStory, formatAlarmTable } from './alarm-format.js';
import { CliError, ExitCode } from './exit-codes.js';

const priorities: readonly Priority[] = ['low', 'medium', 'high', 'critical'];

/** Epoch seconds, or an ISO date/time ("2026-11-23", "2026-11-23T10:00Z"). */
export function parseTime(v: string): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const ms = Date.parse(v);
  if (Number.isNaN(ms))
    throw new CliError(
      `not a time: ${v}`,
      ExitCode.USAGE,
      'give epoch seconds or an ISO date such as 2026-11-23T10:00Z',
    );
  return ms / 1000;
}

function toInt(v: string): number {
  const x = Number(v);
  if (!Number.isInteger(x) || x < 0) throw new CliError(`not a whole number: ${v}`, ExitCode.USAGE);
  return x;
}

async function openExisting(db: string): Promise<Store> {
  if (!/^[a-z]+:/i.test(db) && !existsSync(db))
    throw new CliError(`no store at ${db}`, ExitCode.NO_INPUT, 'run `picket analyze` first, or give --db');
  try {
    return await openStore(db);
  } catch (e) {
    throw new CliError(`cannot open the store ${db}: ${(e as Error).message}`, ExitCode.STORE, 'give --db');
  }
}

interface AlarmsOptions {
  db: string;
  disposition?: Disposition;
  priority?: Priority;
  src?: string;
  dst?: string;
  sid?: number;
  since?: number;
  until?: number;
  limit: number;
  json?: boolean;
}

/**
 * Registers both commands; `out` receives what they print.
 *
 * @example registerAlarmsCommand(program);
 */
export function registerAlarmsCommand(
  program: Command,
  out: (text: string) => void = (t) => process.stdout.write(t),
): void {
  program
    .command('alarms')
    .description('triaged alarms (alerts per rule, source and target) with their disposition and priority')
    .option('--db <path>', 'store location', DEFAULT_STORE_PATH)
    .addOption(new Option('--disposition <d>', 'only this disposition').choices(dispositions))
    .addOption(new Option('--priority <p>', 'only this priority').choices(priorities))
    .option('--src <addr>', 'attacking address')
    .option('--dst <addr>', 'target address')
    .option('--sid <n>', 'signature id', toInt)
    .option('--since <time>', 'last seen at or after (epoch seconds or ISO time)', parseTime)
    .option('--until <time>', 'first seen before (epoch seconds or ISO time)', parseTime)
    .option('--limit <n>', 'at most this many', toInt, 1000)
    .option('--json', 'JSON lines, one alarm each')
    .action(async (o: AlarmsOptions) => {
      const store = await openExisting(o.db);
      try {
        const q: AlarmQuery = { limit: o.limit };
        for (const k of ['disposition', 'priority', 'src', 'dst', 'sid', 'since', 'until'] as const)
          if (o[k] !== undefined) (q as Record<string, unknown>)[k] = o[k];
        const alarms = await store.queryAlarms(q);
        if (o.json) {
          out(alarms.map((a) => `${JSON.stringify(a)}\n`).join(''));
          return;
        }
        if (alarms.length > 0) out(`${formatAlarmTable(alarms)}\n`);
        else {
          const any = (await store.queryAlarms({ limit: 1 })).length > 0;
          out(
            any
              ? 'no alarms match these filters; `picket alarms` without filters lists them all\n'
              : 'no alarms stored yet: run `picket analyze` on captures or IDS logs with rules\n',
          );
        }
      } finally {
        await store.close();
      }
    });

  program
    .command('alarm')
    .description('one alarm in full: connection, rule, response, relevance, what to do, conclusion')
    .argument('<uid>', 'alarm uid, as `picket alarms` lists them')
    .option('--db <path>', 'store location', DEFAULT_STORE_PATH)
    .option('--json', 'the alarm as JSON')
    .action(async (uid: string, o: { db: string; json?: boolean }) => {
      const store = await openExisting(o.db);
      try {
        const alarm = await store.alarm(uid);
        if (!alarm)
          throw new CliError(
            `no alarm ${terminalSafe(uid)} in ${terminalSafe(o.db)}`,
            ExitCode.NO_INPUT,
            '`picket alarms` lists the stored alarms and their uids',
          );
        out(o.json ? `${JSON.stringify(alarm, null, 2)}\n` : `${formatAlarmStory(alarm)}\n`);
      } finally {
        await store.close();
      }
    });
}
