import fc from 'fast-check';

/**
 * fast-check generators of abstract ledger operations for the model-based property test. An
 * operation says what to try (an earn, a partial post, a linked chain that fails at member k, …)
 * and carries `pick` numbers; the test resolves them against the reference model's state at the
 * moment the operation runs (pick % number of candidates), so every sequence is meaningful and a
 * seed fully determines a run.
 */

export type Muni = 0 | 1;
export type Via = 'batch' | 'single';

export type SpecKind =
  | 'earn'
  | 'spend'
  | 'p2p'
  | 'expirePoints'
  | 'pendingSpend'
  | 'pendingEarn'
  | 'post'
  | 'void'
  | 'reverse';

/** One ordinary transfer to build from the current state. `mode` picks a variant (0-9). */
export interface Spec {
  kind: SpecKind;
  muni: Muni;
  a: number;
  b: number;
  amount: number;
  timeout: number | null;
  mode: number;
  reference: boolean;
}

export const DEFECTS = [
  'idEmpty',
  'idSpace',
  'idLong',
  'flagsPendingPost',
  'flagsPostVoid',
  'flagsAll',
  'codeUpper',
  'codeDigit',
  'codeLong',
  'codeEmpty',
  'referenceLong',
  'amountZero',
  'amountNegative',
  'amountFraction',
  'amountUnsafe',
  'amountMissing',
  'timeoutWithoutPending',
  'timeoutZero',
  'timeoutFraction',
  'postWithoutPendingId',
  'pendingIdOnSingle',
  'reversalPending',
  'creditMissing',
  'debitMissing',
  'sameAccounts',
] as const;
export type Defect = (typeof DEFECTS)[number];

export type BadResolveTarget =
  | 'unknown'
  | 'posted'
  | 'voided'
  | 'expired'
  | 'timedOut'
  | 'notPending';
export type ChainFailure =
  | 'none'
  | 'insufficient'
  | 'invalid'
  | 'unknownAccount'
  | 'alreadyPosted'
  | 'expiredHold'
  | 'alreadyReversed'
  | 'crossMuni'
  | 'exceedsPending';
export type ReverseVariant =
  | 'ok'
  | 'post'
  | 'again'
  | 'pending'
  | 'void'
  | 'reversal'
  | 'unknown'
  | 'amount'
  | 'accounts'
  | 'crossMuni';
export type ReplayChange =
  | 'none'
  | 'amount'
  | 'code'
  | 'reference'
  | 'credit'
  | 'debit'
  | 'municipality'
  | 'timeout'
  | 'pendingId'
  | 'flags'
  | 'omitAmount'
  | 'omitAccounts'
  | 'addAccounts'
  | 'reversesId';

export type BatchItem =
  | { k: 'spec'; spec: Spec }
  | { k: 'invalid'; spec: Spec; defects: Defect[] }
  | { k: 'replay'; pick: number; change: ReplayChange }
  | { k: 'dup'; of: number; change: ReplayChange }
  | {
      k: 'badResolve';
      muni: Muni;
      target: BadResolveTarget;
      action: 'post' | 'void';
      pick: number;
    };

export interface ConcurrentItem {
  kind: 'earn' | 'spend' | 'pendingSpend' | 'invalid';
  muni: Muni;
  pick: number;
  amount: number;
}

