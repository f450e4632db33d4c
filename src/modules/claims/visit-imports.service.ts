import { createReadStream } from 'node:fs';
import type { ServiceContext } from '../../shared/context.js';
import { csvField } from '../../shared/csv.js';
import { DomainError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { actorIdentity } from '../../shared/policy.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import { getPartner } from '../partners/partners.service.js';
import { importVisitRows } from './visit-imports.batch.js';
import * as repo from './visit-imports.repository.js';
import { SeenKeys } from './visit-imports.rules.js';
import type { ImportRun, ImportRunProblem, RunCounts, VisitResult } from './visit-imports.types.js';
import { scopeOf, senderFor, senderPartner } from './visit-senders.js';
import { inspectVisitsCsv, readVisitsCsv } from './visits-csv.js';

/**
 * Recycling-centre visit files into points (CLI, partner portal, staff): an import run streams
 * the file twice — first its shape and row count, then batches of 2,000 rows through the claims
 * batch path — keeping its progress and every bad row. Importing a file again awards nothing
 * new: each stream of a visit has one claim key (`visit:<partnerId>:<visitId>:<stream>`).
 */

/**
 * Checks a visits file and opens its import run (the rows follow in runVisitImport). Outcomes:
 * the run (`running`); `csv_columns`, `csv_malformed`, `csv_empty` (nothing stored, nothing
 * awarded); `invalid_input` (no partner named by staff); `partner_not_found`,
 * `partner_inactive`; `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function startVisitImport(
  ctx: ServiceContext,
  input: { municipalityId?: string; partnerId?: string; fileName: string; file: string },
): Promise<ImportRun> {
  const scope = scopeOf(ctx, input.municipalityId);
  const partner = await senderPartner(ctx, scope, input.partnerId);
  const { rows } = await inspectVisitsCsv(() => createReadStream(input.file));
  const now = ctx.clock.now();
  const at = now.toISOString();
  const who = actorIdentity(ctx.actor);
  const row = {
    id: newId('imp', now),
    municipality_id: partner.municipalityId,
    partner_id: partner.id,
    kind: 'visits' as const,
    file_name: cleanFileName(input.fileName),
    status: 'running' as const,
    rows_total: rows,
    rows_done: 0,
    awarded_count: 0,
    waiting_count: 0,
    already_count: 0,
    problem_count: 0,
    points: 0,
    error_code: null,
    error_message: null,
    started_by_kind: who.kind,
    started_by: who.id,
    started_at: at,
    updated_at: at,
    finished_at: null,
  };
  await inTransaction(ctx.db, async (db) => {
    await repo.insertRun(db, row);
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId: partner.municipalityId,
        action: 'visit_import.started',
        subjectType: 'import_run',
        subjectId: row.id,
        after: { partnerId: partner.id, fileName: row.file_name, rows },
      },
    );
  });
  return repo.toImportRun(row);
}

/** A file name as shown back: the last path part, printable, at most 120 characters. */
function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
  const printable = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return printable.slice(0, 120) || 'visits.csv';
}

export interface RunOptions {
  /** Stops the run between batches; it is then `failed` with `interrupted`. */
  signal?: AbortSignal;
  /** Called after each batch with the run's progress. */
  onProgress?: (run: ImportRun) => void;
}

/**
 * Imports the rows of a run's file in batches, each in one transaction with the run's progress
 * and bad rows, and finishes the run: `done`, or `failed` when the file changed since it was
 * checked (its error), the run was stopped (`interrupted`) or the database failed
 * (`import_failed`; batches before it stay imported, importing the file again finishes it).
 * Returns the finished run.
 */
export async function runVisitImport(
  ctx: ServiceContext,
  runId: string,
  file: string,
  options: RunOptions = {},
): Promise<ImportRun> {
  const found = await repo.findRunById(ctx.db, runId);
  if (!found || found.partner_id === null) throw runNotFound();
  const partner = await getPartner(
    { ...ctx, actor: { kind: 'system', name: 'visit-imports' } },
    found.municipality_id,
    found.partner_id!,
  );
  const sender = await senderFor(ctx, partner);
  const seen = new SeenKeys();
  const finish = async (status: 'done' | 'failed', errorCode?: string, errorMessage?: string) => {
    await repo.finishRun(ctx.db, runId, {
      status,
      ...(errorCode !== undefined && { errorCode }),
      ...(errorMessage !== undefined && { errorMessage }),
      at: ctx.clock.now().toISOString(),
    });
    return repo.toImportRun((await repo.findRun(ctx.db, found.municipality_id, runId))!);
  };
  try {
    for await (const batch of readVisitsCsv(createReadStream(file))) {
      if (options.signal?.aborted) {
        return await finish(
          'failed',
          'interrupted',
          'The import stopped before the end of the file (the server stopped). Import the same file again to finish: rows already imported are not paid twice.',
        );
      }
      await importVisitRows(ctx, sender, batch, seen, async (db, results) => {
        await repo.insertProblems(db, problemRows(found.id, found.municipality_id, results));
        await repo.addProgress(db, found.id, countsOf(results), ctx.clock.now().toISOString());
      });
      if (options.onProgress) {
        options.onProgress(
          repo.toImportRun((await repo.findRun(ctx.db, found.municipality_id, runId))!),
        );
      }
    }
    return await finish('done');
  } catch (error) {
    if (error instanceof DomainError) return finish('failed', error.code, error.message);
    await finish(
      'failed',
      'import_failed',
      'The import failed part way. The rows before stay imported; import the same file again to finish.',
    );
    throw error;
  }
}

