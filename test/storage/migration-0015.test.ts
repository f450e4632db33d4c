import { sql } from 'kysely';
import { expect, it } from 'vitest';
import {
  createTransfers,
  ensureSystemAccounts,
  expirePendingTransfers,
  expirePoints,
  openAccount,
} from '../../src/modules/ledger/ledger.service.js';
import type { TransferInput } from '../../src/modules/ledger/ledger.types.js';
import { verifyLedger } from '../../src/modules/ledger/ledger.verify.js';
import { fixedClock } from '../../src/shared/clock.js';
import { createContext, type ServiceContext } from '../../src/shared/context.js';
import type { Storage } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { describeEachBackend, openFreshStorage } from '../support/backends.js';
import { createMunicipality } from '../support/factories.js';
import { migrateTo } from '../support/migrate-to.js';
import { describeSchema } from '../support/schema-introspection.js';

/**
 * Migration 0015 (spending) on a database that already holds a ledger: it widens the account
 * kinds — PostgreSQL in place, SQLite by rebuilding ledger_accounts (new table, copy, drop,
 * rename, foreign keys off meanwhile) — and must keep every account, transfer, balance and lot,
 * the hash chains, the foreign keys and the other constraints.
 */

const BEFORE_SPENDING = '0014-create-site-codes';
const LEDGER_TABLES = [
  'ledger_accounts',
  'ledger_transfers',
  'ledger_chain_heads',
  'ledger_lots',
  'ledger_lot_reservations',
] as const;

/** Every row of the ledger's tables, in a stable order, numbers as numbers. */
async function dumpLedger(storage: Storage) {
  const out: Record<string, unknown[]> = {};
  for (const table of LEDGER_TABLES) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
      storage.db,
    );
    out[table] = rows
      .map((row) =>
        Object.fromEntries(
          Object.entries(row)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, typeof v === 'bigint' || /^\d+$/.test(String(v)) ? String(v) : v]),
        ),
      )
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return out;
}

async function expectVerified(ctx: ServiceContext) {
  const report = await verifyLedger(ctx, {});
  expect(report.municipalities.flatMap((m) => m.problems)).toEqual([]);
  expect(report.ok).toBe(true);
}

