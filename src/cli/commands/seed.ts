import type { Command } from 'commander';
import { seedDemo } from '../../demo/seed-demo.js';
import { withOperatorContext } from '../context.js';
import { UsageError } from '../output.js';

export function registerSeed(program: Command) {
  program
    .command('seed')
    .description('Fill the database with data')
    .option(
      '--demo',
      'the demo region: Pelt, Lommel and Hamont-Achel (sample data, no endorsement)',
    )
    .action(async (options: { demo?: boolean }) => {
      if (!options.demo) throw new UsageError('say what to seed: `civicpoints seed --demo`');
      const { municipalities } = await withOperatorContext((ctx) => seedDemo(ctx));
      process.stdout.write(
        `Seeded the demo region: ${municipalities.map((m) => m.names.nl).join(', ')}.\n`,
      );
    });
}
