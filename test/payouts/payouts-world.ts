import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { expect } from 'vitest';
import type { PayoutSettingsInput } from '../../src/modules/payouts/payouts.types.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import type { FixedClock } from '../../src/shared/clock.js';
import { signInResident } from '../support/residents.js';
import { testContext } from '../support/server.js';
import { givePoints } from '../support/spending.js';
import { signInUser } from '../support/users.js';

/**
 * What the payouts tests share: a treasury key in an environment variable of this process,
 * settings that pass validation, staff, and residents with points and a proven wallet address
 * (a viem key that signs the server's EIP-4361 message, as a wallet would).
 */

export type Headers = Record<string, string>;

let keyCounter = 0;

/** A fresh treasury key in its own environment variable; returns the source naming it. */
export function treasuryKeyInEnv(): {
  source: string;
  variable: string;
  privateKey: `0x${string}`;
  address: string;
} {
  const privateKey = generatePrivateKey();
  const variable = `PAYOUTS_TEST_TREASURY_${process.pid}_${++keyCounter}`;
  process.env[variable] = privateKey;
  return {
    source: `env:${variable}`,
    variable,
    privateKey,
    address: privateKeyToAccount(privateKey).address,
  };
}

/** Settings that pass validation (1 point = 0.01 token of 18 decimals), with overrides. */
export function settingsBody(
  keySource: string,
  overrides: Partial<PayoutSettingsInput> = {},
): PayoutSettingsInput {
  return {
    enabled: true,
    rpcUrl: 'http://127.0.0.1:8545/rpc-key-abc',
    chainId: 31337,
    tokenAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    tokenDecimals: 18,
    tokenSymbol: 'CVP',
    treasuryKeySource: keySource,
    tokenUnitsPerPoint: '10000000000000000',
    minPoints: 100,
    maxPoints: 5000,
    yearlyCapPoints: 10_000,
    approvalThresholdPoints: 2000,
    confirmations: 2,
    coolingOffHours: 48,
    explorerTxUrl: 'https://explorer.example/tx/{hash}',
    ...overrides,
  };
}

export const clockOf = (app: FastifyInstance) => app.deps.clock as FixedClock;

export async function staffHeaders(
  app: FastifyInstance,
  slug: string,
  roles: ('admin' | 'finance' | 'analyst' | 'reviewer')[],
  email: string,
): Promise<Headers> {
  return (await signInUser(app, { kind: 'staff', slug, roles }, email)).headers;
}

/** Saves payout settings through the API as `admin`; fails the test unless saved. */
export async function savePayoutSettings(
  app: FastifyInstance,
  slug: string,
  admin: Headers,
  body: object,
) {
  const response = await app.inject({
    method: 'PUT',
    url: `/api/municipalities/${slug}/payouts/settings`,
    headers: admin,
    payload: body,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

let residentCounter = 0;

export interface WalletResident {
  id: string;
  headers: Headers;
  privateKey: `0x${string}`;
  address: string;
}

/** A signed-in resident of `slug` with `points` and (unless `prove` is false) a proven address. */
export async function walletResident(
  app: FastifyInstance,
  slug: string,
  points: number,
  prove = true,
): Promise<WalletResident> {
  const signedIn = await signInResident(
    app,
    slug,
    `payout.${process.pid}.${++residentCounter}@example.be`,
  );
  if (points > 0) await givePoints(app, slug, signedIn.resident.id, points);
  const privateKey = generatePrivateKey();
  const resident = {
    id: signedIn.resident.id,
    headers: signedIn.headers,
    privateKey,
    address: privateKeyToAccount(privateKey).address,
  };
  if (prove) {
    const proof = await proveAddress(app, resident.headers, privateKey);
    expect(proof.statusCode, proof.body).toBe(201);
  }
  return resident;
}

/** Asks for a challenge for the key's address and sends it back signed by `signer` (default: the key). */
export async function proveAddress(
  app: FastifyInstance,
  headers: Headers,
  privateKey: `0x${string}`,
  signer: `0x${string}` = privateKey,
) {
  const challenge = await app.inject({
    method: 'POST',
    url: '/api/me/payouts/address/challenge',
    headers,
    payload: { address: privateKeyToAccount(privateKey).address },
  });
  expect(challenge.statusCode, challenge.body).toBe(200);
  const { message } = challenge.json();
  const signature = await privateKeyToAccount(signer).signMessage({ message });
  return app.inject({
    method: 'POST',
    url: '/api/me/payouts/address',
    headers,
    payload: { message, signature },
  });
}

/** The payout send jobs enqueued for a payout (SQLite: the jobs table; PostgreSQL: pg-boss's). */
export async function sendJobsFor(app: FastifyInstance, payoutId: string): Promise<number> {
  const { db, dialect } = app.deps.storage;
  if (dialect === 'sqlite') {
    const rows = await db
      .selectFrom('jobs')
      .select('payload')
      .where('queue', '=', 'payouts.send')
      .execute();
    return rows.filter((row) => JSON.parse(row.payload).payoutId === payoutId).length;
  }
  const { rows: schemas } = await sql<{
    schema: string;
  }>`select current_schema() as schema`.execute(db);
  const table = `${schemas[0]!.schema}_jobs.job`;
  const exists = await sql<{ found: string | null }>`select to_regclass(${table}) as found`.execute(
    db,
  );
  if (!exists.rows[0]?.found) return 0;
  const { rows } = await sql<{ count: number }>`
    select count(*)::int as count from ${sql.table(table)}
    where name = 'payouts.send' and data->>'payoutId' = ${payoutId}`.execute(db);
  return Number(rows[0]?.count ?? 0);
}

/** The municipality's id. */
export async function municipalityIdOf(app: FastifyInstance, slug: string): Promise<string> {
  return (await getMunicipality(testContext(app), slug)).id;
}
