import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/backends.js';
import { createLedgerFixture } from '../../../test/support/factories.js';
import { useServiceContext } from '../../../test/support/storage-context.js';
import { lotExpiry } from './ledger.lots.js';
import * as ledger from './ledger.service.js';
import { verifyLedger } from './ledger.verify.js';

const DAY = 24 * 3600 * 1000;

it('points expire at the end of the same day N months later, clamped to the month', () => {
  expect(lotExpiry(new Date('2026-01-31T15:00:00Z'), 1)).toBe('2026-03-01T00:00:00.000Z');
  expect(lotExpiry(new Date('2026-03-15T23:59:00Z'), 12)).toBe('2027-03-16T00:00:00.000Z');
  expect(lotExpiry(new Date('2026-03-15T00:00:00Z'), null)).toBeNull();
});

describeEachBackend('points expiry', (backend) => {
  const t = useServiceContext(backend);

  async function setUp(pointsExpiryMonths: number | null = 12) {
    const { municipality, issuance, expired, wallet, partner } = await createLedgerFixture(t.ctx, {
      pointsExpiryMonths,
    });
    let n = 0;
    const earn = (amount: number) =>
      ledger.createTransfer(t.ctx, {
        id: `earn-${n++}`,
        municipalityId: municipality.id,
        code: 'earn',
        debitAccountId: issuance.id,
        creditAccountId: wallet.id,
        amount,
      });
    const spend = (amount: number, extra: object = {}) =>
      ledger.createTransfer(t.ctx, {
        id: `spend-${n++}`,
        municipalityId: municipality.id,
        code: 'spend',
        debitAccountId: wallet.id,
        creditAccountId: partner.id,
        amount,
        ...extra,
      });
    return { municipality, wallet, expired, earn, spend };
  }

  it('spends the oldest points first and expires exactly what is due', async () => {
    const { wallet, expired, earn, spend } = await setUp(12);
    await earn(10); // 2026-12-01
    t.clock.advance(10 * DAY);
    await earn(10); // 2026-12-11
    expect((await spend(15)).result).toBe('ok');
    expect(await ledger.listExpiringPoints(t.ctx, wallet.id)).toEqual([
      { expiresAt: '2027-12-12T00:00:00.000Z', points: 5 },
    ]);

    t.clock.set('2027-12-02T00:00:00Z'); // the first lot's date: already spent, nothing to expire
    expect(await ledger.expirePoints(t.ctx)).toBe(0);
    t.clock.set('2027-12-12T00:00:00Z');
    expect(await ledger.expirePoints(t.ctx)).toBe(1);
    expect(await ledger.expirePoints(t.ctx)).toBe(0);
    expect(ledger.availablePoints(await ledger.getAccount(t.ctx, wallet.id))).toBe(0);
    expect((await ledger.getAccount(t.ctx, expired.id)).creditsPosted).toBe(5);
    expect((await verifyLedger(t.ctx)).ok).toBe(true);
  });

  it('does not let due points be spent: they expire first', async () => {
    const { wallet, earn, spend } = await setUp(1);
    await earn(20);
    t.clock.advance(40 * DAY);
    expect((await spend(5)).result).toBe('insufficient_funds');
    expect(ledger.availablePoints(await ledger.getAccount(t.ctx, wallet.id))).toBe(0);
    expect(await ledger.expirePoints(t.ctx)).toBe(0);
    expect((await verifyLedger(t.ctx)).ok).toBe(true);
  });

  it('gives a void or a partial post back to the lots the hold took from', async () => {
    const { municipality, wallet, earn, spend } = await setUp(12);
    await earn(10);
    t.clock.advance(DAY);
    await earn(10);
    expect((await spend(15, { id: 'hold', flags: { pending: true } })).result).toBe('ok');
    expect(await ledger.listExpiringPoints(t.ctx, wallet.id)).toEqual([
      { expiresAt: '2027-12-03T00:00:00.000Z', points: 5 },
    ]);
    const post = await ledger.createTransfer(t.ctx, {
      id: 'post',
      municipalityId: municipality.id,
      code: 'spend',
      pendingId: 'hold',
      amount: 8,
      flags: { postPending: true },
    });
    expect(post.result).toBe('ok');
    // 7 points come back, last taken first: 5 to the second lot, 2 to the first.
    expect(await ledger.listExpiringPoints(t.ctx, wallet.id)).toEqual([
      { expiresAt: '2027-12-02T00:00:00.000Z', points: 2 },
      { expiresAt: '2027-12-03T00:00:00.000Z', points: 10 },
    ]);
    expect((await spend(12, { id: 'hold-2', flags: { pending: true } })).result).toBe('ok');
    const voided = await ledger.createTransfer(t.ctx, {
      id: 'void',
      municipalityId: municipality.id,
      code: 'spend',
      pendingId: 'hold-2',
      flags: { voidPending: true },
    });
    expect(voided.result).toBe('ok');
    expect(ledger.availablePoints(await ledger.getAccount(t.ctx, wallet.id))).toBe(12);
    expect((await verifyLedger(t.ctx)).ok).toBe(true);
  });

  it('never expires points where the policy says none', async () => {
    const { wallet, earn } = await setUp(null);
    await earn(7);
    t.clock.advance(3650 * DAY);
    expect(await ledger.expirePoints(t.ctx)).toBe(0);
    expect(await ledger.listExpiringPoints(t.ctx, wallet.id)).toEqual([]);
    expect(ledger.availablePoints(await ledger.getAccount(t.ctx, wallet.id))).toBe(7);
  });
});