describeEachBackend('migration 0015 on a database with a ledger', (backend) => {
  it('keeps every account, transfer, balance and lot; the ledger verifies; keys and checks hold; escrow and settled accounts open', async () => {
    const storage = await openFreshStorage(backend);
    try {
      const upTo14 = await migrateTo(storage, BEFORE_SPENDING);
      expect(upTo14.at(-1)).toBe(`${BEFORE_SPENDING}:Success`);
      const clock = fixedClock('2026-03-01T09:00:00Z');
      const ctx = createContext(storage, { clock, actor: { kind: 'system', name: 'test' } });

      // Two municipalities with a ledger in every state: earned points in lots (one expires
      // its points), a hold posted in part, a void, an expired hold, one still open, a spend and
      // its reversal.
      const ids: string[] = [];
      for (const [m, expiry] of [
        [0, 12],
        [1, null],
      ] as const) {
        const municipality = await createMunicipality(ctx, { pointsExpiryMonths: expiry });
        ids.push(municipality.id);
        const { issuance } = await ensureSystemAccounts(ctx, municipality.id);
        const partner = await openAccount(ctx, {
          municipalityId: municipality.id,
          kind: 'partner',
          ownerId: `prt_${m}`,
        });
        const wallets = [];
        for (let w = 0; w < 4; w++) {
          wallets.push(
            await openAccount(ctx, {
              municipalityId: municipality.id,
              kind: 'wallet',
              ownerId: `res_${m}_${w}`,
            }),
          );
        }
        const move = (input: Omit<TransferInput, 'municipalityId'>) =>
          createTransfers(ctx, [{ municipalityId: municipality.id, ...input }]).then(([result]) => {
            expect(result?.result, input.id).toBe('ok');
          });
        for (const [w, wallet] of wallets.entries()) {
          for (let day = 0; day < 3; day++) {
            await move({
              id: `m${m}.earn.${w}.${day}`,
              debitAccountId: issuance.id,
              creditAccountId: wallet.id,
              amount: 100 + 10 * w + day,
              code: 'earn',
            });
            clock.advance(86_400_000);
          }
        }
        const [a, b, c, d] = wallets as [
          typeof partner,
          typeof partner,
          typeof partner,
          typeof partner,
        ];
        const hold = (id: string, wallet: typeof a, amount: number, timeoutSeconds = 3600) =>
          move({
            id,
            debitAccountId: wallet.id,
            creditAccountId: partner.id,
            amount,
            flags: { pending: true },
            timeoutSeconds,
            code: 'hold',
          });
        await hold(`m${m}.hold.post`, a, 150);
        await move({
          id: `m${m}.post`,
          pendingId: `m${m}.hold.post`,
          amount: 120,
          flags: { postPending: true },
          code: 'post',
        });
        await hold(`m${m}.hold.void`, b, 80);
        await move({
          id: `m${m}.void`,
          pendingId: `m${m}.hold.void`,
          flags: { voidPending: true },
          code: 'void',
        });
        await hold(`m${m}.hold.expires`, c, 60, 60);
        await hold(`m${m}.hold.open`, d, 40, 86_400 * 30);
        await move({
          id: `m${m}.spend`,
          debitAccountId: b.id,
          creditAccountId: partner.id,
          amount: 30,
          code: 'spend',
        });
        await move({
          id: `m${m}.refund`,
          reversesId: `m${m}.spend`,
          debitAccountId: partner.id,
          creditAccountId: b.id,
          amount: 30,
          code: 'reverse',
        });
        clock.advance(120_000);
      }
      expect(await expirePendingTransfers(ctx, { limit: 100 })).toBe(2);
      // A year on: the first municipality's oldest points expire (lots and their reservations).
      clock.advance(366 * 86_400_000);
      expect(await expirePoints(ctx)).toBeGreaterThan(0);
      await expectVerified(ctx);
      // Before 0015 there are no escrow accounts.
      await expect(openAccount(ctx, { municipalityId: ids[0]!, kind: 'escrow' })).rejects.toThrow();

      const ledgerBefore = await dumpLedger(storage);
      expect(ledgerBefore.ledger_accounts!.length).toBe(2 * 9);
      expect(ledgerBefore.ledger_lots!.length).toBeGreaterThan(0);
      expect(ledgerBefore.ledger_lot_reservations!.length).toBeGreaterThan(0);
      const schemaBefore = await describeSchema(storage);

      // 0015 and whatever came after it.
      expect((await migrateToLatest(storage.db)).applied[0]).toBe('0015-create-spending');

      expect(await dumpLedger(storage)).toEqual(ledgerBefore);
      const schemaAfter = await describeSchema(storage);
      for (const table of LEDGER_TABLES) {
        expect(schemaAfter.tables[table], table).toEqual(schemaBefore.tables[table]);
      }
      // Every other table's foreign keys into the ledger and municipalities are as they were.
      for (const [table, description] of Object.entries(schemaBefore.tables)) {
        expect(schemaAfter.tables[table]?.foreignKeys, table).toEqual(description.foreignKeys);
      }
      await expectVerified(ctx);

      // Foreign keys are enforced again: nothing may point at a missing account, and an account
      // that transfers point at cannot go.
      if (storage.dialect === 'sqlite') {
        expect((await sql`pragma foreign_key_check`.execute(storage.db)).rows).toEqual([]);
        const { rows } = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(
          storage.db,
        );
        expect(rows[0]?.foreign_keys).toBe(1);
      }
      const earn = await storage.db
        .selectFrom('ledger_transfers')
        .selectAll()
        .where('id', '=', 'm0.earn.0.0')
        .executeTakeFirstOrThrow();
      await expect(
        storage.db
          .insertInto('ledger_transfers')
          .values({ ...earn, id: 'dangling', sequence: 9_999, debit_account_id: 'acc_missing' })
          .execute(),
      ).rejects.toThrow(/foreign key/i);
      await expect(
        storage.db.deleteFrom('ledger_accounts').where('id', '=', earn.credit_account_id).execute(),
      ).rejects.toThrow(/foreign key/i);
      const lot = await storage.db.selectFrom('ledger_lots').selectAll().executeTakeFirstOrThrow();
      await expect(
        storage.db
          .insertInto('ledger_lots')
          .values({ ...lot, id: 'lot_dangling', account_id: 'acc_missing' })
          .execute(),
      ).rejects.toThrow(/foreign key/i);
      // The other checks still stand: no unknown kind, no wallet below zero.
      const account = await storage.db
        .selectFrom('ledger_accounts')
        .selectAll()
        .where('id', '=', earn.credit_account_id)
        .executeTakeFirstOrThrow();
      await expect(
        storage.db
          .insertInto('ledger_accounts')
          .values({ ...account, id: 'acc_strange', kind: 'strange' as 'wallet', owner_id: 'x' })
          .execute(),
      ).rejects.toThrow(/check/i);
      await expect(
        storage.db
          .updateTable('ledger_accounts')
          .set({ debits_posted: 1_000_000 })
          .where('id', '=', earn.credit_account_id)
          .execute(),
      ).rejects.toThrow(/check/i);

      // The new kinds open, and points move through them; a transfer after the migration links
      // to the chain as before.
      const escrow = await openAccount(ctx, { municipalityId: ids[0]!, kind: 'escrow' });
      const settled = await openAccount(ctx, { municipalityId: ids[0]!, kind: 'settled' });
      const [earned, held, posted] = await createTransfers(ctx, [
        {
          id: 'after.earn',
          municipalityId: ids[0]!,
          debitAccountId: (await ensureSystemAccounts(ctx, ids[0]!)).issuance.id,
          creditAccountId: earn.credit_account_id,
          amount: 500,
          code: 'earn',
        },
        {
          id: 'after.hold',
          municipalityId: ids[0]!,
          debitAccountId: earn.credit_account_id,
          creditAccountId: escrow.id,
          amount: 200,
          flags: { pending: true },
          timeoutSeconds: 3600,
          code: 'voucher_hold',
        },
        {
          id: 'after.post',
          municipalityId: ids[0]!,
          pendingId: 'after.hold',
          flags: { postPending: true },
          code: 'voucher_redeem',
        },
      ]);
      expect([earned?.result, held?.result, posted?.result]).toEqual(['ok', 'ok', 'ok']);
      const [paid] = await createTransfers(ctx, [
        {
          id: 'after.settle',
          municipalityId: ids[0]!,
          debitAccountId: escrow.id,
          creditAccountId: settled.id,
          amount: 200,
          code: 'settle',
        },
      ]);
      expect(paid?.result).toBe('ok');
      await expectVerified(ctx);
    } finally {
      await storage.close();
    }
  });
});
