import type { Command } from 'commander';
import { reconcilePayouts } from '../../modules/payouts/payouts.reconcile.js';
import { deployPayoutToken } from '../../modules/payouts/token-deployment.service.js';
import { getMunicipality } from '../../modules/tenancy/tenancy.service.js';
import { withOperatorContext } from '../context.js';
import { EXIT, UsageError } from '../output.js';

function wholeNumber(option: string, text: string): bigint {
  if (!/^\d+$/.test(text)) throw new UsageError(`--${option} must be a whole number`);
  return BigInt(text);
}

/** `civicpoints payouts …`: token deployment for pilots and reconciliation on demand. */
export function registerPayouts(program: Command) {
  const command = program.command('payouts').description('Payouts: token and reconciliation');

  command
    .command('deploy-token')
    .description(
      "Deploy an ERC-20 token from the treasury with the municipality's payout settings and record it",
    )
    .requiredOption('--municipality <slug>', 'the municipality')
    .option('--name <name>', 'the token name (default: "<municipality> Civic Points")')
    .option('--symbol <symbol>', "the token symbol (default: the settings' symbol)")
    .option('--decimals <n>', 'decimals', '18')
    .option('--supply <tokens>', 'whole tokens minted to the treasury', '1000000')
    .option('--replace', 'deploy even though the settings already name a token')
    .action(
      async (options: {
        municipality: string;
        name?: string;
        symbol?: string;
        decimals: string;
        supply: string;
        replace?: boolean;
      }) => {
        const decimals = Number(wholeNumber('decimals', options.decimals));
        const supplyTokens = wholeNumber('supply', options.supply);
        const deployed = await withOperatorContext(async (ctx) => {
          const municipality = await getMunicipality(ctx, options.municipality);
          const settings = await ctx.db
            .selectFrom('payout_settings')
            .select('token_symbol')
            .where('municipality_id', '=', municipality.id)
            .executeTakeFirst();
          return deployPayoutToken(ctx, municipality.id, {
            name: options.name ?? `${municipality.names.en} Civic Points`,
            symbol: options.symbol ?? settings?.token_symbol ?? 'CIVIC',
            decimals,
            supplyTokens,
            replace: options.replace === true,
          });
        });
        process.stdout.write(
          `Deployed ${deployed.symbol} at ${deployed.tokenAddress} (block ${deployed.blockNumber}, transaction ${deployed.txHash}); ${supplyTokens} token(s) minted to the treasury.\n`,
        );
      },
    );

  command
    .command('reconcile')
    .description(
      "Compare the treasury's on-chain transfers with the payouts and the ledger; exit 1 on any difference",
    )
    .requiredOption('--municipality <slug>', 'the municipality')
    .option('--json', 'print the report as JSON')
    .action(async (options: { municipality: string; json?: boolean }) => {
      const report = await withOperatorContext(async (ctx) =>
        reconcilePayouts(ctx, (await getMunicipality(ctx, options.municipality)).id),
      );
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        const s = report.summary;
        process.stdout.write(
          `${options.municipality}: blocks ${report.fromBlock}–${report.toBlock}, ${s.transfers} transfer(s), ${s.confirmedPayouts} confirmed payout(s), ${s.confirmedPoints} point(s) paid out, ledger ${s.ledgerPayoutPoints}: ${report.ok ? 'ok' : `${report.differences.length} difference(s)`}\n`,
        );
        for (const difference of report.differences) {
          const { kind, ...rest } = difference;
          process.stdout.write(`  ${kind} ${JSON.stringify(rest)}\n`);
        }
      }
      if (!report.ok) process.exitCode = EXIT.failed;
    });
}
