import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { openStorage } from '../../storage/database.js';
import { migrateToLatest } from '../../storage/migrate.js';

export function registerMigrate(program: Command) {
  program
    .command('migrate')
    .description('Bring the database schema up to date (also done on every start)')
    .action(async () => {
      const storage = openStorage(loadConfig().database);
      try {
        const { applied } = await migrateToLatest(storage.db);
        process.stdout.write(
          applied.length === 0
            ? 'The schema is up to date.\n'
            : `Applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m}\n`).join('')}`,
        );
      } finally {
        await storage.close();
      }
    });
}
