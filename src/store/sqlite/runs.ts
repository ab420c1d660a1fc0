import type Database from 'better-sqlite3';
import type { Problem } from '../../schema/problem.js';
import type { RunInput, RunProblems, RunRecord } from '../store.js';

interface RunRow {
  id: number;
  command: string;
  startedAt: number;
  finishedAt: number | null;
  summary: string | null;
}
interface InputRow {
  path: string;
  size: number;
  mtime: number | null;
  fingerprint: string;
}
interface SampleRow {
  stage: Problem['stage'];
  code: string;
  message: string;
  file: string | null;
  offset: number | null;
  line: number | null;
  frame: number | null;
}

const runSelect = 'SELECT id, command, started_at AS startedAt, finished_at AS finishedAt, summary FROM runs';

/** Runs and their problems: the bookkeeping half of the SQLite store, statements prepared once. */
export function sqliteRuns(db: Database.Database) {
  const insertRun = db.prepare('INSERT INTO runs (command, started_at) VALUES (?, ?)');
  const insertInput = db.prepare(
    'INSERT OR REPLACE INTO run_inputs (run_id, path, size, mtime, fingerprint) VALUES (?, ?, ?, ?, ?)',
  );
  const finish = db.prepare('UPDATE runs SET finished_at = ?, summary = ? WHERE id = ?');
  const recent = db.prepare(`${runSelect} ORDER BY id DESC LIMIT ?`);
  const byFingerprint = db.prepare(
    `${runSelect} WHERE finished_at IS NOT NULL AND id IN ` +
      '(SELECT run_id FROM run_inputs WHERE fingerprint = ?) ORDER BY id DESC',
  );
  const inputsOf = db.prepare(
    'SELECT path, size, mtime, fingerprint FROM run_inputs WHERE run_id = ? ORDER BY path',
  );
  const deleteCounts = db.prepare('DELETE FROM problem_counts WHERE run_id = ?');
  const deleteSamples = db.prepare('DELETE FROM problem_samples WHERE run_id = ?');
  const insertCount = db.prepare('INSERT INTO problem_counts (run_id, code, count) VALUES (?, ?, ?)');
  const insertSample = db.prepare(
    'INSERT INTO problem_samples (run_id, seq, stage, code, message, file, byte_offset, line, frame) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const countsOf = db.prepare('SELECT code, count FROM problem_counts WHERE run_id = ? ORDER BY code');
  const samplesOf = db.prepare(
    'SELECT stage, code, message, file, byte_offset AS offset, line, frame FROM problem_samples ' +
      'WHERE run_id = ? ORDER BY seq',
  );

  const toRecord = (r: RunRow): RunRecord => {
    const run: RunRecord = { id: r.id, command: r.command, startedAt: r.startedAt, inputs: [] };
    if (r.finishedAt !== null) run.finishedAt = r.finishedAt;
    if (r.summary !== null) run.summary = JSON.parse(r.summary) as Record<string, unknown>;
    for (const i of inputsOf.all(r.id) as InputRow[]) {
      const input: RunInput = { path: i.path, size: i.size, fingerprint: i.fingerprint };
      if (i.mtime !== null) input.mtime = i.mtime;
      run.inputs.push(input);
    }
    return run;
  };

  const begin = db.transaction((command: string, inputs: readonly RunInput[]): number => {
    const id = Number(insertRun.run(command, Date.now() / 1000).lastInsertRowid);
    for (const i of inputs) insertInput.run(id, i.path, i.size, i.mtime ?? null, i.fingerprint);
    return id;
  });

  const replaceProblems = db.transaction(
    (runId: number, counts: ReadonlyMap<string, number>, samples: readonly Problem[]) => {
      deleteCounts.run(runId);
      deleteSamples.run(runId);
      for (const [code, n] of counts) insertCount.run(runId, code, n);
      samples.forEach((p, seq) => {
        insertSample.run(
          runId,
          seq,
          p.stage,
          p.code,
          p.message,
          p.file ?? null,
          p.offset ?? null,
          p.line ?? null,
          p.frame ?? null,
        );
      });
    },
  );

  return {
    begin: (command: string, inputs: readonly RunInput[]) => begin.immediate(command, inputs),
    finish(runId: number, summary: Record<string, unknown>): void {
      const changed = finish.run(Date.now() / 1000, JSON.stringify(summary), runId).changes;
      if (changed === 0) throw new Error(`finishRun: no run with id ${runId} in this store`);
    },
    recent: (limit: number) => (recent.all(limit) as RunRow[]).map(toRecord),
    withFingerprint: (fp: string) => (byFingerprint.all(fp) as RunRow[]).map(toRecord),
    writeProblems(runId: number, counts: ReadonlyMap<string, number>, samples: readonly Problem[]): void {
      replaceProblems.immediate(runId, counts, samples);
    },
    problems(runId: number): RunProblems {
      const counts: Record<string, number> = {};
      for (const r of countsOf.all(runId) as { code: string; count: number }[]) counts[r.code] = r.count;
      const samples = (samplesOf.all(runId) as SampleRow[]).map((r) => {
        const p: Problem = { stage: r.stage, code: r.code, message: r.message };
        if (r.file !== null) p.file = r.file;
        if (r.offset !== null) p.offset = r.offset;
        if (r.line !== null) p.line = r.line;
        if (r.frame !== null) p.frame = r.frame;
        return p;
      });
      return { counts, samples };
    },
  };
}
