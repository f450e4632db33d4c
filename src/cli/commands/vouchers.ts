import type { Command } from 'commander';
import { expirePendingTransfers } from '../../modules/ledger/ledger.service.js';
import { getMunicipality } from '../../modules/tenancy/tenancy.service.js';
import { expireDueVouchers } from '../../modules/vouchers/expiry.service.js';
import { issueStatements } from '../../modules/vouchers/settlement.service.js';
import { rotateSigningKey } from '../../modules/vouchers/signing-keys.service.js';
import { monthOf } from '../../shared/calendar.js';
import { withOperatorContext } from '../context.js';
import { printTable } from '../output.js';

/** `civicpoints vouchers …`: the spending side's chores, for cron and operators. */
export function registerVouchers(program: Command) {
  const command = program
    .command('vouchers')
    .description('Vouchers: expiry, signing keys, settlement');

  command
    .command('expire')
    .description(
      'Expire vouchers past their expiry (points back, residents emailed) and holds past their timeout',
    )
    .action(async () => {
      const { vouchers, holds } = await withOperatorContext(async (ctx) => {
        let vouchers = 0;
        for (
          let batch = await expireDueVouchers(ctx);
          batch > 0;
          batch = await expireDueVouchers(ctx)
        ) {
          vouchers += batch;
        }
        return { vouchers, holds: await expirePendingTransfers(ctx) };
      });
      process.stdout.write(`Expired ${vouchers} voucher(s) and ${holds} other hold(s).\n`);
    });

  command
    .command('rotate-key')
    .description('Make a new signing key for a municipality; vouchers already issued stay valid')
    .requiredOption('--municipality <slug>', 'the municipality')
    .action(async (options: { municipality: string }) => {
      const { id } = await withOperatorContext(async (ctx) =>
        rotateSigningKey(ctx, (await getMunicipality(ctx, options.municipality)).id),
      );
      process.stdout.write(`New signing key ${id} for ${options.municipality}.\n`);
    });

  command
    .command('statements')
    .description('Issue the settlement statements of a month that is over (default: last month)')
    .requiredOption('--municipality <slug>', 'the municipality')
    .option('--period <YYYY-MM>', 'the month')
    .action(async (options: { municipality: string; period?: string }) => {
      const statements = await withOperatorContext(async (ctx) => {
        const now = ctx.clock.now();
        const period =
          options.period ??
          monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0, 12)));
        return issueStatements(ctx, (await getMunicipality(ctx, options.municipality)).id, period);
      });
      printTable(
        ['statement', 'partner', 'period', 'lines', 'points', 'amount', 'status'],
        statements.map((s) => [
          s.id,
          s.partnerName ?? s.partnerId,
          s.period,
          String(s.lines),
          String(s.points),
          (s.amountCents / 100).toFixed(2),
          s.status,
        ]),
      );
    });
}
