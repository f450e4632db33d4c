import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { serve } from '../../server.js';

export function registerServe(program: Command) {
  program
    .command('serve')
    .description(
      'Start the web app and API (configured by PORT, HOST, DATABASE_URL, … — see .env.example)',
    )
    .option('--seed-demo-if-empty', 'create the demo region when the database is empty')
    .action(async (options: { seedDemoIfEmpty?: boolean }) => {
      await serve(loadConfig(), { seedDemoIfEmpty: Boolean(options.seedDemoIfEmpty) });
    });
}
