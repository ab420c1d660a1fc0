/**
 * The verdict chain: the five steps' tri-states read in a fixed order, the
 * first row that fits giving the alarm's disposition, priority and a
 * one-sentence conclusion naming the evidence that decided it. The table is
 * in docs/triage.md ("Alarms"); keep the two in step.
 */
import type { ActionRecommendation, Alarm, Priority } from '../../schema/alarm.js';
import { inert } from '../connection/inert.js';
import type { AlertGroup } from '../group.js';
import type { AlarmSteps } from '../lookup.js';
import { isCarrierTarget } from '../relevance/services.js';
import { attackKind } from '../response/index.js';
import { adviceFrom, answerPhrase, products, subject, target } from './phrases.js';

export type AlarmDecision = Pick<Alarm, 'disposition' | 'priority' | 'conclusion'>;

function isBruteForce(group: AlertGroup, steps: AlarmSteps): boolean {
  return (
    steps.rule.family === 'brute-force' ||
    attackKind(steps.rule.msg || group.msg, steps.rule.classtype ?? group.classtype) === 'brute-force'
  );
}

function isScan(group: AlertGroup, steps: AlarmSteps): boolean {
  return (
    steps.rule.family === 'scan' ||
    steps.rule.family === 'recon' ||
    attackKind(steps.rule.msg || group.msg, steps.rule.classtype ?? group.classtype) === 'scanner'
  );
}

/** A 2xx to a configuration download that the response step did not call failed: the file may have left. */
function leakedConfig(group: AlertGroup, steps: AlarmSteps): boolean {
  const status = steps.response.http?.status;
  return (
    status !== undefined &&
    status >= 200 &&
    status < 300 &&
    steps.response.attemptFailed === 'no' &&
    attackKind(steps.rule.msg || group.msg, steps.rule.classtype ?? group.classtype) === 'config-download'
  );
}

/**
 * The target runs what the rule aims at. A product-less web rule that only
 * found an HTTP server found the way in, not the application it aims at, so
 * that does not make the alarm more urgent.
 */
function runsTarget(steps: AlarmSteps): boolean {
  const v = steps.relevance;
  return v.applicable === 'yes' && !(v.targets.length > 0 && v.targets.every(isCarrierTarget));
}

/** Firsthand evidence (the server's own log, the capture) is critical; an inference is high. */
function compromisePriority(basis: string): Priority {
  return basis === 'sshd' || basis === 'http' ? 'critical' : 'high';
}

/**
 * Decides what an alarm is, from its steps. `actions` (when already
 * recommended for this disposition) only shape the advice at the end of the
 * conclusion; the disposition never depends on them, so call once without,
 * recommend, and call again with them (or use `buildAlarm`).
 *
 * @example
 * decideAlarm(group, steps).disposition // 'failed-attempt' for the JCE scan answered 404
 */
