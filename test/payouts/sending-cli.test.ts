import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { privateKeyToAccount } from 'viem/accounts';
import { expect, it } from 'vitest';
import { tokenBalance } from '../../src/modules/payouts/erc20/chain.js';
import { createContext } from '../../src/shared/context.js';
import { openStorage } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { civicpoints } from '../support/cli.js';
import { createMunicipality } from '../support/factories.js';
import {
  insertPayoutSettings,
  keySourceFor,
  localChainForFile,
  sendTokensOutside,
} from '../support/payouts-fixture.js';

/** `civicpoints payouts deploy-token` and `civicpoints payouts reconcile`, as real processes. */

const local = localChainForFile();

it('deploys the token into the settings and reconciles, failing on a difference', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'civicpoints-payouts-cli-'));
  const file = path.join(dir, 'cli.db');
  const env = { DATABASE_URL: `sqlite:${file}`, DATA_DIR: dir };
  const treasuryKey = local.chain.accounts[1]!;
  const treasury = privateKeyToAccount(treasuryKey).address;

  const storage = openStorage({ dialect: 'sqlite', file });
  await migrateToLatest(storage.db);
  const ctx = createContext(storage, { actor: { kind: 'operator_cli' } });
  const municipality = await createMunicipality(ctx);
  await insertPayoutSettings(storage.db, {
    municipality_id: municipality.id,
    rpc_url: local.chain.rpcUrl,
    chain_id: local.chain.chainId,
    treasury_address: treasury,
    treasury_key_source: keySourceFor(treasuryKey),
  });
  await storage.close();
  const slug = municipality.slug;

  const deployed = await civicpoints(
    ['payouts', 'deploy-token', '--municipality', slug, '--symbol', 'PILOT', '--supply', '500'],
    env,
  );
  expect(deployed.code, deployed.stderr).toBe(0);
  expect(deployed.stdout).toMatch(/Deployed PILOT at 0x[0-9a-fA-F]{40} \(block \d+/);

  const reopened = openStorage({ dialect: 'sqlite', file });
  const settings = await reopened.db
    .selectFrom('payout_settings')
    .selectAll()
    .executeTakeFirstOrThrow();
  await reopened.close();
  expect(settings).toMatchObject({ token_symbol: 'PILOT', token_decimals: 18 });
  expect(settings.token_address).toMatch(/^0x[0-9a-fA-F]{40}$/);
  expect(settings.reconcile_from_block).toBe(Number(deployed.stdout.match(/block (\d+)/)![1]));
  const config = { rpcUrl: local.chain.rpcUrl, chainId: local.chain.chainId };
  const token = settings.token_address as `0x${string}`;
  expect(await tokenBalance(config, token, treasury)).toBe(500n * 10n ** 18n);

  const again = await civicpoints(['payouts', 'deploy-token', '--municipality', slug], env);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/payout_token_exists/);

  const clean = await civicpoints(['payouts', 'reconcile', '--municipality', slug], env);
  expect(clean.code, clean.stderr).toBe(0);
  expect(clean.stdout).toMatch(/0 transfer\(s\).*: ok$/m);

  const stray = await sendTokensOutside(
    { ...config, token },
    treasuryKey,
    privateKeyToAccount(local.chain.accounts[0]!).address,
    10n ** 18n,
  );
  const dirty = await civicpoints(['payouts', 'reconcile', '--municipality', slug], env);
  expect(dirty.code).toBe(1);
  expect(dirty.stdout).toMatch(/1 difference\(s\)/);
  expect(dirty.stdout).toContain(`unknown_transfer {"txHash":"${stray}"`);
}, 120_000);