export type Op =
  | { t: 'transfer'; spec: Spec; via: Via }
  | {
      t: 'badResolve';
      muni: Muni;
      target: BadResolveTarget;
      action: 'post' | 'void';
      pick: number;
      via: Via;
    }
  | {
      t: 'advance';
      mode: 'ms' | 'seconds' | 'long' | 'toExpiry' | 'justBefore';
      amount: number;
      pick: number;
      sweep: boolean;
    }
  | { t: 'sweep'; limit: 'none' | 'large' | 'one' | 'two' }
  | {
      t: 'linked';
      muni: Muni;
      members: Spec[];
      failure: ChainFailure;
      position: number;
      pick: number;
    }
  | { t: 'openChain'; prefix: Spec | null; members: Spec[] }
  | { t: 'replay'; pick: number; change: ReplayChange; via: Via }
  | { t: 'retryFailed'; pick: number; spec: Spec; via: Via }
  | { t: 'reverse'; muni: Muni; variant: ReverseVariant; pick: number; via: Via }
  | {
      t: 'crossMuni';
      muni: Muni;
      variant: 'debit' | 'credit' | 'post' | 'void';
      pick: number;
      via: Via;
    }
  | {
      t: 'unknownAccount';
      muni: Muni;
      variant: 'debit' | 'credit' | 'both' | 'postDebit';
      pick: number;
      via: Via;
    }
  | { t: 'invalid'; spec: Spec; defects: Defect[]; via: Via }
  | { t: 'batch'; items: BatchItem[] }
  | { t: 'concurrent'; items: ConcurrentItem[] }
  | { t: 'openWallet'; muni: Muni; existing: boolean; pick: number };

const muni: fc.Arbitrary<Muni> = fc.constantFrom<Muni>(0, 1);
const pick = fc.nat({ max: 1_000_000 });
const via: fc.Arbitrary<Via> = fc.oneof(
  { arbitrary: fc.constant<Via>('batch'), weight: 3 },
  { arbitrary: fc.constant<Via>('single'), weight: 1 },
);
/** Small amounts, so that wallets run dry often. */
const amount = fc.integer({ min: 1, max: 50 });

const specKind = (kinds: readonly { kind: SpecKind; weight: number }[]) =>
  fc.oneof(...kinds.map(({ kind, weight }) => ({ arbitrary: fc.constant(kind), weight })));

const SPEC_KINDS: { kind: SpecKind; weight: number }[] = [
  { kind: 'earn', weight: 10 },
  { kind: 'spend', weight: 8 },
  { kind: 'p2p', weight: 3 },
  { kind: 'expirePoints', weight: 1 },
  { kind: 'pendingSpend', weight: 7 },
  { kind: 'pendingEarn', weight: 1 },
  { kind: 'post', weight: 6 },
  { kind: 'void', weight: 3 },
  { kind: 'reverse', weight: 2 },
];

export const specArb = (kinds = SPEC_KINDS): fc.Arbitrary<Spec> =>
  fc.record({
    kind: specKind(kinds),
    muni,
    a: pick,
    b: pick,
    amount,
    timeout: fc.option(fc.integer({ min: 1, max: 120 }), { nil: null, freq: 3 }),
    mode: fc.integer({ min: 0, max: 9 }),
    reference: fc.boolean(),
  });

const validInputSpec = specArb([
  { kind: 'earn', weight: 2 },
  { kind: 'spend', weight: 2 },
  { kind: 'pendingSpend', weight: 1 },
]);

const defects = fc.array(fc.constantFrom(...DEFECTS), { minLength: 1, maxLength: 3 });

const replayChange: fc.Arbitrary<ReplayChange> = fc.oneof(
  { arbitrary: fc.constant<ReplayChange>('none'), weight: 12 },
  {
    arbitrary: fc.constantFrom<ReplayChange>(
      'amount',
      'code',
      'reference',
      'credit',
      'debit',
      'municipality',
      'timeout',
      'pendingId',
      'flags',
      'reversesId',
    ),
    weight: 10,
  },
  {
    arbitrary: fc.constantFrom<ReplayChange>('omitAmount', 'omitAccounts', 'addAccounts'),
    weight: 6,
  },
);

const badResolveTarget = fc.constantFrom<BadResolveTarget>(
  'unknown',
  'posted',
  'voided',
  'expired',
  'timedOut',
  'timedOut',
  'notPending',
);
const action = fc.constantFrom<'post' | 'void'>('post', 'void');

const chainFailure: fc.Arbitrary<ChainFailure> = fc.oneof(
  { arbitrary: fc.constant<ChainFailure>('none'), weight: 4 },
  {
    arbitrary: fc.constantFrom<ChainFailure>(
      'insufficient',
      'invalid',
      'unknownAccount',
      'alreadyPosted',
      'expiredHold',
      'expiredHold',
      'alreadyReversed',
      'crossMuni',
      'exceedsPending',
    ),
    weight: 8,
  },
);

