import type { Command } from 'commander';
import { configureRegion } from '../../modules/tenancy/tenancy.service.js';
import { withOperatorContext } from '../context.js';
import { localizedNames, type NameOptions, nameOptions } from './names.js';

export function registerRegion(program: Command) {
  const region = program.command('region').description("The operator's region");
  nameOptions(
    region
      .command('set')
      .description('Name the region (created if there is none)')
      .requiredOption('--slug <slug>', 'short name used in URLs, e.g. "limburg"'),
  ).action(async (options: NameOptions & { slug: string }) => {
    const result = await withOperatorContext((ctx) =>
      configureRegion(ctx, { slug: options.slug, names: localizedNames(options), demo: false }),
    );
    process.stdout.write(`Region "${result.slug}" is set.\n`);
  });
}
