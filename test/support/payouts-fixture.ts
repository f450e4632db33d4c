import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { type Address, getAddress, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import {
  createTransfers,
  ensureSystemAccounts,
  getAccount,
  openAccount,
} from '../../src/modules/ledger/ledger.service.js';
import {
  deployToken,
  pendingNonce,
  sendTokenTransfer,
  tokenBalance,
} from '../../src/modules/payouts/erc20/chain.js';
import { isChainError } from '../../src/modules/payouts/erc20/chain-errors.js';
import { compiledToken } from '../../src/modules/payouts/erc20/token-contract.js';
import { createContext, type ServiceContext } from '../../src/shared/context.js';
import { packageRoot } from '../../src/shared/package-info.js';
import type { Db } from '../../src/storage/database.js';
import { openStorage, type Storage } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import type { PayoutSettingsTable } from '../../src/storage/schema.js';
import type { Backend } from './backends.js';
import { type LocalChain, startLocalChain } from './chain.js';
import { databaseUrl } from './cli.js';
import { nodeArgsFor } from './compiled-scripts.js';
import { createMunicipality } from './factories.js';

/**
 * Payout rows for the sending tests, made directly (the request service lives on another
 * branch): a municipality with payout settings on the local chain (a freshly deployed token, the
 * treasury key in an environment variable), a resident with points, and `queued` payouts with
 * their ledger hold (wallet → payout, `pyh_<payout id>`), as a request leaves them.
 */

/** Token base units per point in the fixtures: 0.001 token (18 decimals) per point. */
export const UNITS_PER_POINT = 10n ** 15n;

let keyCounter = 0;

/**
 * The local chain for a payouts test file, with the token compiled beforehand: solc-js compiles
 * synchronously for seconds, which on a busy machine made the first deployment's RPC calls
 * time out.
 */
export async function startPayoutsChain(): Promise<LocalChain> {
  const [chain] = await Promise.all([startLocalChain(), compiledToken()]);
  return chain;
}

/**
 * The local chain of a payouts test file: started (with the token compiled) before its tests,
 * stopped after them. Read `.chain` inside the tests.
 */
export function localChainForFile(): { chain: LocalChain } {
  const handle = {} as { chain: LocalChain };
  beforeAll(async () => {
    handle.chain = await startPayoutsChain();
  }, 60_000);
  afterAll(async () => {
    await handle.chain?.stop();
  });
  return handle;
}

/** deployToken, tried again once when the (busy) local node was slow to answer. */
async function deployTestToken(input: Parameters<typeof deployToken>[0]) {
  try {
    return await deployToken(input);
  } catch (error) {
    if (!isChainError(error, 'chain_unavailable')) throw error;
    return deployToken(input);
  }
}

export interface PayoutsFixture {
  ctx: ServiceContext;
  municipalityId: string;
  slug: string;
  rpcUrl: string;
  chainId: number;
  token: Address;
  treasury: Address;
  treasuryKey: Hex;
  residentId: string;
  residentAddress: Address;
}

export interface PayoutsFixtureOptions {
  /** The treasury's key (a funded hardhat account unless a test wants an empty one). */
  treasuryKey: Hex;
  /** Deploys the token from this key (default: the treasury), minting the supply to it. */
  deployerKey?: Hex;
  /** Token base units minted to the deployer (default: 1 000 tokens). */
  supply?: bigint;
  /** Points in the resident's wallet (default 10 000). */
  points?: number;
  confirmations?: number;
}

/** Puts the key in a fresh environment variable and returns the settings' `env:NAME` source. */
export function keySourceFor(key: Hex): string {
  keyCounter += 1;
  const name = `PAYOUTS_TEST_TREASURY_KEY_${process.pid}_${keyCounter}`;
  process.env[name] = key;
  return `env:${name}`;
}

export async function insertPayoutSettings(
  db: Db,
  values: Partial<PayoutSettingsTable> &
    Pick<
      PayoutSettingsTable,
      'municipality_id' | 'rpc_url' | 'chain_id' | 'treasury_address' | 'treasury_key_source'
    >,
): Promise<void> {
  await db
    .insertInto('payout_settings')
    .values({
      rail: 'erc20',
      status: 'enabled',
      token_address: null,
      token_decimals: 18,
      token_symbol: 'CIVIC',
      token_units_per_point: UNITS_PER_POINT.toString(),
      min_points: 1,
      max_points: 100_000,
      yearly_cap_points: 1_000_000,
      approval_threshold_points: null,
      confirmations: 1,
      cooling_off_hours: 0,
      explorer_tx_url: null,
      reconcile_from_block: 0,
      updated_by: 'test',
      updated_at: new Date().toISOString(),
      ...values,
    })
    .execute();
}

export async function createPayoutsFixture(
  ctx: ServiceContext,
  chain: { rpcUrl: string; chainId: number },
  options: PayoutsFixtureOptions,
): Promise<PayoutsFixture> {
  const municipality = await createMunicipality(ctx);
  await ensureSystemAccounts(ctx, municipality.id);
  const treasury = privateKeyToAccount(options.treasuryKey).address;
  const { address: token } = await deployTestToken({
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    privateKey: options.deployerKey ?? options.treasuryKey,
    name: 'Civic Test',
    symbol: 'CIVIC',
    decimals: 18,
    initialSupply: options.supply ?? 1000n * 10n ** 18n,
  });
  await insertPayoutSettings(ctx.db, {
    municipality_id: municipality.id,
    rpc_url: chain.rpcUrl,
    chain_id: chain.chainId,
    token_address: token,
    treasury_address: treasury,
    treasury_key_source: keySourceFor(options.treasuryKey),
    confirmations: options.confirmations ?? 1,
  });
  const residentId = `res_${randomUUID().replaceAll('-', '')}`;
  const now = ctx.clock.now().toISOString();
  await ctx.db
    .insertInto('residents')
    .values({
      id: residentId,
      municipality_id: municipality.id,
      email: null,
      display_name: 'Payout Tester',
      preferred_locale: 'en',
      member_code: residentId.slice(-12).toUpperCase(),
      status: 'active',
      created_at: now,
      updated_at: now,
    })
    .execute();
  const { issuance } = await ensureSystemAccounts(ctx, municipality.id);
  const wallet = await openAccount(ctx, {
    municipalityId: municipality.id,
    kind: 'wallet',
    ownerId: residentId,
  });
  const [earned] = await createTransfers(ctx, [
    {
      id: `test.earn.${randomUUID()}`,
      municipalityId: municipality.id,
      debitAccountId: issuance.id,
      creditAccountId: wallet.id,
      amount: options.points ?? 10_000,
      code: 'earn',
    },
  ]);
  if (earned?.result !== 'ok') throw new Error(`could not give points: ${earned?.result}`);
  return {
    ctx,
    municipalityId: municipality.id,
    slug: municipality.slug,
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    token,
    treasury,
    treasuryKey: options.treasuryKey,
    residentId,
    residentAddress: privateKeyToAccount(generatePrivateKey()).address,
  };
}

/** A `queued` payout of `points` with its hold, as an accepted request leaves it; returns its id. */
export async function createQueuedPayout(
  fixture: PayoutsFixture,
  points: number,
  options: { ctx?: ServiceContext } = {},
): Promise<string> {
  const ctx = options.ctx ?? fixture.ctx;
  const id = `pay_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
  const holdId = `pyh_${id}`;
  const { payout } = await ensureSystemAccounts(ctx, fixture.municipalityId);
  const wallet = await openAccount(ctx, {
    municipalityId: fixture.municipalityId,
    kind: 'wallet',
    ownerId: fixture.residentId,
  });
  const [hold] = await createTransfers(ctx, [
    {
      id: holdId,
      municipalityId: fixture.municipalityId,
      debitAccountId: wallet.id,
      creditAccountId: payout.id,
      amount: points,
      flags: { pending: true },
      code: 'payout_hold',
      reference: id,
    },
  ]);
  if (hold?.result !== 'ok') throw new Error(`could not hold points: ${hold?.result}`);
  const now = ctx.clock.now().toISOString();
  await ctx.db
    .insertInto('payouts')
    .values({
      id,
      municipality_id: fixture.municipalityId,
      resident_id: fixture.residentId,
      client_request_id: randomUUID(),
      rail: 'erc20',
      points,
      token_amount: (UNITS_PER_POINT * BigInt(points)).toString(),
      address: fixture.residentAddress,
      status: 'queued',
      hold_transfer_id: holdId,
      chain_id: fixture.chainId,
      token_address: fixture.token,
      treasury_address: fixture.treasury,
      nonce: null,
      tx_hash: null,
      signed_tx: null,
      block_number: null,
      park_reason: null,
      failure_reason: null,
      decided_by: null,
      requested_at: now,
      submitted_at: null,
      settled_at: null,
      updated_at: now,
    })
    .execute();
  return id;
}

/** The resident's token balance on chain, in base units. */
export function residentTokens(fixture: PayoutsFixture): Promise<bigint> {
  return tokenBalance(
    { rpcUrl: fixture.rpcUrl, chainId: fixture.chainId },
    fixture.token,
    fixture.residentAddress,
  );
}

/** Sends tokens from `fromKey` outside the payouts system (funding, or a stray transfer). */
export async function sendTokensOutside(
  fixture: Pick<PayoutsFixture, 'rpcUrl' | 'chainId' | 'token'>,
  fromKey: Hex,
  to: Address,
  amount: bigint,
): Promise<Hex> {
  const config = { rpcUrl: fixture.rpcUrl, chainId: fixture.chainId };
  const from = privateKeyToAccount(fromKey).address;
  return sendTokenTransfer(config, {
    privateKey: fromKey,
    token: fixture.token,
    to: getAddress(to),
    amount,
    nonce: await pendingNonce(config, from),
  });
}

/** The resident's wallet and the municipality's payout account, with balances. */
export async function payoutLedger(fixture: PayoutsFixture) {
  const { payout } = await ensureSystemAccounts(fixture.ctx, fixture.municipalityId);
  const wallet = await openAccount(fixture.ctx, {
    municipalityId: fixture.municipalityId,
    kind: 'wallet',
    ownerId: fixture.residentId,
  });
  return {
    wallet: await getAccount(fixture.ctx, wallet.id),
    payout: await getAccount(fixture.ctx, payout.id),
  };
}

export interface SenderProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves once the output contains `text`; rejects if the process ends first. */
  waitForOutput(text: string, ms?: number): Promise<void>;
}

/** Starts test/support/payouts-send-process.ts sending `payoutIds` on the database. */
export function startSenderProcess(
  databaseUrl: string,
  payoutIds: string[],
  env: Record<string, string> = {},
): SenderProcess {
  const child = spawn(process.execPath, nodeArgsFor('test/support/payouts-send-process.ts'), {
    cwd: packageRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      PAYOUT_IDS: payoutIds.join(','),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return {
    child,
    output: () => output,
    waitForOutput(text, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          if (output.includes(text)) return resolve();
          if (child.exitCode !== null || child.signalCode !== null || Date.now() - started > ms) {
            return reject(new Error(`the sender never printed "${text}":\n${output}`));
          }
          setTimeout(check, 50);
        };
        check();
      });
    },
  };
}

/**
 * Like useServiceContext, keeping the database's configuration so child processes can open the
 * same database: a fresh migrated database of the backend before each test, closed after.
 */
export function usePayoutsDatabase(backend: Backend) {
  const handle = {} as { ctx: ServiceContext; storage: Storage; url: string };
  beforeEach(async () => {
    const database = await backend.freshDatabase();
    handle.storage = openStorage(database);
    await migrateToLatest(handle.storage.db);
    handle.url = databaseUrl(database);
    handle.ctx = createContext(handle.storage, { actor: { kind: 'system', name: 'test' } });
  });
  afterEach(async () => {
    await handle.storage.close();
  });
  return handle;
}
