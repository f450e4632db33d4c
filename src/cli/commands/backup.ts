import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { verifyLedger } from '../../modules/ledger/ledger.verify.js';
import { createContext } from '../../shared/context.js';
import { backupDatabase, restoreDatabase } from '../../storage/backup.js';
import { openStorage } from '../../storage/database.js';
import { migrateToLatest } from '../../storage/migrate.js';

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

interface Options {
  force?: boolean;
  pgBin?: string;
  json?: boolean;
}

/** `civicpoints backup FILE` and `civicpoints restore FILE` (see src/storage/backup.ts). */
export function registerBackup(program: Command) {
  program
    .command('backup')
    .description(
      'Copy the whole database to FILE while the app keeps running (SQLite: online backup; PostgreSQL: pg_dump)',
    )
    .argument('<file>', 'where to write the backup')
    .option('--force', 'overwrite FILE when it exists')
    .option('--pg-bin <dir>', 'PostgreSQL: use pg_dump and pg_restore from this folder only')
    .option('--json', 'print the outcome as JSON')
    .action(async (file: string, options: Options) => {
      const config = loadConfig();
      const outcome = await backupDatabase(config.database, file, {
        ...(options.force && { force: true }),
        ...(options.pgBin && { pgBinDir: options.pgBin }),
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(outcome)}\n`);
        return;
      }
      process.stdout.write(
        outcome.kind === 'sqlite'
          ? `Backed up the SQLite database to ${outcome.file} (${megabytes(outcome.bytes)}, integrity ok).\n`
          : `Backed up PostgreSQL schema(s) ${outcome.schemas?.join(', ')} to ${outcome.file} (${megabytes(outcome.bytes)}, pg_dump custom format).\n`,
      );
    });

  program
    .command('restore')
    .description(
      'Replace the database with a backup, bring it up to date and verify its ledger (stop serving processes first)',
    )
    .argument('<file>', 'a file made by `civicpoints backup`')
    .option('--force', 'replace a database that holds data')
    .option('--pg-bin <dir>', 'PostgreSQL: use pg_restore and psql from this folder only')
    .option('--json', 'print the outcome and the ledger report as JSON')
    .action(async (file: string, options: Options) => {
      const config = loadConfig();
      const restored = await restoreDatabase(config.database, file, {
        ...(options.force && { force: true }),
        ...(options.pgBin && { pgBinDir: options.pgBin }),
      });
      const storage = openStorage(config.database);
      let applied: string[];
      let ledger: Awaited<ReturnType<typeof verifyLedger>>;
      try {
        // A backup from an older version gets the migrations it lacks before anything reads it.
        applied = (await migrateToLatest(storage.db)).applied;
        ledger = await verifyLedger(createContext(storage, { actor: { kind: 'operator_cli' } }));
      } finally {
        await storage.close();
      }
      if (!ledger.ok) process.exitCode = 1;
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ...restored, applied, ledger })}\n`);
        return;
      }
      const out = (line: string) => process.stdout.write(`${line}\n`);
      out(
        `Restored ${restored.file}${restored.replaced ? ', replacing the data that was there' : ''}.`,
      );
      out(
        applied.length === 0
          ? 'The schema is up to date.'
          : `Applied ${applied.length} migration(s) the backup lacked: ${applied.join(', ')}.`,
      );
      for (const m of ledger.municipalities) {
        out(
          `${m.slug}: ${m.transfers} transfer(s), ${m.problems.length === 0 ? 'ok' : `${m.problems.length} problem(s)`}`,
        );
        for (const problem of m.problems) out(`  - ${problem}`);
      }
      out(ledger.ok ? 'The ledger verifies.' : 'The ledger does NOT verify.');
    });
}
