import type { Command } from 'commander';
import * as ledger from '../../modules/ledger/ledger.service.js';
import type { Account, AccountKind } from '../../modules/ledger/ledger.types.js';
import { verifyLedger } from '../../modules/ledger/ledger.verify.js';
import { getMunicipality } from '../../modules/tenancy/tenancy.service.js';
import type { ServiceContext } from '../../shared/context.js';
import { withOperatorContext } from '../context.js';
import { printTable, UsageError } from '../output.js';

const ACCOUNT_HELP =
  'an account id (acc_…) or SLUG:KIND[:OWNER], e.g. pelt:issuance or pelt:wallet:res_1';

/** An account by id, or by municipality slug, kind and owner. */
async function resolveAccount(ctx: ServiceContext, ref: string): Promise<Account> {
  if (!ref.includes(':')) return ledger.getAccount(ctx, ref);
  const [slug = '', kind = '', ...owner] = ref.split(':');
  const municipality = await getMunicipality(ctx, slug);
  const account = await ledger.findAccount(ctx, {
    municipalityId: municipality.id,
    kind: kind as AccountKind,
    ownerId: owner.length > 0 ? owner.join(':') : null,
  });
  if (!account)
    throw new UsageError(
      `${slug} has no ${kind} account${owner.length ? ` of ${owner.join(':')}` : ''}`,
    );
  return account;
}

export function registerLedger(program: Command) {
  const command = program.command('ledger').description('The points ledger');

  command
    .command('verify')
    .description('Recompute every hash chain and check balances and sums; exit 1 on any problem')
    .option('--municipality <slug>', 'only this municipality')
    .option('--json', 'print the report as JSON')
    .action(async (options: { municipality?: string; json?: boolean }) => {
      const report = await withOperatorContext(async (ctx) => {
        const municipalityId = options.municipality
          ? (await getMunicipality(ctx, options.municipality)).id
          : undefined;
        return verifyLedger(ctx, municipalityId ? { municipalityId } : {});
      });
      if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        for (const m of report.municipalities) {
          process.stdout.write(
            `${m.slug}: ${m.transfers} transfer(s), ${m.problems.length === 0 ? 'ok' : `${m.problems.length} problem(s)`}\n`,
          );
          for (const problem of m.problems) process.stdout.write(`  - ${problem}\n`);
        }
        process.stdout.write(
          report.ok ? 'The ledger verifies.\n' : 'The ledger does NOT verify.\n',
        );
      }
      if (!report.ok) process.exitCode = 1;
    });

  command
    .command('balance')
    .description("An account's balances")
    .argument('<account>', ACCOUNT_HELP)
    .option('--json', 'print JSON')
    .action(async (ref: string, options: { json?: boolean }) => {
      const account = await withOperatorContext((ctx) => resolveAccount(ctx, ref));
      if (options.json) {
        process.stdout.write(`${JSON.stringify(account, null, 2)}\n`);
        return;
      }
      printTable(
        [
          'ACCOUNT',
          'KIND',
          'OWNER',
          'DEBITS',
          'CREDITS',
          'DEBITS HELD',
          'CREDITS HELD',
          'AVAILABLE',
        ],
        [
          [
            account.id,
            account.kind,
            account.ownerId ?? '-',
            String(account.debitsPosted),
            String(account.creditsPosted),
            String(account.debitsPending),
            String(account.creditsPending),
            account.kind === 'wallet' ? String(ledger.availablePoints(account)) : '-',
          ],
        ],
      );
    });

  command
    .command('history')
    .description("An account's transfers, newest first")
    .argument('<account>', ACCOUNT_HELP)
    .option('--limit <n>', 'how many (1-200)', '50')
    .option('--before <cursor>', 'continue from the cursor the previous page printed')
    .option('--json', 'print JSON')
    .action(async (ref: string, options: { limit: string; before?: string; json?: boolean }) => {
      const { account, page } = await withOperatorContext(async (ctx) => {
        const account = await resolveAccount(ctx, ref);
        const page = await ledger.listAccountTransfers(ctx, account.id, {
          limit: Number(options.limit),
          ...(options.before !== undefined && { before: options.before }),
        });
        return { account, page };
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
        return;
      }
      printTable(
        ['SEQ', 'TIME', 'PHASE', 'CODE', 'AMOUNT', 'TRANSFER', 'REFERENCE'],
        page.items.map((t) => [
          String(t.sequence),
          t.createdAt,
          t.phase,
          t.code,
          `${t.debitAccountId === account.id ? '-' : '+'}${t.amount}`,
          t.id,
          t.reference ?? '',
        ]),
      );
      if (page.nextCursor) process.stdout.write(`More: --before ${page.nextCursor}\n`);
    });

  command
    .command('expire-pending')
    .description('Expire every hold past its timeout (the sweeper job does this on a schedule)')
    .action(async () => {
      const expired = await withOperatorContext((ctx) => ledger.expirePendingTransfers(ctx));
      process.stdout.write(`Expired ${expired} hold(s).\n`);
    });

  command
    .command('expire-points')
    .description(
      "Expire the points past their municipality's expiry date (the sweeper job does this daily)",
    )
    .action(async () => {
      const expired = await withOperatorContext((ctx) => ledger.expirePoints(ctx));
      process.stdout.write(`Expired the points of ${expired} lot(s).\n`);
    });
}
