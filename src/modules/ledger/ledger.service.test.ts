import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/backends.js';
import { createLedgerFixture } from '../../../test/support/factories.js';
import { useServiceContext } from '../../../test/support/storage-context.js';
import * as ledger from './ledger.service.js';

describeEachBackend('ledger service', (backend) => {
  const t = useServiceContext(backend);

  const setUp = () => createLedgerFixture(t.ctx);

  it('earns, holds, posts in part and keeps the sums at zero', async () => {
    const { municipalityId, issuance, wallet, partner } = await setUp();
    const base = { municipalityId, code: 'earn' };
    const results = await ledger.createTransfers(t.ctx, [
      {
        ...base,
        id: 'earn-1',
        debitAccountId: issuance.id,
        creditAccountId: wallet.id,
        amount: 100,
      },
      {
        ...base,
        id: 'hold-1',
        code: 'spend',
        debitAccountId: wallet.id,
        creditAccountId: partner.id,
        amount: 60,
        flags: { pending: true },
        timeoutSeconds: 60,
      },
      {
        ...base,
        id: 'too-much',
        code: 'spend',
        debitAccountId: wallet.id,
        creditAccountId: partner.id,
        amount: 41,
      },
      {
        ...base,
        id: 'post-1',
        code: 'spend',
        pendingId: 'hold-1',
        amount: 50,
        flags: { postPending: true },
      },
    ]);
    expect(results.map((r) => r.result)).toEqual(['ok', 'ok', 'insufficient_funds', 'ok']);
    const after = await ledger.getAccount(t.ctx, wallet.id);
    expect(after).toMatchObject({ creditsPosted: 100, debitsPosted: 50, debitsPending: 0 });
    expect(ledger.availablePoints(after)).toBe(50);
    const replay = await ledger.createTransfer(t.ctx, {
      ...base,
      id: 'earn-1',
      debitAccountId: issuance.id,
      creditAccountId: wallet.id,
      amount: 100,
    });
    expect(replay.result).toBe('exists');
    const changed = await ledger.createTransfer(t.ctx, {
      ...base,
      id: 'earn-1',
      debitAccountId: issuance.id,
      creditAccountId: wallet.id,
      amount: 101,
    });
    expect(changed.result).toBe('exists_with_different_fields');
    const page = await ledger.listAccountTransfers(t.ctx, wallet.id, { limit: 2 });
    expect(page.items.map((x) => x.id)).toEqual(['post-1', 'hold-1']);
    const rest = await ledger.listAccountTransfers(t.ctx, wallet.id, {
      limit: 2,
      before: page.nextCursor!,
    });
    expect(rest.items.map((x) => x.id)).toEqual(['earn-1']);
    expect(rest.nextCursor).toBeNull();
  });

  it('expires a hold once, whoever touches it first', async () => {
    const { municipalityId, issuance, wallet, partner } = await setUp();
    await ledger.createTransfers(t.ctx, [
      {
        municipalityId,
        code: 'earn',
        id: 'e',
        debitAccountId: issuance.id,
        creditAccountId: wallet.id,
        amount: 10,
      },
      {
        municipalityId,
        code: 'spend',
        id: 'h',
        debitAccountId: wallet.id,
        creditAccountId: partner.id,
        amount: 10,
        flags: { pending: true },
        timeoutSeconds: 30,
      },
    ]);
    t.clock.advance(30_000);
    const post = await ledger.createTransfer(t.ctx, {
      municipalityId,
      code: 'spend',
      id: 'p',
      pendingId: 'h',
      flags: { postPending: true },
    });
    expect(post.result).toBe('pending_expired');
    expect(await ledger.expirePendingTransfers(t.ctx)).toBe(0);
    expect((await ledger.getAccount(t.ctx, wallet.id)).debitsPending).toBe(0);
    expect((await ledger.getTransfer(t.ctx, 'ledger:expire:h')).phase).toBe('expire');
  });

  it('gathers concurrent single transfers into few commits', async () => {
    const { municipalityId, issuance, wallet } = await setUp();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        ledger.createTransfer(t.ctx, {
          municipalityId,
          code: 'earn',
          id: `g-${i}`,
          debitAccountId: issuance.id,
          creditAccountId: wallet.id,
          amount: 1,
        }),
      ),
    );
    expect(results.every((r) => r.result === 'ok')).toBe(true);
    expect((await ledger.getAccount(t.ctx, wallet.id)).creditsPosted).toBe(200);
    const stats = ledger.groupCommitStats(t.storage);
    expect(stats.transfers).toBe(200);
    expect(stats.batches).toBeLessThan(200);
  });

  it('never lets one refused transfer in a group commit fail its neighbours', async () => {
    const { municipalityId, issuance, wallet, partner } = await setUp();
    const earn = (id: string, amount: number) => ({
      municipalityId,
      code: 'earn',
      id,
      debitAccountId: issuance.id,
      creditAccountId: wallet.id,
      amount,
    });
    const results = await Promise.all([
      ledger.createTransfer(t.ctx, earn('n-1', 5)),
      ledger.createTransfer(t.ctx, earn('n-2', 0)),
      ledger.createTransfer(t.ctx, {
        municipalityId,
        code: 'spend',
        id: 'n-3',
        debitAccountId: wallet.id,
        creditAccountId: partner.id,
        amount: 1000,
      }),
      ledger.createTransfer(t.ctx, { ...earn('n-4', 5), flags: { linked: true } }),
      ledger.createTransfer(t.ctx, earn('n-5', 7)),
      ledger.createTransfer(t.ctx, earn('n-1', 6)),
    ]);
    expect(results.map((r) => r.result)).toEqual([
      'ok',
      'amount_must_be_positive',
      'insufficient_funds',
      'linked_event_chain_open',
      'ok',
      'exists_with_different_fields',
    ]);
    expect((await ledger.getAccount(t.ctx, wallet.id)).creditsPosted).toBe(12);
  });
});
