import { createReadStream } from 'node:fs';
import type { ServiceContext } from '../../shared/context.js';
import { DomainError, type FieldError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { actorIdentity, authorize } from '../../shared/policy.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import * as catalog from '../catalog/catalog.service.js';
import { findEarnersByMemberCodes } from '../identity/earners.service.js';
import { getOwnPartner, getPartner } from '../partners/partners.service.js';
import type { Partner } from '../partners/partners.types.js';
import { getEarningSettings } from './earning-settings.service.js';
import { importVisitRows, type VisitSender } from './visit-imports.batch.js';
import * as repo from './visit-imports.repository.js';
import { SeenKeys, streamActivities, visitInstant } from './visit-imports.rules.js';
import type { ImportRun, ImportRunProblem, RunCounts, VisitResult } from './visit-imports.types.js';
import { inspectVisitsCsv, parseVisitFields, readVisitsCsv, type VisitRow } from './visits-csv.js';

/**
 * Recycling-centre visits into points: one visit at a time from a partner's system, or a whole
 * file (CLI, partner portal, staff) as an import run that streams the file twice — first its
 * shape and row count, then batches of 2,000 rows through the claims batch path — keeping its
 * progress and every bad row. Importing a file again awards nothing new: each stream of a
 * visit has one claim key (`visit:<partnerId>:<visitId>:<stream>`).
 */

/** Whose imports an actor sees: a partner's own, or (staff, CLI) all of a municipality's. */
interface ImportScope {
  municipalityId: string;
  partnerId: string | undefined;
}

/**
 * The scope of the acting partner (`visits.import`) or of staff with `claims.import` in the
 * municipality. Outcomes: the scope; `not_signed_in`, `permission_denied`, `not_found`.
 */
function scopeOf(ctx: ServiceContext, municipalityId?: string): ImportScope {
  const { actor } = ctx;
  if (actor.kind === 'partner_user' || actor.kind === 'api_key') {
    authorize(ctx, 'visits.import');
    if (municipalityId !== undefined && municipalityId !== actor.municipalityId) {
      throw new DomainError('not_found', 'not_found', 'There is nothing here.');
    }
    return { municipalityId: actor.municipalityId, partnerId: actor.partnerId };
  }
  if (municipalityId === undefined) {
    authorize(ctx, 'visits.import');
    throw new DomainError('permission_denied', 'forbidden', 'Only a partner sends its own visits.');
  }
  authorize(ctx, 'claims.import', municipalityId);
  return { municipalityId, partnerId: undefined };
}

/** The partner the visits come from: the actor's own, or the one staff named (active). */
async function senderPartner(
  ctx: ServiceContext,
  scope: ImportScope,
  partnerId: string | undefined,
): Promise<Partner> {
  let partner: Partner;
  if (scope.partnerId !== undefined) {
    partner = await getOwnPartner(ctx);
  } else if (partnerId === undefined) {
    throw invalidInput([
      {
        field: 'partnerId',
        code: 'required',
        message: 'Say which partner (recycling centre) the visits come from.',
      },
    ]);
  } else {
    partner = await getPartner(ctx, scope.municipalityId, partnerId);
  }
  if (partner.status !== 'active') {
    throw new DomainError(
      'partner_inactive',
      'conflict',
      'This partner is not active; its visits cannot earn points.',
    );
  }
  return partner;
}

async function senderFor(ctx: ServiceContext, partner: Partner): Promise<VisitSender> {
  const system = { ...ctx, actor: { kind: 'system' as const, name: 'visit-imports' } };
  const activities = await catalog.listActivities(system, partner.municipalityId, {
    includeArchived: true,
  });
  return {
    municipalityId: partner.municipalityId,
    partner,
    streams: streamActivities(activities, partner),
    settings: await getEarningSettings(ctx, partner.municipalityId),
  };
}

export interface VisitInput {
  visitId: string;
  memberCode: string;
  visitedAt: string;
  streams: { stream: string; kg: number | string }[];
}

export interface VisitStreamResult {
  stream: string;
  status: 'approved' | 'waiting' | 'already_imported' | 'refused';
  points: number;
  claimId: string | null;
  code: string | null;
  message: string | null;
}

/**
 * A partner's system reports one visit: the kilograms per waste stream for one resident. Each
 * stream becomes a claim of the activity of that stream, approved when the limits allow; the
 * same visit sent again changes nothing (`already_imported`). Outcomes: one result per stream
 * (`refused` with the code: `unknown_stream`, `duplicate_visit`, the limit refusals);
 * `invalid_input` (malformed visit, a visit in the future, a stream listed twice: nothing
 * stored); `unknown_resident`
 * (no such member code here, also another municipality's); `partner_inactive`.
 */
export async function recordVisit(
  ctx: ServiceContext,
  input: VisitInput,
): Promise<{ visitId: string; created: boolean; results: VisitStreamResult[] }> {
  const scope = scopeOf(ctx);
  const partner = await senderPartner(ctx, scope, undefined);
  const errors: FieldError[] = [];
  const rows: VisitRow[] = [];
  const streams = new Set<string>();
  input.streams.forEach((entry, index) => {
    const reading = parseVisitFields({
      visit_id: input.visitId,
      member_code: input.memberCode,
      visited_at: input.visitedAt,
      stream: entry.stream,
      kg: String(entry.kg),
    });
    if (!reading.ok) {
      errors.push({
        field: fieldOf(reading.reason, index),
        code: reading.reason,
        message: reading.message,
      });
    } else if (streams.has(reading.visit.stream)) {
      errors.push({
        field: `/streams/${index}/stream`,
        code: 'duplicate_visit',
        message: `The stream ${reading.visit.stream} is listed twice; send its total once.`,
      });
    } else {
      streams.add(reading.visit.stream);
      rows.push({ line: index + 1, ...reading });
    }
  });
  const first = rows[0];
  if (first?.ok && visitInstant(first.visit.visitedAt) > ctx.clock.now().toISOString()) {
    errors.push({ field: '/visitedAt', code: 'future', message: 'This visit is in the future.' });
  }
  if (input.streams.length === 0) {
    errors.push({
      field: '/streams',
      code: 'required',
      message: 'List at least one waste stream.',
    });
  }
  // The visit's own fields are the same for every stream: say each problem once.
  const unique = errors.filter(
    (error, index) => errors.findIndex((e) => e.field === error.field) === index,
  );
  if (unique.length > 0) throw invalidInput(unique);
  const memberCode = first?.ok ? first.visit.memberCode : '';
  const known = await findEarnersByMemberCodes(ctx, partner.municipalityId, [memberCode]);
  if (!known.has(memberCode)) {
    throw new DomainError(
      'unknown_resident',
      'invalid',
      'No resident of this municipality has this member code.',
      {
        fieldErrors: [
          {
            field: '/memberCode',
            code: 'unknown_resident',
            message: 'No resident has this code here.',
          },
        ],
      },
    );
  }
  const results = await importVisitRows(ctx, await senderFor(ctx, partner), rows, new SeenKeys());
  return {
    visitId: input.visitId.trim(),
    created: results.some((r) => r.status === 'approved' || r.status === 'waiting'),
    results: results.map((result, index) => streamResult(result, rows[index]!)),
  };
}

function fieldOf(reason: string, index: number): string {
  switch (reason) {
    case 'bad_visit_id':
      return '/visitId';
    case 'bad_date':
      return '/visitedAt';
    case 'bad_stream':
      return `/streams/${index}/stream`;
    case 'bad_number':
      return `/streams/${index}/kg`;
    default:
      return '/';
  }
}

function streamResult(result: VisitResult, row: VisitRow): VisitStreamResult {
  const stream = row.ok ? row.visit.stream : '';
  switch (result.status) {
    case 'approved':
      return {
        stream,
        status: 'approved',
        points: result.points,
        claimId: result.claimId,
        code: null,
        message: null,
      };
    case 'waiting':
    case 'already_imported':
      return {
        stream,
        status: result.status,
        points: 0,
        claimId: result.claimId,
        code: null,
        message: null,
      };
    case 'problem':
      return {
        stream,
        status: 'refused',
        points: 0,
        claimId: null,
        code: result.reason,
        message: result.message,
      };
  }
}

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
  const found = await findRunAnywhere(ctx, runId);
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

async function findRunAnywhere(ctx: ServiceContext, runId: string) {
  const row = await ctx.db
    .selectFrom('import_runs')
    .selectAll()
    .where('id', '=', runId)
    .executeTakeFirst();
  if (!row || row.partner_id === null) throw runNotFound();
  return row;
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
            .map(csvCell)
            .join(','),
        )
        .join('\n')
        .concat('\n');
      afterLine = page[page.length - 1]!.line;
    }
  }
  return { run, lines: lines() };
}

/** A CSV cell: quoted when it holds a separator, quote or line break; never a formula. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function runNotFound() {
  return new DomainError('import_not_found', 'not_found', 'No such import here.');
}
