import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import {
  getVisitImport,
  runVisitImport,
  startVisitImport,
  visitImportProblemsCsv,
} from '../../modules/claims/visit-imports.service.js';
import type { ImportRun } from '../../modules/claims/visit-imports.types.js';
import { findPartnerByName, getPartner } from '../../modules/partners/partners.service.js';
import type { Partner } from '../../modules/partners/partners.types.js';
import { getMunicipality } from '../../modules/tenancy/tenancy.service.js';
import type { ServiceContext } from '../../shared/context.js';
import { withOperatorContext } from '../context.js';
import { EXIT, printTable, UsageError } from '../output.js';

interface VisitsOptions {
  municipality: string;
  partner: string;
  problems?: string;
}

/** Bad rows printed after the summary; --problems writes all of them. */
const PROBLEMS_SHOWN = 20;

export function registerImport(program: Command) {
  const command = program.command('import').description('Import records from partners’ systems');

  command
    .command('visits')
    .description(
      'Import a recycling centre’s visits file (CSV: visit_id, member_code, visited_at, stream, kg): each row earns the activity of its waste stream; bad rows are listed and never stop the import; importing the same file again awards nothing new',
    )
    .argument('<file>', 'the CSV file')
    .requiredOption('--municipality <slug>', 'the municipality of the residents')
    .requiredOption('--partner <id or name>', 'the recycling centre the file comes from')
    .option('--problems <file>', 'write every bad row (line, reason, message) to this CSV file')
    .action(async (file: string, options: VisitsOptions) => {
      const size = await stat(file).then(
        (s) => (s.isFile() ? s.size : undefined),
        () => undefined,
      );
      if (size === undefined) throw new UsageError(`${file} is not a file that can be read`);
      const run = await withOperatorContext(async (ctx) => {
        const municipality = await getMunicipality(ctx, options.municipality);
        const partner = await partnerNamed(ctx, municipality.id, options.partner);
        const opened = await startVisitImport(ctx, {
          municipalityId: municipality.id,
          partnerId: partner.id,
          fileName: file,
          file,
        });
        process.stderr.write(
          `${file}: ${opened.rowsTotal} row(s) from ${partner.name}, importing into ${municipality.slug} (run ${opened.id})\n`,
        );
        const finished = await withProgress(opened, (onProgress, signal) =>
          runVisitImport(ctx, opened.id, file, { onProgress, signal }),
        );
        printSummary(finished);
        await printProblems(ctx, finished, options.problems);
        return finished;
      });
      if (run.status !== 'done') process.exitCode = EXIT.failed;
    });
}

/** The partner by id (`ptn_…`) or by its exact name; a usage error when there is none. */
async function partnerNamed(
  ctx: ServiceContext,
  municipalityId: string,
  ref: string,
): Promise<Partner> {
  if (/^ptn_[0-9a-z]{26}$/.test(ref)) return getPartner(ctx, municipalityId, ref);
  const partner = await findPartnerByName(ctx, municipalityId, ref);
  if (!partner) throw new UsageError(`the municipality has no partner named "${ref}"`);
  return partner;
}

/**
 * Runs the import with a progress bar on a terminal (plain lines every 10 % otherwise, for
 * logs); Ctrl-C stops it after the current batch.
 */
async function withProgress(
  run: ImportRun,
  work: (onProgress: (run: ImportRun) => void, signal: AbortSignal) => Promise<ImportRun>,
): Promise<ImportRun> {
  const controller = new AbortController();
  const stop = () => {
    process.stderr.write('\nStopping after the current batch…\n');
    controller.abort();
  };
  process.once('SIGINT', stop);
  const tty = Boolean(process.stderr.isTTY);
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          format:
            'Importing [{bar}] {percentage}% | {value}/{total} rows | {awarded} approved | {problems} bad | ETA {eta_formatted}',
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(run.rowsTotal, 0, { awarded: 0, problems: 0 });
  let reported = 0;
  try {
    return await work((progress) => {
      if (bar) {
        bar.update(progress.rowsDone, { awarded: progress.awarded, problems: progress.problems });
        return;
      }
      const tenth = Math.floor((progress.rowsDone * 10) / Math.max(1, progress.rowsTotal));
      if (tenth > reported) {
        reported = tenth;
        process.stderr.write(
          `Imported ${progress.rowsDone} of ${progress.rowsTotal} rows (${tenth * 10}%): ${progress.awarded} approved, ${progress.problems} bad\n`,
        );
      }
    }, controller.signal);
  } finally {
    bar?.stop();
    process.off('SIGINT', stop);
  }
}

function printSummary(run: ImportRun) {
  const lines = [
    `${run.status === 'done' ? 'Done' : 'Stopped'}: ${run.rowsDone} of ${run.rowsTotal} rows.`,
    `  ${run.awarded} approved (${run.points} points)`,
    `  ${run.waiting} waiting for a reviewer`,
    `  ${run.alreadyImported} imported before (nothing changed)`,
    `  ${run.problems} bad row(s)`,
  ];
  if (run.error) lines.push(`The import failed: ${run.error.message} (${run.error.code})`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function printProblems(ctx: ServiceContext, run: ImportRun, out: string | undefined) {
  if (run.problems === 0) return;
  const { problems } = await getVisitImport(ctx, {
    municipalityId: run.municipalityId,
    runId: run.id,
    limit: PROBLEMS_SHOWN,
  });
  process.stdout.write('\n');
  printTable(
    ['line', 'reason', 'message'],
    problems.items.map((p) => [String(p.line), p.reason, p.message]),
  );
  if (out) {
    const { lines } = await visitImportProblemsCsv(ctx, {
      municipalityId: run.municipalityId,
      runId: run.id,
    });
    const stream = createWriteStream(out);
    for await (const chunk of lines) {
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
    stream.end();
    await once(stream, 'finish');
    process.stdout.write(`Every bad row is in ${out}.\n`);
  } else if (run.problems > PROBLEMS_SHOWN) {
    process.stdout.write(
      `… and ${run.problems - PROBLEMS_SHOWN} more; add --problems FILE to write them all.\n`,
    );
  }
}
