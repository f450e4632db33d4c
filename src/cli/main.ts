import { Command, CommanderError } from 'commander';
import { packageVersion } from '../shared/package-info.js';
import { registerBackup } from './commands/backup.js';
import { registerImport } from './commands/import.js';
import { registerJobs } from './commands/jobs.js';
import { registerLedger } from './commands/ledger.js';
import { registerMigrate } from './commands/migrate.js';
import { registerMunicipality } from './commands/municipality.js';
import { registerPayouts } from './commands/payouts.js';
import { registerRegion } from './commands/region.js';
import { registerSeed } from './commands/seed.js';
import { registerServe } from './commands/serve.js';
import { registerUsers } from './commands/users.js';
import { registerVouchers } from './commands/vouchers.js';
import { EXIT, reportError } from './output.js';

/** The `civicpoints` command. */
export function buildProgram(): Command {
  const program = new Command('civicpoints')
    .description('CivicPoints: civic and environmental rewards for a region of municipalities')
    .version(packageVersion)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerServe(program);
  registerMigrate(program);
  registerSeed(program);
  registerRegion(program);
  registerMunicipality(program);
  registerLedger(program);
  registerUsers(program);
  registerImport(program);
  registerVouchers(program);
  registerJobs(program);
  registerBackup(program);
  registerPayouts(program);
  for (const command of program.commands) command.exitOverride();
  for (const command of program.commands.flatMap((c) => c.commands)) command.exitOverride();
  return program;
}

async function main(argv: string[]) {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed help, the version or what was wrong.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    process.exitCode = reportError(error);
  }
}

await main(process.argv);
