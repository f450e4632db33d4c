import type { Command } from 'commander';
import { openJobStore } from '../../jobs/runner.js';
import { withOperatorContext } from '../context.js';
import { printTable, UsageError } from '../output.js';

/** `civicpoints jobs …`: the queues, their parked jobs, and putting one back (docs/jobs.md). */
export function registerJobs(program: Command) {
  const command = program
    .command('jobs')
    .description('Background jobs: queues with counts, parked failures, retrying one');

  command
    .command('list', { isDefault: true })
    .description('List the queues with their jobs by state (the default)')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const { engine, stats } = await withOperatorContext(async (_ctx, storage) => {
        const store = openJobStore(storage);
        return { engine: store.engine, stats: await store.stats() };
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ engine, queues: stats })}\n`);
        return;
      }
      printTable(
        ['queue', 'queued', 'active', 'retrying', 'failed', 'completed (24 h)'],
        stats.map((s) => [
          s.queue,
          String(s.queued),
          String(s.active),
          String(s.retrying),
          String(s.failed),
          String(s.completedRecently),
        ]),
      );
    });

  command
    .command('failures')
    .description('List the parked jobs (failed after their retries) with their last error')
    .option('--queue <name>', 'only this queue')
    .option('--limit <n>', 'at most this many (default 100)')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { queue?: string; limit?: string; json?: boolean }) => {
      const limit = options.limit === undefined ? 100 : Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
        throw new UsageError(`--limit: "${options.limit}" is not a whole number from 1 to 10000`);
      }
      const failures = await withOperatorContext((_ctx, storage) =>
        openJobStore(storage).failures({
          ...(options.queue !== undefined && { queue: options.queue }),
          limit,
        }),
      );
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ failures })}\n`);
        return;
      }
      if (failures.length === 0) {
        process.stdout.write('No parked jobs.\n');
        return;
      }
      printTable(
        ['id', 'queue', 'attempts', 'failed at', 'last error'],
        failures.map((f) => [
          f.id,
          f.queue,
          String(f.attempts),
          f.failedAt ?? '',
          f.lastError.replace(/\s+/g, ' ').slice(0, 120),
        ]),
      );
    });

  command
    .command('retry')
    .description('Put a parked job back in its queue for one more run')
    .argument('<id>', 'the job id (from `civicpoints jobs failures`)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      await withOperatorContext((_ctx, storage) => openJobStore(storage).retry(id));
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ id, state: 'retry' })}\n`
          : `Job ${id} is back in its queue for one more run.\n`,
      );
    });
}
