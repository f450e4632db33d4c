import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addressUsable,
  CLIENT_REQUEST_ID_PATTERN,
  canTransition,
  chooseNonce,
  fillsNonceGap,
  needsApproval,
  PAYOUT_TRANSITIONS,
  payoutLimitViolations,
  payoutSettingsProblems,
  quoteTokenUnits,
  tokensText,
  transactionUrl,
  usableFromAfterProof,
} from './payouts.rules.js';
import type { PayoutSettingsInput } from './payouts.types.js';

const limits = { minPoints: 100, maxPoints: 5000, yearlyCapPoints: 10_000 };

describe('quoteTokenUnits', () => {
  it('is exact beyond 2^53 (18 decimals)', () => {
    expect(quoteTokenUnits(1, '10000000000000000')).toBe(10n ** 16n);
    expect(quoteTokenUnits(123_456_789, '1000000000000000001')).toBe(
      123_456_789n * 1_000_000_000_000_000_001n,
    );
    expect(tokensText(quoteTokenUnits(150, '10000000000000000'), 18)).toBe('1.5');
  });

  it('refuses rates that are not positive decimal integers and non-positive points', () => {
    for (const rate of ['0', '-1', '1.5', '1e18', '', ' 1', '01', '0x10']) {
      expect(() => quoteTokenUnits(1, rate)).toThrow(RangeError);
    }
    expect(() => quoteTokenUnits(0, '1')).toThrow(RangeError);
    expect(() => quoteTokenUnits(1.5, '1')).toThrow(RangeError);
  });

  it('property: units / rate gives back the points, with no rounding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        (points, rate) => {
          const units = quoteTokenUnits(points, rate.toString());
          expect(units % rate).toBe(0n);
          expect(units / rate).toBe(BigInt(points));
        },
      ),
    );
  });
});

