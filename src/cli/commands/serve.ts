import cluster from 'node:cluster';
import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../../config.js';
import { MAX_WORKERS, parseWorkers } from '../../workers-option.js';

export function registerServe(program: Command) {
  program
    .command('serve')
    .description(
      'Start the web app and API (configured by PORT, HOST, DATABASE_URL, … — see .env.example)',
    )
    .option('--seed-demo-if-empty', 'create the demo region when the database is empty')
    .option(
      '--workers <n>',
      `serve from n processes sharing the port (1-${MAX_WORKERS}, or auto: one per CPU); see docs/processes.md`,
      (raw: string) => {
        const workers = parseWorkers(raw);
        if (workers === undefined) {
          throw new InvalidArgumentError(`a whole number from 1 to ${MAX_WORKERS}, or auto`);
        }
        return workers;
      },
    )
    .action(async (options: { seedDemoIfEmpty?: boolean; workers?: number }) => {
      // Loaded here, not at the top: every other command (and --help) starts without the server.
      const { serveClusterWorker, servePrimary } = await import('../../cluster.js');
      const { serve } = await import('../../server.js');
      const config = loadConfig();
      const seedDemoIfEmpty = Boolean(options.seedDemoIfEmpty);
      if (cluster.isWorker) await serveClusterWorker(config, {});
      else if ((options.workers ?? 1) > 1) {
        await servePrimary(config, { workers: options.workers!, seedDemoIfEmpty });
      } else await serve(config, { seedDemoIfEmpty });
    });
}