function problemRows(runId: string, municipalityId: string, results: readonly VisitResult[]) {
  const rows = [];
  for (const result of results) {
    if (result.status !== 'problem') continue;
    rows.push({
      run_id: runId,
      municipality_id: municipalityId,
      line: result.line,
      reason: result.reason,
      message: result.message,
      visit_id: result.visitId,
      stream: result.stream,
    });
  }
  return rows;
}

function countsOf(results: readonly VisitResult[]): RunCounts {
  const counts: RunCounts = {
    rows: results.length,
    awarded: 0,
    waiting: 0,
    alreadyImported: 0,
    problems: 0,
    points: 0,
  };
  for (const result of results) {
    if (result.status === 'approved') {
      counts.awarded++;
      counts.points += result.points;
    } else if (result.status === 'waiting') counts.waiting++;
    else if (result.status === 'already_imported') counts.alreadyImported++;
    else counts.problems++;
  }
  return counts;
}

/** How long a run may go without progress before it counts as stopped (a server that died). */
export const STALE_RUN_MS = 10 * 60_000;

/**
 * One import run with a page of its bad rows (by line). A run that has made no progress for
 * STALE_RUN_MS and is not running in this process is marked `failed` (`interrupted`). Outcomes:
 * the run and page; `import_not_found` (also another partner's); `not_signed_in`,
 * `permission_denied`, `not_found`.
 */
export async function getVisitImport(
  ctx: ServiceContext,
  input: {
    municipalityId?: string;
    runId: string;
    offset?: number;
    limit?: number;
    isRunningHere?: (runId: string) => boolean;
  },
): Promise<{
  run: ImportRun;
  problems: { items: ImportRunProblem[]; total: number; offset: number };
}> {
  const scope = scopeOf(ctx, input.municipalityId);
  let row = await repo.findRun(ctx.db, scope.municipalityId, input.runId);
  if (!row || (scope.partnerId !== undefined && row.partner_id !== scope.partnerId)) {
    throw runNotFound();
  }
  const now = ctx.clock.now();
  if (
    row.status === 'running' &&
    !input.isRunningHere?.(row.id) &&
    now.getTime() - Date.parse(row.updated_at) > STALE_RUN_MS
  ) {
    await repo.finishRun(ctx.db, row.id, {
      status: 'failed',
      errorCode: 'interrupted',
      errorMessage:
        'The import stopped before the end of the file. Import the same file again to finish: rows already imported are not paid twice.',
      at: now.toISOString(),
    });
    row = (await repo.findRun(ctx.db, scope.municipalityId, input.runId))!;
  }
  const offset = input.offset ?? 0;
  const items = await repo.pageProblems(ctx.db, row.id, { offset, limit: input.limit ?? 100 });
  return { run: repo.toImportRun(row), problems: { items, total: row.problem_count, offset } };
}

/** The latest import runs (at most 20): a partner's own, or all of the municipality's for staff. */
export async function listVisitImports(
  ctx: ServiceContext,
  input: { municipalityId?: string } = {},
): Promise<ImportRun[]> {
  const scope = scopeOf(ctx, input.municipalityId);
  return (await repo.listRuns(ctx.db, scope.municipalityId, scope.partnerId, 20)).map(
    repo.toImportRun,
  );
}

const CSV_PAGE = 5000;

/**
 * Every bad row of a run as CSV (`line,reason,message,visit_id,stream`), read a page at a time.
 * Outcomes: the lines; as getVisitImport before the first line.
 */
export async function visitImportProblemsCsv(
  ctx: ServiceContext,
  input: { municipalityId?: string; runId: string },
): Promise<{ run: ImportRun; lines: AsyncGenerator<string> }> {
  const { run } = await getVisitImport(ctx, { ...input, limit: 0 });
  async function* lines() {
    yield 'line,reason,message,visit_id,stream\n';
    let afterLine = 0;
    for (;;) {
      const page = await repo.listProblems(ctx.db, run.id, { afterLine, limit: CSV_PAGE });
      if (page.length === 0) return;
      yield page
        .map((p) =>
          [String(p.line), p.reason, p.message, p.visitId ?? '', p.stream ?? '']
            .map(csvField)
            .join(','),
        )
        .join('\n')
        .concat('\n');
      afterLine = page[page.length - 1]!.line;
    }
  }
  return { run, lines: lines() };
}

function runNotFound() {
  return new DomainError('import_not_found', 'not_found', 'No such import here.');
}
