/**
 * The continuous-activity detector instance: one source active against one
 * service (server and port from connection records, service and server from
 * login logs) for longer than a set time with no pause longer than a set gap.
 * The state table's idle time is the gap itself, so a state is one run when
 * time advances; runs closed inside a state (no advance between them) are
 * judged as they close.
 */
import type { SourceKind } from '../../schema/event.js';
import type { Finding } from '../../schema/finding.js';
import { span, utcTime } from '../brute-force/describe.js';
import type { AuthAttempt, Contact } from '../core/contact.js';
import type { DetectorContext, DetectorInstance } from '../core/detector.js';
import { describeOutcomes, findingUid } from '../core/finding-util.js';
import { createStateTable } from '../core/state-table.js';
import { tableLifecycle } from '../core/table-lifecycle.js';
import type { ContinuousConfig } from './config.js';
import { addActivity, emptyRun, type Run, type RunTally, runTallyBytes } from './run-tally.js';

/** Login service names by well-known port, for contacts whose protocol was not recognised. */
const PORT_SERVICES: Readonly<Record<number, string>> = {
  21: 'ftp',
  22: 'ssh',
  23: 'telnet',
  3389: 'rdp',
  5900: 'vnc',
};

/** Low: steady use of a login service is worth a look, not an attack by itself. */
const SEVERITY = 2;

/**
 * @example
 * const ca = createContinuous(continuousConfigSchema.parse({}), ctx);
 * for (const c of contacts) ca.contact(c);
 * ca.finish();
 */
export function createContinuous(cfg: ContinuousConfig, ctx: DetectorContext): DetectorInstance {
  let findings = 0;

  const judge = (t: RunTally, r: Run) => {
    if (r.contacts < cfg.minContacts || r.end - r.start < cfg.minDurationSeconds) return;
    findings++;
    ctx.emit(runFinding(t, r, cfg, ctx.sourceKind));
  };

  const table = createStateTable<RunTally>({
    // A run ends after a pause longer than the gap; a little slack lets late records land first.
    idleSeconds: cfg.maxGapSeconds * 2,
    budgetBytes: ctx.budgetBytes,
    sizeOf: runTallyBytes,
    onExpire: (_key, t) => judge(t, t.run),
  });

  const add = (key: string, make: () => RunTally, a: Parameters<typeof addActivity>[1]) => {
    const t = table.get(key, a.end, make);
    const closed = addActivity(t, a, cfg.maxGapSeconds);
    if (closed) judge(t, closed);
    if (t.run.end - t.run.start >= cfg.maxSpanSeconds) {
      judge(t, t.run);
      t.run = emptyRun();
    }
    table.touched(key);
  };

  const watched = (c: Contact): boolean => {
    if (c.errorReply || (c.proto !== 'tcp' && c.proto !== 'udp')) return false;
    if (cfg.allPorts || cfg.ports.includes(c.dstPort)) return true;
    if (c.service === '') return false;
    for (const s of c.service.split(',')) if (cfg.services.includes(s)) return true;
    return false;
  };

  return {
    contact(c: Contact) {
      if (!watched(c)) return;
      const key = `c|${c.src}|${c.dst}|${c.proto}|${c.dstPort}`;
      const a = { ts: c.ts, end: Math.max(c.end, c.ts), outcome: c.outcome, uid: c.uid, file: c.file };
      add(
        key,
        () => ({
          src: c.src,
          server: c.dst,
          port: c.dstPort,
          proto: c.proto,
          service: c.service.split(',')[0] || PORT_SERVICES[c.dstPort] || '',
          noun: 'contacts',
          run: emptyRun(),
        }),
        a,
      );
    },
    auth(at: AuthAttempt) {
      const server = at.dst ?? at.host ?? '';
      const key = `a|${at.src}|${at.service}|${server}`;
      const a = {
        ts: at.ts,
        end: at.ts,
        outcome: 'answered' as const,
        uid: at.uid,
        file: at.file,
        result: at.result,
      };
      add(
        key,
        () => ({
          src: at.src,
          server,
          port: at.dstPort ?? -1,
          proto: 'tcp',
          service: at.service,
          noun: 'login attempts',
          run: emptyRun(),
        }),
        a,
      );
    },
    ...tableLifecycle(table, () => findings),
  };
}

function runFinding(t: RunTally, r: Run, cfg: ContinuousConfig, sourceKind: SourceKind): Finding {
  const target = `${t.server || 'an unnamed server'}${t.port >= 0 ? `:${t.port}` : ''}`;
  const svc = t.service ? ` (${t.service})` : '';
  const logins =
    t.noun === 'login attempts' ? ` ${r.failures} failed and ${r.successes} successful logins.` : '';
  const f: Finding = {
    uid: findingUid(['continuous-activity', sourceKind, t.src, t.server, t.port, t.service, r.start]),
    kind: 'continuous-activity',
    detector: 'continuous-activity',
    sourceKind,
    src: t.src,
    ts: r.start,
    lastSeen: r.end,
    targets: {
      hosts: t.server ? [t.server] : [],
      hostCount: t.server ? 1 : 0,
      ports: t.port >= 0 ? [t.port] : [],
      portCount: t.port >= 0 ? 1 : 0,
      proto: t.proto,
    },
    contacts: r.contacts,
    outcomes: { ...r.outcomes },
    severityId: SEVERITY,
    explanation:
      `${t.src} was active against ${target}${svc} for ${span(r.end - r.start)}, ` +
      `${utcTime(r.start)} to ${utcTime(r.end)}, never pausing longer than ${span(r.longestGap)} ` +
      `(rule: at least ${span(cfg.minDurationSeconds)} and ${cfg.minContacts} ${t.noun}, ` +
      `no pause over ${span(cfg.maxGapSeconds)}). ${describeOutcomes(r.outcomes, t.noun)}.${logins}`,
    evidence: { uids: [...r.uids], files: [...r.files] },
    attrs: {
      durationSeconds: Math.round((r.end - r.start) * 1000) / 1000,
      longestGapSeconds: Math.round(r.longestGap * 1000) / 1000,
      from: t.noun === 'contacts' ? 'contacts' : 'logins',
    },
  };
  if (t.service) f.targets.service = t.service;
  if (t.noun === 'login attempts') {
    f.failures = r.failures;
    f.successes = r.successes;
  }
  return f;
}
