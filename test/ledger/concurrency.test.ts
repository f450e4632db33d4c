import { expect, it } from 'vitest';
import type { DatabaseConfig } from '../../src/config.js';
import {
  createTransfer,
  createTransfers,
  ensureSystemAccounts,
  getAccount,
  openAccount,
} from '../../src/modules/ledger/ledger.service.js';
import type {
  Account,
  TransferInput,
  TransferResult,
} from '../../src/modules/ledger/ledger.types.js';
import { verifyLedger } from '../../src/modules/ledger/ledger.verify.js';
import { createContext } from '../../src/shared/context.js';
import { openStorage, type Storage } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { postgresAvailable, postgresBackend } from '../support/backends.js';
import { createMunicipality } from '../support/factories.js';

const CONNECTIONS = 16;
const HOT_ACCOUNTS = 10;
const TRANSFERS = 10_000;

/**
 * 16 separate connections (as 16 processes would have) write 10,000 transfers to 10 hot wallets
 * at once: earns that always fit and spends that may not. Only the codes the model allows come
 * back — never a deadlock or serialization failure — and every acknowledged transfer is stored
 * exactly once, with the invariants intact.
 */
it.skipIf(!postgresAvailable())(
  'PostgreSQL: 16 connections, 10 hot accounts, 10,000 transfers keep every invariant',
  async () => {
    const config = await postgresBackend.freshDatabase();
    const setupStorage = openStorage(config);
    await migrateToLatest(setupStorage.db);
    const setupCtx = createContext(setupStorage, { actor: { kind: 'system', name: 'test' } });
    const municipality = await createMunicipality(setupCtx);
    const { issuance } = await ensureSystemAccounts(setupCtx, municipality.id);
    const partner = await openAccount(setupCtx, {
      municipalityId: municipality.id,
      kind: 'partner',
      ownerId: 'prt_1',
    });
    const wallets: Account[] = [];
    for (let i = 0; i < HOT_ACCOUNTS; i++) {
      wallets.push(
        await openAccount(setupCtx, {
          municipalityId: municipality.id,
          kind: 'wallet',
          ownerId: `res_${i}`,
        }),
      );
    }

    const storages: Storage[] = Array.from({ length: CONNECTIONS }, () =>
      openStorage({ ...config, poolSize: 1 } as DatabaseConfig),
    );
    const perConnection = TRANSFERS / CONNECTIONS;
    const acknowledged = new Map<string, TransferResult>();
    const unexpected: string[] = [];
    try {
      await Promise.all(
        storages.map(async (storage, c) => {
          const ctx = createContext(storage, { actor: { kind: 'system', name: `caller-${c}` } });
          for (let sent = 0; sent < perConnection; ) {
            const size = Math.min(1 + ((sent * 7 + c) % 40), perConnection - sent);
            const inputs: TransferInput[] = Array.from({ length: size }, (_, k) => {
              const n = c * perConnection + sent + k;
              const wallet = wallets[(n * 3 + c) % HOT_ACCOUNTS]!;
              return n % 3 === 0
                ? {
                    id: `c-${n}`,
                    municipalityId: municipality.id,
                    code: 'spend',
                    debitAccountId: wallet.id,
                    creditAccountId: partner.id,
                    amount: 1 + (n % 9),
                  }
                : {
                    id: `c-${n}`,
                    municipalityId: municipality.id,
                    code: 'earn',
                    debitAccountId: issuance.id,
                    creditAccountId: wallet.id,
                    amount: 1 + (n % 5),
                  };
            });
            const results =
              size === 1 && c % 2 === 0
                ? [await createTransfer(ctx, inputs[0]!)]
                : await createTransfers(ctx, inputs);
            results.forEach((result, k) => {
              const expected = inputs[k]!.code === 'earn' ? ['ok'] : ['ok', 'insufficient_funds'];
              if (!expected.includes(result.result))
                unexpected.push(`${result.id}: ${result.result}`);
              acknowledged.set(result.id, result);
            });
            sent += size;
          }
        }),
      );
      expect(unexpected).toEqual([]);
      expect(acknowledged.size).toBe(TRANSFERS);

      const rows = await setupStorage.db
        .selectFrom('ledger_transfers')
        .select(['id'])
        .where('id', 'like', 'c-%')
        .execute();
      const stored = new Set(rows.map((r) => r.id));
      expect(stored.size).toBe(rows.length);
      for (const [id, result] of acknowledged)
        expect(stored.has(id), id).toBe(result.result === 'ok');

      const report = await verifyLedger(setupCtx);
      expect(report.municipalities[0]!.problems).toEqual([]);
      for (const wallet of wallets) {
        const account = await getAccount(setupCtx, wallet.id);
        expect(account.debitsPosted + account.debitsPending).toBeLessThanOrEqual(
          account.creditsPosted,
        );
      }
    } finally {
      await Promise.all(storages.map((s) => s.close()));
      await setupStorage.close();
    }
  },
  120_000,
);