describe('payoutLimitViolations', () => {
  it('lists each limit broken, with its code', () => {
    expect(
      payoutLimitViolations(50, limits, { usedThisYearPoints: 0, availablePoints: 10 }),
    ).toEqual([
      { code: 'payout_below_minimum', minPoints: 100 },
      { code: 'insufficient_points', needed: 50, available: 10 },
    ]);
    expect(
      payoutLimitViolations(6000, limits, { usedThisYearPoints: 9000, availablePoints: 99_999 }),
    ).toEqual([
      { code: 'payout_above_maximum', maxPoints: 5000 },
      { code: 'payout_yearly_cap_reached', capPoints: 10_000, usedPoints: 9000, leftPoints: 1000 },
    ]);
    expect(
      payoutLimitViolations(1000, limits, { usedThisYearPoints: 9000, availablePoints: 1000 }),
    ).toEqual([]);
  });

  it('property: any sequence of accepted requests never passes the cap, the maximum or the balance', () => {
    fc.assert(
      fc.property(
        fc.record({
          minPoints: fc.integer({ min: 1, max: 100 }),
          maxPoints: fc.integer({ min: 100, max: 2000 }),
          yearlyCapPoints: fc.integer({ min: 0, max: 5000 }),
        }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(fc.integer({ min: 1, max: 3000 }), { maxLength: 60 }),
        (rules, balance, requests) => {
          let used = 0;
          let available = balance;
          for (const points of requests) {
            const refused = payoutLimitViolations(points, rules, {
              usedThisYearPoints: used,
              availablePoints: available,
            });
            if (refused.length > 0) continue;
            expect(points).toBeGreaterThanOrEqual(rules.minPoints);
            expect(points).toBeLessThanOrEqual(rules.maxPoints);
            used += points;
            available -= points;
          }
          expect(used).toBeLessThanOrEqual(rules.yearlyCapPoints);
          expect(available).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe('approval, cooling-off and transitions', () => {
  it('waits for approval only above the threshold', () => {
    expect(needsApproval(1000, 1000)).toBe(false);
    expect(needsApproval(1001, 1000)).toBe(true);
    expect(needsApproval(1_000_000, null)).toBe(false);
  });

  it('makes a first address usable at once and a changed one after the cooling-off', () => {
    const now = new Date('2026-12-01T09:00:00Z');
    expect(usableFromAfterProof(false, now, 48).toISOString()).toBe(now.toISOString());
    const later = usableFromAfterProof(true, now, 48);
    expect(later.toISOString()).toBe('2026-12-03T09:00:00.000Z');
    expect(addressUsable(later.toISOString(), new Date(later.getTime() - 1))).toBe(false);
    expect(addressUsable(later.toISOString(), later)).toBe(true);
  });

  it('allows only the documented status changes; final statuses have none', () => {
    expect(canTransition('awaiting_approval', 'queued')).toBe(true);
    expect(canTransition('awaiting_approval', 'rejected')).toBe(true);
    expect(canTransition('queued', 'rejected')).toBe(false);
    expect(canTransition('parked', 'queued')).toBe(true);
    for (const final of ['confirmed', 'failed', 'rejected'] as const) {
      expect(PAYOUT_TRANSITIONS[final]).toEqual([]);
    }
  });

  it('links a transaction through the explorer template', () => {
    expect(transactionUrl('https://x.example/tx/{hash}', '0xab')).toBe('https://x.example/tx/0xab');
    expect(transactionUrl(null, '0xab')).toBeNull();
    expect(transactionUrl('https://x.example/tx/{hash}', null)).toBeNull();
  });

  it('takes client request ids of 8-64 safe characters', () => {
    expect(CLIENT_REQUEST_ID_PATTERN.test('req-0001')).toBe(true);
    expect(CLIENT_REQUEST_ID_PATTERN.test('short')).toBe(false);
    expect(CLIENT_REQUEST_ID_PATTERN.test('with space 123')).toBe(false);
  });
});

describe('payoutSettingsProblems', () => {
  const good: PayoutSettingsInput = {
    enabled: true,
    rpcUrl: 'https://rpc.example/v1',
    chainId: 31337,
    tokenAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    tokenDecimals: 18,
    tokenSymbol: 'CVP',
    treasuryKeySource: 'env:CIVIC_TREASURY_KEY',
    tokenUnitsPerPoint: '10000000000000000',
    minPoints: 100,
    maxPoints: 5000,
    yearlyCapPoints: 10_000,
    approvalThresholdPoints: 2000,
    confirmations: 2,
    coolingOffHours: 48,
    explorerTxUrl: 'https://explorer.example/tx/{hash}',
  };

  it('accepts good settings and checksums a lowercase token address', () => {
    expect(payoutSettingsProblems(good)).toEqual({
      errors: [],
      tokenAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    });
    const lower = payoutSettingsProblems({
      ...good,
      tokenAddress: good.tokenAddress!.toLowerCase(),
    });
    expect(lower.tokenAddress).toBe('0x5FbDB2315678afecb367f032d93F642f64180aa3');
  });

  it('lists every bad field at once', () => {
    const { errors } = payoutSettingsProblems({
      ...good,
      rpcUrl: 'ftp://rpc.example',
      chainId: 0,
      tokenAddress: '0x5FbDB2315678afecb367f032d93F642f64180AA3',
      treasuryKeySource: 'key:abc',
      tokenUnitsPerPoint: '1.5',
      minPoints: 0,
      maxPoints: -1,
      confirmations: 0,
      coolingOffHours: -1,
      explorerTxUrl: 'https://explorer.example/tx/',
    });
    expect(errors.map((e) => `${e.field} ${e.code}`)).toEqual([
      '/rpcUrl format',
      '/chainId minimum',
      '/tokenAddress address_checksum_invalid',
      '/treasuryKeySource format',
      '/tokenUnitsPerPoint format',
      '/minPoints minimum',
      '/maxPoints minimum',
      '/confirmations minimum',
      '/coolingOffHours minimum',
      '/explorerTxUrl hash_missing',
    ]);
  });
});

describe('chooseNonce', () => {
  const choice = (overrides: Partial<Parameters<typeof chooseNonce>[0]>) =>
    chooseNonce({ own: null, mined: 5, chainPending: 5, stored: 5, held: [], ...overrides });

  it('signs a retried payout with the unmined nonce it holds, else takes a fresh one', () => {
    expect(choice({ own: 6, stored: 8, held: [7] })).toBe(6);
    // Its nonce was mined meanwhile (by another transfer): a fresh one.
    expect(choice({ own: 3, stored: 6, chainPending: 6, mined: 6 })).toBe(6);
    expect(choice({})).toBe(5);
    expect(choice({ chainPending: 7, mined: 5, stored: 6 })).toBe(7);
  });

  it('fills the nonce a cancelled parked payout left rather than leaving a gap', () => {
    // Nonces 5 and 7 are held by live payouts; 6 belonged to a payout staff cancelled.
    expect(choice({ stored: 8, held: [5, 7] })).toBe(6);
    expect(choice({ stored: 8, held: [5, 6, 7] })).toBe(8);
    // Held nonces past a stale `stored` are skipped too (fast-check found this one).
    expect(choice({ mined: 48, chainPending: 49, stored: 49, held: [49] })).toBe(50);
  });

  it('says when a nonce fills a gap, so the sender checks the chain again first', () => {
    const gap = { own: null, mined: 5, chainPending: 5, stored: 8, held: [5, 7] };
    expect(fillsNonceGap(chooseNonce(gap), gap)).toBe(true);
    const next = { ...gap, held: [5, 6, 7] };
    expect(fillsNonceGap(chooseNonce(next), next)).toBe(false);
    const own = { ...gap, own: 6 };
    expect(fillsNonceGap(chooseNonce(own), own)).toBe(false);
  });

  it('never takes a held or mined nonce, and takes the lowest free one', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 50 }),
        fc.nat({ max: 5 }),
        fc.nat({ max: 10 }),
        fc.uniqueArray(fc.nat({ max: 80 })),
        fc.option(fc.nat({ max: 80 })),
        (mined, pendingAhead, storedAhead, heldAll, own) => {
          const chainPending = mined + pendingAhead;
          const stored = chainPending + storedAhead;
          const held = heldAll.filter((n) => n >= mined);
          const nonce = chooseNonce({ own, mined, chainPending, stored, held });
          if (own !== null && own >= mined) return nonce === own;
          if (nonce < chainPending || held.includes(nonce)) return false;
          // Never past the treasury's next nonce unless every nonce up to it is held.
          if (
            nonce > Math.max(stored, chainPending) &&
            !held.includes(Math.max(stored, chainPending))
          )
            return false;
          for (let lower = chainPending; lower < nonce; lower++) {
            if (!held.includes(lower)) return false;
          }
          return true;
        },
      ),
    );
  });
});