export function decideAlarm(
  group: AlertGroup,
  steps: AlarmSteps,
  actions?: readonly ActionRecommendation[],
): AlarmDecision {
  const { connection: c, response: r, relevance: v } = steps;
  const who = subject(group, steps);
  const where = target(group, steps);
  const answer = answerPhrase(steps);

  // 1. Stopped on the way: nothing reached the target.
  if (c.blocked === 'yes') {
    return {
      disposition: 'blocked',
      priority: 'low',
      conclusion: `${who} was blocked before it reached ${where} (${c.summary}); ${adviceFrom(actions, 'no action needed beyond the block')}.`,
    };
  }
  // 2. No connection and nothing answered: the probe learnt nothing.
  if (c.established === 'no' && r.answered !== 'yes') {
    const scan = isScan(group, steps);
    return {
      disposition: scan ? 'no-action' : 'failed-attempt',
      priority: 'low',
      conclusion: `${who} never formed a connection with ${where}: nothing answered; ${adviceFrom(actions, 'no action needed')}.`,
    };
  }
  // 3. Signs that it worked outrank everything after: a login after guessing, a leaked configuration.
  if (r.loginSucceeded === 'yes' && isBruteForce(group, steps)) {
    return {
      disposition: 'likely-compromise',
      priority: compromisePriority(r.basis),
      conclusion: `${who} against ${where} was followed by a successful login (${r.basis === 'sshd' ? "sshd's log" : 'inferred from the sessions'}): likely compromise; ${adviceFrom(actions, 'investigate the account at once, then block the source and restrict SSH')}.`,
    };
  }
  if (leakedConfig(group, steps)) {
    const body = r.http?.contentType ? ` with a ${r.http.contentType} body` : '';
    return {
      disposition: 'likely-compromise',
      priority: compromisePriority(r.basis),
      conclusion: `${who} reached ${where} and was answered ${r.http?.status}${body}: the configuration may have leaked; ${adviceFrom(actions, 'investigate at once, change the device passwords and block the source')}.`,
    };
  }
  // 4. It reached the target and failed by what was answered. For a scan this comes before relevance:
  // a scan probes for whatever is there, so the seed's conclusion is "not vulnerable, block if unauthorised".
  const scan = isScan(group, steps);
  if (r.attemptFailed === 'yes' && (scan || v.applicable !== 'no')) {
    const brute = isBruteForce(group, steps);
    const exposed = brute || runsTarget(steps);
    const aimed = products(v.targets);
    const verdict = brute
      ? 'the guessing failed, but the service is exposed to the attacker'
      : v.applicable === 'no'
        ? `the attempt failed (not vulnerable: ${aimed ? `${group.dst} does not run ${aimed}` : inert(v.reason, 120)})`
        : r.http?.status !== undefined && r.http.status >= 400 && r.http.status < 500
          ? 'the attempt failed (likely not vulnerable)'
          : 'the attempt failed';
    return {
      disposition: 'failed-attempt',
      priority: exposed ? 'medium' : 'low',
      conclusion: `${who} reached ${where}${answer}: ${verdict}; ${adviceFrom(actions, brute ? 'restrict who may reach SSH' : 'block the source if it is not authorised')}.`,
    };
  }
  // 5. The target does not run what the attack is aimed at.
  if (v.applicable === 'no') {
    const aimed = products(v.targets);
    const runs = products(v.asset);
    const why =
      aimed && runs
        ? `it targets ${aimed}, and ${group.dst} runs ${runs}`
        : aimed
          ? `${group.dst} does not run ${aimed}`
          : inert(v.reason, 120);
    return {
      disposition: 'not-applicable',
      priority: 'low',
      conclusion: `${who} reached ${where}${answer}, but ${why}: not applicable; ${adviceFrom(actions, 'no action needed')}.`,
    };
  }
  // 6. A scanner that reached a live service: what answered decides.
  if (scan && (c.established === 'yes' || r.answered === 'yes')) {
    if (r.answered === 'no') {
      return {
        disposition: 'no-action',
        priority: 'low',
        conclusion: `${who} connected to ${where} but nothing answered it: the scan learnt only that the port is open; ${adviceFrom(actions, 'no action needed')}.`,
      };
    }
    if (r.answered === 'yes' && r.attemptFailed === 'no') {
      return {
        disposition: 'needs-investigation',
        priority: 'low',
        conclusion: `${who} reached ${where}${answer}: the scanner learnt the service is there; ${adviceFrom(actions, 'block the source if it is not authorised')}.`,
      };
    }
  }
  // 7. Anything else: the evidence cannot tell.
  const open: string[] = [];
  if (c.established === 'unknown') open.push('whether a connection formed');
  if (r.attemptFailed === 'unknown') open.push('whether it worked');
  if (v.applicable === 'unknown') open.push('whether the target runs what it aims at');
  const cannot = open.length
    ? `the evidence cannot tell ${open.join(', or ')}`
    : 'the evidence does not decide';
  return {
    disposition: 'needs-investigation',
    priority: runsTarget(steps) ? 'high' : 'medium',
    conclusion: `${who} ${c.established === 'yes' ? 'reached' : 'was aimed at'} ${where}${answer}: ${cannot}; ${adviceFrom(actions, 'investigate')}.`,
  };
}
