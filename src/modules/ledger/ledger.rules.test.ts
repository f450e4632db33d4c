import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalTransfer, validateTransferInput } from './ledger.rules.js';
import type { TransferInput } from './ledger.types.js';

describe('canonicalTransfer', () => {
  it('is exactly JSON.stringify of the hashed fields in order, whatever they hold', () => {
    const text = fc.oneof(fc.string(), fc.stringMatching(/^[\w.:+-]{0,20}$/));
    const nullable = fc.option(text, { nil: null });
    fc.assert(
      fc.property(
        fc.record({
          municipalityId: text,
          sequence: fc.nat(),
          id: text,
          debitAccountId: text,
          creditAccountId: text,
          amount: fc.nat(),
          phase: fc.constantFrom('single', 'pending', 'post', 'void', 'expire' as const),
          pendingId: nullable,
          expiresAt: nullable,
          code: text,
          reference: nullable,
          reversesId: nullable,
          createdAt: text,
          prevHash: text,
        }),
        (t) => {
          const expected = JSON.stringify([
            t.municipalityId,
            t.sequence,
            t.id,
            t.debitAccountId,
            t.creditAccountId,
            t.amount,
            t.phase,
            t.pendingId,
            t.expiresAt,
            t.code,
            t.reference,
            t.reversesId,
            t.createdAt,
            t.prevHash,
          ]);
          expect(canonicalTransfer(t)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('validateTransferInput', () => {
  const valid: TransferInput = {
    id: 't-1',
    municipalityId: 'mun_1',
    debitAccountId: 'a',
    creditAccountId: 'b',
    amount: 5,
    code: 'earn',
  };

  it('accepts a plain transfer and names the first problem of a bad one', () => {
    expect(validateTransferInput(valid)).toBeNull();
    const cases: [Partial<TransferInput>, string][] = [
      [{ id: '' }, 'id_invalid'],
      [{ id: 'ledger:expire:x' }, 'id_invalid'],
      [{ id: 'x'.repeat(65) }, 'id_invalid'],
      [{ flags: { pending: true, voidPending: true } }, 'flags_are_mutually_exclusive'],
      [{ code: 'Earn' }, 'code_invalid'],
      [{ reference: 'r'.repeat(201) }, 'reference_invalid'],
      [{ amount: 0 }, 'amount_must_be_positive'],
      [{ amount: 1.5 }, 'amount_must_be_positive'],
      [{ amount: Number.MAX_SAFE_INTEGER + 1 }, 'amount_must_be_positive'],
      [{ timeoutSeconds: 10 }, 'timeout_reserved_for_pending_transfer'],
      [{ flags: { pending: true }, timeoutSeconds: 0 }, 'timeout_invalid'],
      [{ flags: { postPending: true } }, 'pending_id_required'],
      [{ pendingId: 'p' }, 'pending_id_must_be_empty'],
      [{ reversesId: 'r', flags: { pending: true } }, 'reversal_must_not_be_pending'],
      [{ debitAccountId: undefined }, 'accounts_required'],
      [{ creditAccountId: 'a' }, 'accounts_must_differ'],
    ];
    for (const [change, code] of cases) {
      expect(
        validateTransferInput({ ...valid, ...change } as TransferInput),
        JSON.stringify(change),
      ).toBe(code);
    }
  });

  it('lets a post, a void and a reversal leave out accounts and amount', () => {
    expect(
      validateTransferInput({
        id: 'p',
        municipalityId: 'm',
        code: 'spend',
        pendingId: 'h',
        flags: { postPending: true },
      }),
    ).toBeNull();
    expect(
      validateTransferInput({
        id: 'v',
        municipalityId: 'm',
        code: 'spend',
        pendingId: 'h',
        flags: { voidPending: true },
      }),
    ).toBeNull();
    expect(
      validateTransferInput({ id: 'r', municipalityId: 'm', code: 'reverse', reversesId: 't' }),
    ).toBeNull();
  });
});