const chainMember = specArb([
  { kind: 'earn', weight: 4 },
  { kind: 'spend', weight: 4 },
  { kind: 'p2p', weight: 2 },
  { kind: 'pendingSpend', weight: 3 },
  { kind: 'post', weight: 2 },
  { kind: 'void', weight: 1 },
  { kind: 'reverse', weight: 1 },
]);

const batchItem: fc.Arbitrary<BatchItem> = fc.oneof(
  { arbitrary: specArb().map((spec) => ({ k: 'spec' as const, spec })), weight: 10 },
  {
    arbitrary: fc.record({ k: fc.constant('invalid' as const), spec: validInputSpec, defects }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ k: fc.constant('replay' as const), pick, change: replayChange }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      k: fc.constant('dup' as const),
      of: pick,
      change: fc.constantFrom<ReplayChange>('none', 'none', 'amount', 'code'),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      k: fc.constant('badResolve' as const),
      muni,
      target: badResolveTarget,
      action,
      pick,
    }),
    weight: 1,
  },
);

const concurrentItem: fc.Arbitrary<ConcurrentItem> = fc.record({
  kind: fc.constantFrom<ConcurrentItem['kind']>('earn', 'earn', 'spend', 'pendingSpend', 'invalid'),
  muni,
  pick,
  amount,
});

/** One operation, weighted so that the interesting cases come often. */
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({ t: fc.constant('transfer' as const), spec: specArb(), via }),
    weight: 30,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('badResolve' as const),
      muni,
      target: badResolveTarget,
      action,
      pick,
      via,
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('advance' as const),
      mode: fc.constantFrom(
        'ms',
        'seconds',
        'seconds',
        'long',
        'toExpiry',
        'toExpiry',
        'justBefore',
      ),
      amount: fc.nat({ max: 1_000_000 }),
      pick,
      sweep: fc.boolean(),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('sweep' as const),
      limit: fc.constantFrom('none', 'large', 'one', 'two'),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('linked' as const),
      muni,
      members: fc.array(chainMember, { minLength: 2, maxLength: 4 }),
      failure: chainFailure,
      position: pick,
      pick,
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('openChain' as const),
      prefix: fc.option(specArb(), { nil: null }),
      members: fc.array(chainMember, { minLength: 1, maxLength: 3 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ t: fc.constant('replay' as const), pick, change: replayChange, via }),
    weight: 6,
  },
  {
    arbitrary: fc.record({ t: fc.constant('retryFailed' as const), pick, spec: specArb(), via }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('reverse' as const),
      muni,
      variant: fc.constantFrom<ReverseVariant>(
        'ok',
        'ok',
        'ok',
        'post',
        'again',
        'pending',
        'void',
        'reversal',
        'unknown',
        'amount',
        'accounts',
        'crossMuni',
      ),
      pick,
      via,
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('crossMuni' as const),
      muni,
      variant: fc.constantFrom('debit', 'credit', 'post', 'void'),
      pick,
      via,
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('unknownAccount' as const),
      muni,
      variant: fc.constantFrom('debit', 'credit', 'both', 'postDebit'),
      pick,
      via,
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('invalid' as const),
      spec: validInputSpec,
      defects,
      via,
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('batch' as const),
      items: fc.array(batchItem, { minLength: 2, maxLength: 6 }),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('concurrent' as const),
      items: fc.array(concurrentItem, { minLength: 2, maxLength: 5 }),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('openWallet' as const),
      muni,
      existing: fc.boolean(),
      pick,
    }),
    weight: 1,
  },
);

/** The operation sequence of one run: `steps` operations, fixed by `seed`. */
export function operations(seed: number, steps: number): Op[] {
  const [ops] = fc.sample(fc.array(opArb, { minLength: steps, maxLength: steps }), {
    seed,
    numRuns: 1,
  });
  return ops!;
}
