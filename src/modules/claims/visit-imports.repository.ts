import type { Db } from '../../storage/database.js';
import type { ImportRunProblemsTable, ImportRunsTable } from '../../storage/schema.js';
import type { ImportRun, ImportRunProblem, RunCounts } from './visit-imports.types.js';

/** SQL for import runs and the bad rows they keep. */

export function toImportRun(row: ImportRunsTable): ImportRun {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    partnerId: row.partner_id,
    kind: row.kind,
    fileName: row.file_name,
    status: row.status,
    rowsTotal: row.rows_total,
    rowsDone: row.rows_done,
    awarded: row.awarded_count,
    waiting: row.waiting_count,
    alreadyImported: row.already_count,
    problems: row.problem_count,
    points: Number(row.points),
    error:
      row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    startedBy: { kind: row.started_by_kind, id: row.started_by },
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

export async function insertRun(db: Db, row: ImportRunsTable) {
  await db.insertInto('import_runs').values(row).execute();
}

export async function findRun(db: Db, municipalityId: string, id: string) {
  return db
    .selectFrom('import_runs')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A run by id wherever it is (for the runner, which was authorized when the run started). */
export async function findRunById(db: Db, id: string) {
  return db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The latest runs of a municipality (of one partner, when given), newest first. */
export async function listRuns(
  db: Db,
  municipalityId: string,
  partnerId: string | undefined,
  limit: number,
) {
  let query = db
    .selectFrom('import_runs')
    .selectAll()
    .where('municipality_id', '=', municipalityId);
  if (partnerId !== undefined) query = query.where('partner_id', '=', partnerId);
  return query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Adds a batch's figures to the run's progress. */
export async function addProgress(db: Db, id: string, counts: RunCounts, at: string) {
  await db
    .updateTable('import_runs')
    .set((eb) => ({
      rows_done: eb('rows_done', '+', counts.rows),
      awarded_count: eb('awarded_count', '+', counts.awarded),
      waiting_count: eb('waiting_count', '+', counts.waiting),
      already_count: eb('already_count', '+', counts.alreadyImported),
      problem_count: eb('problem_count', '+', counts.problems),
      points: eb('points', '+', counts.points),
      updated_at: at,
    }))
    .where('id', '=', id)
    .execute();
}

export async function finishRun(
  db: Db,
  id: string,
  outcome: { status: 'done' | 'failed'; errorCode?: string; errorMessage?: string; at: string },
) {
  await db
    .updateTable('import_runs')
    .set({
      status: outcome.status,
      error_code: outcome.errorCode ?? null,
      error_message: outcome.errorMessage ?? null,
      finished_at: outcome.at,
      updated_at: outcome.at,
    })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

/** 7 parameters a row: 1,000 rows a statement stays below SQLite's 32,766. */
const PROBLEMS_PER_STATEMENT = 1000;

export async function insertProblems(db: Db, rows: readonly ImportRunProblemsTable[]) {
  for (let start = 0; start < rows.length; start += PROBLEMS_PER_STATEMENT) {
    await db
      .insertInto('import_run_problems')
      .values(rows.slice(start, start + PROBLEMS_PER_STATEMENT))
      .execute();
  }
}

/** A page of a run's bad rows by line, after line `afterLine`. */
export async function listProblems(
  db: Db,
  runId: string,
  page: { afterLine: number; limit: number },
): Promise<ImportRunProblem[]> {
  const rows = await db
    .selectFrom('import_run_problems')
    .select(['line', 'reason', 'message', 'visit_id', 'stream'])
    .where('run_id', '=', runId)
    .where('line', '>', page.afterLine)
    .orderBy('line')
    .limit(page.limit)
    .execute();
  return rows.map((row) => ({
    line: row.line,
    reason: row.reason,
    message: row.message,
    visitId: row.visit_id,
    stream: row.stream,
  }));
}

/** A page of a run's bad rows by position (for pages that jump), and how many there are. */
export async function pageProblems(
  db: Db,
  runId: string,
  page: { offset: number; limit: number },
): Promise<ImportRunProblem[]> {
  const rows = await db
    .selectFrom('import_run_problems')
    .select(['line', 'reason', 'message', 'visit_id', 'stream'])
    .where('run_id', '=', runId)
    .orderBy('line')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((row) => ({
    line: row.line,
    reason: row.reason,
    message: row.message,
    visitId: row.visit_id,
    stream: row.stream,
  }));
}
