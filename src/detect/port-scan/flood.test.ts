/**
 * Memory under a flood: 1,000,000 sources probing 10 ports each (10 million
 * contacts) through the sweep and port-scan detectors with a 16 MiB budget.
 * The state stays within the budget, evictions happen and are counted, and
 * scanners that keep probing inside the flood are still found with exact
 * counts. What is guaranteed: a source is found when its state is not
 * evicted between two of its probes, i.e. when fewer sources than fit in the
 * budget become active between them (here about 2,200 flood sources of 10
 * ports, 22,000 contacts; the scanners probe every 10,000); a state evicted
 * after it crossed a threshold is reported at eviction; one evicted before
 * starts counting again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../schema/finding.js';
import { createProblemLog } from '../../util/problems.js';
import type { Contact } from '../core/contact.js';
import type { Detector, DetectorStats } from '../core/detector.js';
import { sweepDetector } from '../sweep/index.js';
import { portScanDetector } from './index.js';

const SOURCES = 1_000_000;
const PORTS_EACH = 10;
const BUDGET = 16 * 1024 * 1024;
const T0 = 1_800_000_000;
const vertical = '192.0.2.66';
const horizontal = '192.0.2.77';

/** The flood, with the two scanners' probes interleaved: one every 10,000 flood contacts. */
function* flood(): Generator<Contact> {
  const c: Contact = {
    ts: T0,
    end: T0,
    src: '',
    dst: '10.0.0.1',
    proto: 'tcp',
    srcPort: 40000,
    dstPort: 0,
    outcome: 'answered',
    established: false,
    flagClass: 'syn',
    origPkts: 1,
    respPkts: 1,
    origBytes: 0,
    respBytes: 0,
    service: '',
    sourceKind: 'pcap',
    format: 'pcap',
    uid: 'Cflood',
  };
  let n = 0;
  let vPort = 0;
  let hHost = 0;
  for (let s = 0; s < SOURCES; s++) {
    const src = `100.${(s >> 16) & 255}.${(s >> 8) & 255}.${s & 255}`;
    for (let p = 0; p < PORTS_EACH; p++, n++) {
      const ts = T0 + n * 1e-5;
      // Flood contacts are answered (below the 15-port any-outcome threshold): background, not scans.
      c.ts = ts;
      c.end = ts;
      c.src = src;
      c.dst = '10.0.0.1';
      c.dstPort = 1000 + p;
      c.outcome = 'answered';
      yield c;
      if (n % 10_000 === 0) {
        if (vPort < 1000) yield probeOf(vertical, '10.9.9.9', 1 + vPort++, ts);
        // The sweeper starts in the last third of the flood.
        if (n > 6_900_000 && hHost < 300)
          yield probeOf(horizontal, `10.50.${hHost >> 8}.${hHost++ & 255}`, 23, ts);
      }
    }
  }
}

function probeOf(src: string, dst: string, port: number, ts: number): Contact {
  return {
    ts,
    end: ts,
    src,
    dst,
    proto: 'tcp',
    srcPort: 61000,
    dstPort: port,
    outcome: 'unanswered',
    established: false,
    flagClass: 'syn',
    origPkts: 1,
    respPkts: 0,
    origBytes: 0,
    respBytes: 0,
    service: '',
    sourceKind: 'pcap',
    format: 'pcap',
    uid: `C${src}-${port}-${dst}`,
  };
}

interface Outcome {
  findings: Finding[];
  stats: DetectorStats;
}

/** One pass over the flood feeding both detectors (generating 10 million contacts once). */
function runBoth(): { portScan: Outcome; sweep: Outcome } {
  // biome-ignore lint/suspicious/noExplicitAny: both detectors share the shape config type.
  const make = (det: Detector<any>) => {
    const findings: Finding[] = [];
    const inst = det.create(det.config.parse({}), {
      sourceKind: 'pcap',
      budgetBytes: BUDGET,
      problems: createProblemLog(),
      emit: (f) => findings.push(f),
    });
    return { findings, inst };
  };
  const a = make(portScanDetector);
  const b = make(sweepDetector);
  let k = 0;
  for (const c of flood()) {
    a.inst.contact!(c);
    b.inst.contact!(c);
    if (++k % 256 === 0) {
      a.inst.advance(c.ts);
      b.inst.advance(c.ts);
    }
  }
  a.inst.finish();
  b.inst.finish();
  return {
    portScan: { findings: a.findings, stats: a.inst.stats() },
    sweep: { findings: b.findings, stats: b.inst.stats() },
  };
}

const result = runBoth();

test('flood of 1,000,000 sources x 10 ports: port-scan stays within 16 MiB, evicts and counts, finds the scanner inside', () => {
  const { findings, stats } = result.portScan;
  assert.ok(stats.peakBytes <= BUDGET, `peak ${stats.peakBytes} > ${BUDGET}`);
  assert.ok(stats.evicted > SOURCES * 0.9, `evicted ${stats.evicted}`);
  assert.deepEqual(
    findings.map((f) => [f.kind, f.src]),
    [['port-scan', vertical]],
  );
  assert.equal(findings[0]!.targets.portCount, 1000);
  assert.deepEqual(findings[0]!.targets.hosts, ['10.9.9.9']);
});

test('flood of 1,000,000 sources x 10 ports: sweep stays within 16 MiB, evicts and counts, finds the recent sweeper', () => {
  const { findings, stats } = result.sweep;
  assert.ok(stats.peakBytes <= BUDGET, `peak ${stats.peakBytes} > ${BUDGET}`);
  assert.ok(stats.evicted > SOURCES * 0.9, `evicted ${stats.evicted}`);
  assert.deepEqual(
    findings.map((f) => [f.kind, f.src]),
    [['sweep', horizontal]],
  );
  // Past 256 hosts a port's host count is a HyperLogLog estimate (3.3% standard error), and says so.
  assert.equal(findings[0]!.targets.estimated, true);
  assert.ok(Math.abs(findings[0]!.targets.hostCount - 300) <= 15, `hosts ${findings[0]!.targets.hostCount}`);
  assert.deepEqual(findings[0]!.targets.ports, [23]);
});
