import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/backends.js';
import { createLedgerFixture } from '../../../test/support/factories.js';
import { useServiceContext } from '../../../test/support/storage-context.js';
import * as ledger from './ledger.service.js';
import { verifyLedger } from './ledger.verify.js';

describeEachBackend('ledger verify', (backend) => {
  const t = useServiceContext(backend);

  async function ledgerWithTransfers() {
    const { municipality, issuance, wallet, partner } = await createLedgerFixture(t.ctx);
    const base = { municipalityId: municipality.id, code: 'earn' };
    const results = await ledger.createTransfers(t.ctx, [
      { ...base, id: 't1', debitAccountId: issuance.id, creditAccountId: wallet.id, amount: 30 },
      { ...base, id: 't2', debitAccountId: issuance.id, creditAccountId: wallet.id, amount: 20 },
      {
        ...base,
        id: 't3',
        code: 'spend',
        debitAccountId: wallet.id,
        creditAccountId: partner.id,
        amount: 15,
        flags: { pending: true },
      },
      {
        ...base,
        id: 't4',
        code: 'spend',
        pendingId: 't3',
        flags: { postPending: true },
        amount: 10,
      },
      { ...base, id: 't5', code: 'reverse', reversesId: 't2' },
    ]);
    expect(results.map((r) => r.result)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    return municipality;
  }

  it('passes on an honest ledger', async () => {
    const municipality = await ledgerWithTransfers();
    const report = await verifyLedger(t.ctx);
    expect(report.ok).toBe(true);
    expect(report.municipalities).toEqual([
      { municipalityId: municipality.id, slug: municipality.slug, transfers: 5, problems: [] },
    ]);
  });

  it('names the transfer whose amount was changed in the database', async () => {
    await ledgerWithTransfers();
    await sql`update ledger_transfers set amount = 31 where id = 't2'`.execute(t.ctx.db);
    const report = await verifyLedger(t.ctx);
    expect(report.ok).toBe(false);
    const problems = report.municipalities[0]!.problems;
    expect(problems[0]).toBe(
      'transfer t2 (sequence 2): its fields do not match its hash (changed after it was written)',
    );
    expect(
      problems.some((p) => p.includes('creditsPosted is 50 but its transfers sum to 61')),
    ).toBe(true);
  });

  it('notices a balance changed without a transfer, a deleted transfer and a rewritten chain', async () => {
    await ledgerWithTransfers();
    await sql`update ledger_accounts set credits_posted = credits_posted + 100 where kind = 'wallet'`.execute(
      t.ctx.db,
    );
    let problems = (await verifyLedger(t.ctx)).municipalities[0]!.problems;
    expect(
      problems.some((p) =>
        /wallet of res_1\): creditsPosted is 150 but its transfers sum to 50/.test(p),
      ),
    ).toBe(true);
    expect(problems.some((p) => p.startsWith('the ledger does not sum to zero'))).toBe(true);

    await sql`update ledger_accounts set credits_posted = credits_posted - 100 where kind = 'wallet'`.execute(
      t.ctx.db,
    );
    await sql`delete from ledger_transfers where id = 't5'`.execute(t.ctx.db);
    problems = (await verifyLedger(t.ctx)).municipalities[0]!.problems;
    expect(problems[0]).toContain('the chain head (sequence 5) is not the last transfer t4');
  });
});
