import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import * as ledger from '../../src/modules/ledger/ledger.service.js';
import type {
  Account,
  AccountKind,
  Transfer,
  TransferInput,
  TransferResult,
} from '../../src/modules/ledger/ledger.types.js';
import { ACCOUNT_FLAG } from '../../src/modules/ledger/ledger.types.js';
import { verifyLedger } from '../../src/modules/ledger/ledger.verify.js';
import type { FixedClock } from '../../src/shared/clock.js';
import type { ServiceContext } from '../../src/shared/context.js';
import { describeEachBackend } from '../support/backends.js';
import { createMunicipality } from '../support/factories.js';
import { useServiceContext } from '../support/storage-context.js';
import {
  type BadResolveTarget,
  type ConcurrentItem,
  type Defect,
  type Muni,
  type Op,
  operations,
  type ReplayChange,
  type Spec,
  type Via,
} from './model-arbitraries.js';
import {
  type ModelAccount,
  type ModelResult,
  type ModelTransfer,
  ReferenceLedger,
} from './reference-model.js';

/**
 * Model-based property test of the points ledger (docs/ledger.md): long random sequences of
 * operations run against the real service on SQLite and PostgreSQL and against the in-memory
 * reference model, compared after every step (result codes, returned transfers, every balance,
 * each municipality summing to zero, no wallet below zero), and at the end the hash chains, the
 * stored rows and the account history pages.
 *
 * Reproduce a failure with the seed and step count from its message:
 *   LEDGER_SEEDS=<seed> LEDGER_STEPS=<n> npx vitest run test/ledger/ledger.property.test.ts
 */

const STEPS = Number(process.env.LEDGER_STEPS ?? 2000);
const envSeeds = process.env.LEDGER_SEEDS?.split(',').map(Number);
const SEEDS = {
  sqlite: envSeeds ?? [20261201, 4242, 777001],
  postgres: envSeeds ?? [918273, 31337],
} as const;

const INITIAL_WALLETS = 4;

interface MuniWorld {
  id: string;
  issuance: string;
  expired: string;
  partner: string;
  wallets: string[];
  nextOwner: number;
}

type Handle = { ctx: ServiceContext; clock: FixedClock };

const clean = <T extends object>(value: T): T => {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
};

const pickFrom = <T>(list: readonly T[], n: number): T | undefined =>
  list.length === 0 ? undefined : list[n % list.length];

const show = (value: unknown): string => JSON.stringify(value, null, 0);

class Mismatch extends Error {}

/** One run: the service and the model side by side. */
class Scenario {
  readonly model = new ReferenceLedger();
  readonly munis: MuniWorld[] = [];
  /** Original inputs of stored transfers that were not part of a linked chain (replayable). */
  private readonly inputs = new Map<string, TransferInput>();
  private readonly replayable: string[] = [];
  /** Ids (valid ones) whose transfer failed; the ledger keeps nothing of them. */
  private readonly failed: string[] = [];
  private readonly labels = new Map<string, string>();
  private readonly recent: string[] = [];
  private idCounter = 0;
  step = -1;
  currentOp: Op | null = null;

  constructor(
    private readonly h: Handle,
    readonly seed: number,
    readonly steps: number,
    readonly backend: string,
  ) {}

  get ctx() {
    return this.h.ctx;
  }

  now(): number {
    return this.h.clock.now().getTime();
  }

  private newId(): string {
    this.idCounter += 1;
    return `t${this.seed}.${this.idCounter}`;
  }

  // ---- setup --------------------------------------------------------------------------------

  async setup(): Promise<void> {
    for (let m = 0; m < 2; m += 1) {
      const municipality = await createMunicipality(this.ctx);
      const open = (kind: AccountKind, ownerId: string | null, label: string) =>
        this.openAccount(municipality.id, kind, ownerId, `m${m}.${label}`);
      const world: MuniWorld = {
        id: municipality.id,
        issuance: (await open('issuance', null, 'issuance')).id,
        expired: (await open('expired', null, 'expired')).id,
        partner: (await open('partner', 'par_1', 'partner')).id,
        wallets: [],
        nextOwner: INITIAL_WALLETS + 1,
      };
      for (let w = 1; w <= INITIAL_WALLETS; w += 1) {
        world.wallets.push((await open('wallet', `res_${w}`, `wallet.res_${w}`)).id);
      }
      this.munis.push(world);
    }
    await this.checkBalances();
  }

  private async openAccount(
    municipalityId: string,
    kind: AccountKind,
    ownerId: string | null,
    label: string,
  ): Promise<Account> {
    const actual = await ledger.openAccount(
      this.ctx,
      ownerId === null ? { municipalityId, kind } : { municipalityId, kind, ownerId },
    );
    const expected = this.model.openAccount({ municipalityId, kind, ownerId }, actual.id);
    this.assertAccount(actual, expected, `openAccount ${label}`);
    if (!this.labels.has(actual.id)) this.labels.set(actual.id, label);
    return actual;
  }

  // ---- the run ------------------------------------------------------------------------------

  async run(ops: Op[]): Promise<void> {
    await this.setup();
    for (const [index, op] of ops.entries()) {
      this.step = index;
      this.currentOp = op;
      await this.apply(op);
      await this.checkBalances();
    }
    this.step = ops.length;
    this.currentOp = null;
    await this.finalChecks();
  }

  private async apply(op: Op): Promise<void> {
    switch (op.t) {
      case 'transfer':
        return this.send([this.build(op.spec, this.model, this.now())], op.via);
      case 'badResolve':
        return this.send([this.badResolve(op.muni, op.target, op.action, op.pick)], op.via);
      case 'advance':
        return this.advance(op);
      case 'sweep':
        return this.sweep(op.limit);
      case 'linked':
        return this.linked(op);
      case 'openChain':
        return this.openChain(op.prefix, op.members);
      case 'replay':
        return this.send([this.replay(op.pick, op.change)], op.via);
      case 'retryFailed': {
        const free = this.failed.filter((id) => !this.model.transfer(id));
        const input = this.build(op.spec, this.model, this.now());
        const id = pickFrom(free, op.pick);
        return this.send([id ? { ...input, id } : input], op.via);
      }
      case 'reverse':
        return this.send([this.reverse(op.muni, op.variant, op.pick)], op.via);
      case 'crossMuni':
        return this.send([this.crossMuni(op.muni, op.variant, op.pick)], op.via);
      case 'unknownAccount':
        return this.send([this.unknownAccount(op.muni, op.variant, op.pick)], op.via);
      case 'invalid':
        return this.send(
          [applyDefects(this.build(op.spec, this.model, this.now()), op.defects, this)],
          op.via,
        );
      case 'batch':
        return this.batch(op.items);
      case 'concurrent':
        return this.concurrent(op.items);
      case 'openWallet':
        return this.openWallet(op.muni, op.existing, op.pick);
    }
  }

  // ---- building inputs ----------------------------------------------------------------------

  wallet(muni: Muni, n: number): string {
    return pickFrom(this.munis[muni]!.wallets, n)!;
  }

  otherMuni(muni: Muni): Muni {
    return muni === 0 ? 1 : 0;
  }

  private liveHolds(m: ReferenceLedger, muni: Muni, now: number): ModelTransfer[] {
    const id = this.munis[muni]!.id;
    return m.openHolds().filter((h) => h.municipalityId === id && !m.isTimedOut(h, now));
  }

  private reversible(m: ReferenceLedger, muni: Muni): ModelTransfer[] {
    const id = this.munis[muni]!.id;
    return m
      .clientTransfers()
      .filter(
        (t) =>
          t.municipalityId === id &&
          (t.phase === 'single' || t.phase === 'post') &&
          t.reversesId === null &&
          m.reversalOf(t.id!) === undefined,
      );
  }

  private reference(spec: Spec): string | null | undefined {
    if (spec.reference) return `claim:clm_${this.idCounter}`;
    return spec.b % 3 === 0 ? null : undefined;
  }

  /** An ordinary transfer for the spec, on the state of `m` (the model or a scratch copy). */
  build(spec: Spec, m: ReferenceLedger, now: number): TransferInput {
    const w = this.munis[spec.muni]!;
    const id = this.newId();
    const reference = this.reference(spec);
    const base = { id, municipalityId: w.id, reference };
    const wallet = this.wallet(spec.muni, spec.a);
    const timeoutSeconds = spec.timeout ?? undefined;
    switch (spec.kind) {
      case 'earn':
        return clean({
          ...base,
          debitAccountId: w.issuance,
          creditAccountId: wallet,
          amount: spec.amount,
          code: 'earn',
        });
      case 'spend':
        return clean({
          ...base,
          debitAccountId: wallet,
          creditAccountId: w.partner,
          amount: spec.amount,
          code: 'spend',
        });
      case 'p2p': {
        const others = w.wallets.filter((x) => x !== wallet);
        return clean({
          ...base,
          debitAccountId: wallet,
          creditAccountId: pickFrom(others, spec.b) ?? w.partner,
          amount: spec.amount,
          code: 'gift',
        });
      }
      case 'expirePoints':
        return clean({
          ...base,
          debitAccountId: wallet,
          creditAccountId: w.expired,
          amount: spec.amount,
          code: 'expire_points',
        });
      case 'pendingSpend':
        return clean({
          ...base,
          debitAccountId: wallet,
          creditAccountId: w.partner,
          amount: spec.amount,
          flags: { pending: true },
          timeoutSeconds,
          code: 'voucher',
        });
      case 'pendingEarn':
        return clean({
          ...base,
          debitAccountId: w.issuance,
          creditAccountId: wallet,
          amount: spec.amount,
          flags: { pending: true },
          timeoutSeconds,
          code: 'earn_hold',
        });
      case 'post': {
        const hold = pickFrom(this.liveHolds(m, spec.muni, now), spec.a);
        if (!hold) return this.build({ ...spec, kind: 'earn' }, m, now);
        const input: TransferInput = clean({
          ...base,
          pendingId: hold.id!,
          flags: { postPending: true },
          code: 'redeem',
        });
        const P = hold.amount;
        if (spec.mode === 3) input.amount = P;
        else if (spec.mode >= 4 && spec.mode <= 6 && P > 1) input.amount = 1 + (spec.b % (P - 1));
        else if (spec.mode === 7) input.amount = P + 1 + (spec.b % 5);
        else if (spec.mode === 8) {
          input.debitAccountId = hold.debitAccountId;
          input.creditAccountId = hold.creditAccountId;
        } else if (spec.mode === 9) {
          input.debitAccountId = hold.creditAccountId;
          input.creditAccountId = hold.debitAccountId;
        }
        return input;
      }
      case 'void': {
        const hold = pickFrom(this.liveHolds(m, spec.muni, now), spec.a);
        if (!hold) return this.build({ ...spec, kind: 'earn' }, m, now);
        const input: TransferInput = clean({
          ...base,
          pendingId: hold.id!,
          flags: { voidPending: true },
          code: 'cancel',
        });
        if (spec.mode >= 5 && spec.mode <= 7) input.amount = hold.amount;
        else if (spec.mode === 8) input.amount = hold.amount + 1 + (spec.b % 3);
        else if (spec.mode === 9) {
          input.debitAccountId = hold.debitAccountId;
          input.creditAccountId = hold.creditAccountId;
        }
        return input;
      }
      case 'reverse': {
        const target = pickFrom(this.reversible(m, spec.muni), spec.a);
        if (!target) return this.build({ ...spec, kind: 'earn' }, m, now);
        return clean({
          ...base,
          debitAccountId: target.creditAccountId,
          creditAccountId: target.debitAccountId,
          amount: target.amount,
          reversesId: target.id!,
          code: 'reverse',
        });
      }
    }
  }

  private resolveInput(
    muni: Muni,
    action: 'post' | 'void',
    pendingId: string,
    extra: Partial<TransferInput> = {},
  ): TransferInput {
    return {
      id: this.newId(),
      municipalityId: this.munis[muni]!.id,
      pendingId,
      flags: action === 'post' ? { postPending: true } : { voidPending: true },
      code: action === 'post' ? 'redeem' : 'cancel',
      ...extra,
    };
  }

  private badResolve(
    muni: Muni,
    target: BadResolveTarget,
    action: 'post' | 'void',
    n: number,
  ): TransferInput {
    const id = this.munis[muni]!.id;
    const now = this.now();
    const mine = this.model.clientTransfers().filter((t) => t.municipalityId === id);
    const holdsIn = (state: string) =>
      mine.filter((t) => t.phase === 'pending' && this.model.holdState(t.id!) === state);
    let candidates: ModelTransfer[] = [];
    switch (target) {
      case 'posted':
        candidates = holdsIn('posted');
        break;
      case 'voided':
        candidates = holdsIn('voided');
        break;
      case 'expired':
        candidates = holdsIn('expired');
        break;
      case 'timedOut':
        candidates = holdsIn('pending').filter((t) => this.model.isTimedOut(t, now));
        break;
      case 'notPending':
        candidates = mine.filter((t) => t.phase !== 'pending');
        break;
      case 'unknown':
        break;
    }
    const chosen = pickFrom(candidates, n);
    const extra: Partial<TransferInput> =
      chosen && n % 4 === 0 && chosen.phase === 'pending' ? { amount: chosen.amount } : {};
    return this.resolveInput(muni, action, chosen?.id ?? `nope.${n}`, extra);
  }

  private replay(n: number, change: ReplayChange): TransferInput {
    // Leaving out or adding amount and accounts means most for posts and voids: mostly pick those.
    const resolutions = this.replayable.filter((x) => {
      const flags = this.inputs.get(x)!.flags;
      return Boolean(flags?.postPending || flags?.voidPending);
    });
    const aboutResolutions =
      (change === 'omitAmount' || change === 'omitAccounts' || change === 'addAccounts') &&
      n % 4 !== 0 &&
      resolutions.length > 0;
    const id = pickFrom(aboutResolutions ? resolutions : this.replayable, n);
    if (!id) {
      return this.build(
        { kind: 'earn', muni: 0, a: n, b: n, amount: 5, timeout: null, mode: 0, reference: false },
        this.model,
        this.now(),
      );
    }
    const original = this.inputs.get(id)!;
    const stored = this.model.transfer(id)!;
    this.note(
      `replay of ${show(original)}; stored amount ${stored.amount}` +
        (stored.pendingId ? `, hold amount ${this.model.transfer(stored.pendingId)?.amount}` : ''),
    );
    return this.changed(original, change, n);
  }

  /** The input again, with one field changed (or none). */
  private changed(original: TransferInput, given: ReplayChange, n: number): TransferInput {
    // Whether a reversal may leave out its amount or accounts is not clear in the contract (see
    // the note on reversals in reference-model.ts), so those replays are not tried.
    const change =
      original.reversesId !== undefined && (given === 'omitAmount' || given === 'omitAccounts')
        ? 'code'
        : given;
    const input: TransferInput = structuredClone(original);
    const stored = this.model.transfer(original.id);
    const muni: Muni = this.munis[0]!.id === original.municipalityId ? 0 : 1;
    const w = this.munis[muni]!;
    const resolving = Boolean(original.flags?.postPending || original.flags?.voidPending);
    const accounts = [w.issuance, w.partner, w.expired, ...w.wallets];
    const another = (not: (string | undefined)[]) =>
      pickFrom(
        accounts.filter((a) => !not.includes(a)),
        n,
      )!;
    switch (change) {
      case 'none':
        break;
      case 'amount':
        input.amount = (stored?.amount ?? original.amount ?? 1) + 1;
        break;
      case 'code':
        input.code = `${original.code}_x`;
        break;
      case 'reference':
        input.reference = `changed:${n}`;
        break;
      case 'credit':
        input.creditAccountId = another([stored?.creditAccountId, stored?.debitAccountId]);
        break;
      case 'debit':
        input.debitAccountId = another([stored?.creditAccountId, stored?.debitAccountId]);
        break;
      case 'municipality':
        input.municipalityId = this.munis[this.otherMuni(muni)]!.id;
        break;
      case 'timeout':
        input.timeoutSeconds = (original.timeoutSeconds ?? 0) + 7;
        break;
      case 'pendingId': {
        const holds = this.model
          .clientTransfers()
          .filter((t) => t.phase === 'pending' && t.id !== original.pendingId);
        input.pendingId = pickFrom(holds, n)?.id ?? `nope.${n}`;
        break;
      }
      case 'flags':
        if (original.flags?.pending) input.flags = {};
        else if (original.flags?.postPending) input.flags = { voidPending: true };
        else if (original.flags?.voidPending) input.flags = { postPending: true };
        else input.flags = { pending: true };
        break;
      case 'omitAmount':
        delete input.amount;
        break;
      case 'omitAccounts':
        delete input.debitAccountId;
        delete input.creditAccountId;
        break;
      case 'addAccounts':
        if (resolving && stored) {
          input.debitAccountId = stored.debitAccountId;
          input.creditAccountId = stored.creditAccountId;
        }
        break;
      case 'reversesId':
        if (original.reversesId !== undefined) delete input.reversesId;
        else {
          const target = pickFrom(
            this.model.clientTransfers().filter((t) => t.id !== original.id),
            n,
          );
          input.reversesId = target?.id ?? `nope.${n}`;
        }
        break;
    }
    return input;
  }

  private reverse(muni: Muni, variant: string, n: number): TransferInput {
    const w = this.munis[muni]!;
    const mine = this.model.clientTransfers().filter((t) => t.municipalityId === w.id);
    let candidates: ModelTransfer[];
    switch (variant) {
      case 'post':
        candidates = this.reversible(this.model, muni).filter((t) => t.phase === 'post');
        break;
      case 'again':
        candidates = mine.filter((t) => this.model.reversalOf(t.id!) !== undefined);
        break;
      case 'pending':
        candidates = mine.filter((t) => t.phase === 'pending');
        break;
      case 'void':
        candidates = mine.filter((t) => t.phase === 'void');
        break;
      case 'reversal':
        candidates = mine.filter((t) => t.reversesId !== null);
        break;
      case 'crossMuni':
        candidates = this.reversible(this.model, this.otherMuni(muni));
        break;
      case 'unknown':
        candidates = [];
        break;
      default:
        candidates = this.reversible(this.model, muni);
    }
    const target = pickFrom(candidates, n);
    const id = this.newId();
    if (!target || variant === 'crossMuni') {
      return {
        id,
        municipalityId: w.id,
        debitAccountId: this.wallet(muni, n),
        creditAccountId: w.issuance,
        amount: target?.amount ?? 1 + (n % 20),
        reversesId: target?.id ?? `nope.${n}`,
        code: 'reverse',
      };
    }
    const input: TransferInput = {
      id,
      municipalityId: w.id,
      debitAccountId: target.creditAccountId,
      creditAccountId: target.debitAccountId,
      amount: target.amount,
      reversesId: target.id!,
      code: 'reverse',
    };
    if (variant === 'amount') input.amount = target.amount + 1;
    if (variant === 'accounts') {
      input.debitAccountId = target.debitAccountId;
      input.creditAccountId = target.creditAccountId;
    }
    return input;
  }

  private crossMuni(muni: Muni, variant: string, n: number): TransferInput {
    const w = this.munis[muni]!;
    const other = this.otherMuni(muni);
    if (variant === 'post' || variant === 'void') {
      const hold = pickFrom(this.liveHolds(this.model, other, this.now()), n);
      if (hold) return this.resolveInput(muni, variant, hold.id!);
    }
    const base = { id: this.newId(), municipalityId: w.id, amount: 1 + (n % 30), code: 'earn' };
    return variant === 'credit'
      ? { ...base, debitAccountId: w.issuance, creditAccountId: this.wallet(other, n) }
      : { ...base, debitAccountId: this.wallet(other, n), creditAccountId: w.partner };
  }

  private unknownAccount(muni: Muni, variant: string, n: number): TransferInput {
    const w = this.munis[muni]!;
    const unknown = `acc_unknown${n}`;
    if (variant === 'postDebit') {
      const hold = pickFrom(this.liveHolds(this.model, muni, this.now()), n);
      return this.resolveInput(muni, 'post', hold?.id ?? `nope.${n}`, { debitAccountId: unknown });
    }
    return {
      id: this.newId(),
      municipalityId: w.id,
      debitAccountId: variant === 'credit' ? w.issuance : unknown,
      creditAccountId: variant === 'debit' ? this.wallet(muni, n) : `acc_unknown${n + 1}`,
      amount: 1 + (n % 30),
      code: 'earn',
    };
  }

  /** A member that succeeds on the scratch state, which it is applied to. */
  private goodMember(spec: Spec, scratch: ReferenceLedger, now: number): TransferInput {
    let input = this.build(spec, scratch, now);
    if (scratch.createTransfers([input], now)[0]!.result !== 'ok') {
      input = this.build({ ...spec, kind: 'earn' }, scratch, now);
      const result = scratch.createTransfers([input], now)[0]!.result;
      if (result !== 'ok') throw new Error(`an earn failed in the model: ${result}`);
    }
    return input;
  }

  /** A member that fails on the scratch state (not applied to it). */
  private failingMember(
    op: Extract<Op, { t: 'linked' }>,
    scratch: ReferenceLedger,
    now: number,
  ): TransferInput {
    const muni = op.muni;
    const w = this.munis[muni]!;
    const n = op.pick;
    const insufficient = (): TransferInput => {
      const wallet = this.wallet(muni, n);
      const a = scratch.account(wallet)!;
      const available = a.creditsPosted - a.debitsPosted - a.debitsPending;
      return {
        id: this.newId(),
        municipalityId: w.id,
        debitAccountId: wallet,
        creditAccountId: w.partner,
        amount: available + 1 + (n % 5),
        code: 'spend',
      };
    };
    const earn = (extra: Partial<TransferInput>): TransferInput => ({
      id: this.newId(),
      municipalityId: w.id,
      debitAccountId: w.issuance,
      creditAccountId: this.wallet(muni, n),
      amount: 1 + (n % 20),
      code: 'earn',
      ...extra,
    });
    const mine = scratch.clientTransfers().filter((t) => t.municipalityId === w.id);
    let input: TransferInput;
    switch (op.failure) {
      case 'invalid': {
        const variants: Partial<TransferInput>[] = [
          { amount: 0 },
          { code: 'Earn' },
          { creditAccountId: w.issuance },
          { timeoutSeconds: 10 },
          { amount: 2.5 },
        ];
        input = earn(variants[n % variants.length]!);
        break;
      }
      case 'unknownAccount':
        input = earn({ creditAccountId: `acc_unknown${n}` });
        break;
      case 'crossMuni':
        input = earn({ creditAccountId: this.wallet(this.otherMuni(muni), n) });
        break;
      case 'alreadyPosted': {
        const resolved = mine.filter(
          (t) =>
            t.phase === 'pending' && ['posted', 'voided'].includes(scratch.holdState(t.id!) ?? ''),
        );
        const hold = pickFrom(resolved, n);
        input = hold
          ? this.resolveInput(muni, n % 2 === 0 ? 'post' : 'void', hold.id!)
          : insufficient();
        break;
      }
      case 'expiredHold': {
        const hold = pickFrom(
          mine.filter(
            (t) =>
              t.phase === 'pending' &&
              scratch.holdState(t.id!) === 'pending' &&
              scratch.isTimedOut(t, now),
          ),
          n,
        );
        input = hold
          ? this.resolveInput(muni, n % 2 === 0 ? 'post' : 'void', hold.id!)
          : insufficient();
        break;
      }
      case 'alreadyReversed': {
        const target = pickFrom(
          mine.filter((t) => scratch.reversalOf(t.id!) !== undefined),
          n,
        );
        input = target
          ? {
              id: this.newId(),
              municipalityId: w.id,
              debitAccountId: target.creditAccountId,
              creditAccountId: target.debitAccountId,
              amount: target.amount,
              reversesId: target.id!,
              code: 'reverse',
            }
          : insufficient();
        break;
      }
      case 'exceedsPending': {
        const hold = pickFrom(this.liveHolds(scratch, muni, now), n);
        input = hold
          ? this.resolveInput(muni, 'post', hold.id!, { amount: hold.amount + 1 })
          : insufficient();
        break;
      }
      default:
        input = insufficient();
    }
    if (scratch.clone().createTransfers([input], now)[0]!.result === 'ok') {
      input = earn({ amount: 0 });
    }
    return input;
  }

  // ---- operations ---------------------------------------------------------------------------

  private async linked(op: Extract<Op, { t: 'linked' }>): Promise<void> {
    const now = this.now();
    const scratch = this.model.clone();
    const count = op.members.length;
    const failAt =
      op.failure === 'none' ? -1 : op.failure === 'expiredHold' ? 0 : op.position % count;
    const inputs: TransferInput[] = [];
    for (let k = 0; k < count; k += 1) {
      inputs.push(
        k === failAt
          ? this.failingMember(op, scratch, now)
          : this.goodMember({ ...op.members[k]!, muni: op.muni }, scratch, now),
      );
    }
    for (let k = 0; k < count - 1; k += 1) {
      inputs[k]!.flags = { ...inputs[k]!.flags, linked: true };
    }
    await this.batchCall(inputs);
  }

  private async openChain(prefix: Spec | null, members: Spec[]): Promise<void> {
    const now = this.now();
    const scratch = this.model.clone();
    const inputs: TransferInput[] = [];
    if (prefix) {
      const input = this.build(prefix, scratch, now);
      scratch.createTransfers([input], now);
      inputs.push(input);
    }
    for (const member of members) {
      const input = this.goodMember(member, scratch, now);
      input.flags = { ...input.flags, linked: true };
      inputs.push(input);
    }
    await this.batchCall(inputs);
  }

  private async batch(items: Extract<Op, { t: 'batch' }>['items']): Promise<void> {
    const now = this.now();
    const inputs: TransferInput[] = [];
    for (const item of items) {
      switch (item.k) {
        case 'spec':
          inputs.push(this.build(item.spec, this.model, now));
          break;
        case 'invalid':
          inputs.push(applyDefects(this.build(item.spec, this.model, now), item.defects, this));
          break;
        case 'replay':
          inputs.push(this.replay(item.pick, item.change));
          break;
        case 'badResolve':
          inputs.push(this.badResolve(item.muni, item.target, item.action, item.pick));
          break;
        case 'dup': {
          const source = pickFrom(inputs, item.of);
          if (!source) {
            inputs.push(this.replay(item.of, 'none'));
            break;
          }
          const copy = structuredClone(source);
          if (item.change === 'amount') copy.amount = (source.amount ?? 1) + 1;
          if (item.change === 'code') copy.code = `${source.code}_x`;
          inputs.push(copy);
          break;
        }
      }
    }
    await this.batchCall(inputs);
  }

  private async concurrent(items: ConcurrentItem[]): Promise<void> {
    const used = new Set<string>();
    const inputs: TransferInput[] = [];
    for (const item of items) {
      const w = this.munis[item.muni]!;
      const wallet = this.wallet(item.muni, item.pick);
      if (used.has(wallet)) continue;
      used.add(wallet);
      const base = { id: this.newId(), municipalityId: w.id, amount: item.amount };
      switch (item.kind) {
        case 'earn':
          inputs.push({
            ...base,
            debitAccountId: w.issuance,
            creditAccountId: wallet,
            code: 'earn',
          });
          break;
        case 'invalid':
          inputs.push({
            ...base,
            amount: 0,
            debitAccountId: w.issuance,
            creditAccountId: wallet,
            code: 'earn',
          });
          break;
        case 'spend':
          inputs.push({
            ...base,
            debitAccountId: wallet,
            creditAccountId: w.partner,
            code: 'spend',
          });
          break;
        case 'pendingSpend':
          inputs.push({
            ...base,
            debitAccountId: wallet,
            creditAccountId: w.partner,
            flags: { pending: true },
            timeoutSeconds: 30 + (item.pick % 60),
            code: 'voucher',
          });
          break;
      }
    }
    // Every input touches its own wallet and otherwise only flagless accounts, so the outcome
    // does not depend on the order the ledger commits them in.
    const now = this.now();
    const expected = inputs.map((input) => this.model.createTransfers([input], now)[0]!);
    let actual: TransferResult[];
    try {
      actual = await Promise.all(inputs.map((input) => ledger.createTransfer(this.ctx, input)));
    } catch (error) {
      this.fail('concurrent createTransfer threw', inputs, expected, errorText(error));
    }
    this.compareResults(inputs, expected, actual, false);
    // The sequences are theirs to choose among the ones the model would hand out.
    for (const muni of this.munis) {
      const want: number[] = [];
      const got: number[] = [];
      expected.forEach((e, i) => {
        if (e.result === 'ok' && e.transfer!.municipalityId === muni.id) {
          want.push(e.transfer!.sequence);
          got.push(actual[i]!.transfer!.sequence);
        }
      });
      if (show(want.sort((a, b) => a - b)) !== show([...got].sort((a, b) => a - b))) {
        this.fail('concurrent sequences', inputs, expected, actual);
      }
    }
    expected.forEach((e, i) => {
      if (e.result === 'ok') this.model.adoptSequence(e.id, actual[i]!.transfer!.sequence);
    });
    this.record(inputs, expected);
  }

  private async advance(op: Extract<Op, { t: 'advance' }>): Promise<void> {
    const now = this.now();
    const seconds = (min: number, spread: number) => (min + (op.amount % spread)) * 1000;
    const toHold = (offset: number) => {
      const targets = this.model
        .openHolds()
        .filter((h) => h.expiresAt !== null && h.expiresAt - offset > now);
      const hold = pickFrom(targets, op.pick);
      if (hold) this.h.clock.set(new Date(hold.expiresAt! - offset));
      else this.h.clock.advance(seconds(1, 30));
    };
    switch (op.mode) {
      case 'ms':
        this.h.clock.advance(1 + (op.amount % 5000));
        break;
      case 'seconds':
        this.h.clock.advance(seconds(1, 30));
        break;
      case 'long':
        this.h.clock.advance(seconds(30, 121));
        break;
      case 'toExpiry':
        toHold(0);
        break;
      case 'justBefore':
        toHold(1);
        break;
    }
    this.note(`clock → ${this.h.clock.now().toISOString()}`);
    if (op.sweep) await this.sweep(op.amount % 2 === 0 ? 'none' : 'large');
  }

  private async sweep(mode: 'none' | 'large' | 'one' | 'two'): Promise<void> {
    const due = () =>
      this.model.openHolds().filter((h) => this.model.isTimedOut(h, this.now())).length;
    const limit =
      mode === 'one' ? 1 : mode === 'two' ? 2 : mode === 'large' || due() > 50 ? 500 : undefined;
    await this.sweepOnce(limit);
    // Which holds a limited sweep picks is the ledger's choice; a second sweep takes the rest,
    // after which both sides agree again.
    if (limit !== undefined && due() > 0) await this.sweepOnce(500);
  }

  private async sweepOnce(limit: number | undefined): Promise<void> {
    const now = this.now();
    const expected = this.model.expirePendingTransfers(now, limit);
    let actual: number;
    try {
      actual = await ledger.expirePendingTransfers(this.ctx, limit === undefined ? {} : { limit });
    } catch (error) {
      this.fail(`expirePendingTransfers(${limit}) threw`, [], expected, errorText(error));
    }
    this.note(`expirePendingTransfers(limit ${limit}) → ${actual}`);
    if (actual !== expected) {
      this.fail(`expirePendingTransfers(limit ${limit}) count`, [], expected, actual);
    }
  }

  private async openWallet(muni: Muni, existing: boolean, n: number): Promise<void> {
    const w = this.munis[muni]!;
    if (existing) {
      const id = this.wallet(muni, n);
      const owner = this.model.account(id)!.ownerId!;
      const again = await this.openAccount(w.id, 'wallet', owner, this.labels.get(id)!);
      if (again.id !== id) this.fail('openAccount is not idempotent', [], id, again.id);
      const read = await ledger.getAccount(this.ctx, id);
      this.assertAccount(read, this.model.account(id)!, `getAccount ${this.labels.get(id)}`);
      return;
    }
    const owner = `res_${w.nextOwner}`;
    w.nextOwner += 1;
    const account = await this.openAccount(w.id, 'wallet', owner, `m${muni}.wallet.${owner}`);
    w.wallets.push(account.id);
    this.note(`opened wallet ${owner} in m${muni}`);
  }

  // ---- calling and comparing ----------------------------------------------------------------

  private async send(inputs: TransferInput[], via: Via): Promise<void> {
    if (via === 'single' && inputs.length === 1 && !inputs[0]!.flags?.linked) {
      const input = inputs[0]!;
      const now = this.now();
      const expected = this.model.createTransfers([input], now);
      let actual: TransferResult;
      try {
        actual = await ledger.createTransfer(this.ctx, input);
      } catch (error) {
        this.fail('createTransfer threw', inputs, expected, errorText(error));
      }
      this.compareResults(inputs, expected, [actual], true);
      this.record(inputs, expected);
      return;
    }
    await this.batchCall(inputs);
  }

  private async batchCall(inputs: TransferInput[]): Promise<void> {
    const now = this.now();
    const expected = this.model.createTransfers(inputs, now);
    let actual: TransferResult[];
    try {
      actual = await ledger.createTransfers(this.ctx, inputs);
    } catch (error) {
      this.fail('createTransfers threw', inputs, expected, errorText(error));
    }
    this.compareResults(inputs, expected, actual, true);
    this.record(inputs, expected);
  }

  /** How often each result code was expected (printed with LEDGER_STATS=1). */
  readonly stats = new Map<string, number>();

  private record(inputs: TransferInput[], expected: ModelResult[]): void {
    inputs.forEach((input, i) => {
      const result = expected[i]!.result;
      this.stats.set(result, (this.stats.get(result) ?? 0) + 1);
      this.note(`${input.id}: ${result}`);
      if (result === 'ok' && !input.flags?.linked && !this.inputs.has(input.id)) {
        this.inputs.set(input.id, input);
        this.replayable.push(input.id);
      } else if (
        result !== 'ok' &&
        result !== 'exists' &&
        result !== 'exists_with_different_fields' &&
        result !== 'id_invalid'
      ) {
        this.failed.push(input.id);
      }
    });
  }

  private compareResults(
    inputs: TransferInput[],
    expected: ModelResult[],
    actual: TransferResult[],
    checkSequence: boolean,
  ): void {
    const codes = (rs: { id: string; result: string }[]) => rs.map((r) => `${r.id}=${r.result}`);
    if (!Array.isArray(actual) || show(codes(expected)) !== show(codes(actual))) {
      this.fail(
        'result codes',
        inputs,
        codes(expected),
        Array.isArray(actual) ? codes(actual) : actual,
      );
    }
    expected.forEach((e, i) => {
      if (e.result !== 'ok' && e.result !== 'exists') return;
      const got = actual[i]!.transfer;
      const problem = got
        ? transferDifference(got, e.transfer!, checkSequence)
        : 'no transfer in the result';
      if (problem) {
        this.fail(`returned transfer of ${e.id} (${e.result}): ${problem}`, inputs, e, actual[i]);
      }
    });
  }

  async checkBalances(): Promise<void> {
    const rows = await this.ctx.db.selectFrom('ledger_accounts').selectAll().execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const problems: string[] = [];
    for (const expected of this.model.accounts()) {
      const row = byId.get(expected.id);
      const label = this.labels.get(expected.id) ?? expected.id;
      if (!row) {
        problems.push(`${label}: no row`);
        continue;
      }
      const got = {
        debitsPosted: Number(row.debits_posted),
        creditsPosted: Number(row.credits_posted),
        debitsPending: Number(row.debits_pending),
        creditsPending: Number(row.credits_pending),
      };
      const want = {
        debitsPosted: expected.debitsPosted,
        creditsPosted: expected.creditsPosted,
        debitsPending: expected.debitsPending,
        creditsPending: expected.creditsPending,
      };
      if (show(got) !== show(want)) problems.push(`${label}: want ${show(want)} got ${show(got)}`);
      const flags =
        (expected.flags.debitsMustNotExceedCredits ? ACCOUNT_FLAG.debitsMustNotExceedCredits : 0) |
        (expected.flags.creditsMustNotExceedDebits ? ACCOUNT_FLAG.creditsMustNotExceedDebits : 0);
      if (row.flags !== flags) problems.push(`${label}: flags want ${flags} got ${row.flags}`);
    }
    for (const row of rows) {
      if (this.model.account(row.id)) continue;
      const sum =
        Number(row.debits_posted) +
        Number(row.credits_posted) +
        Number(row.debits_pending) +
        Number(row.credits_pending);
      if (sum !== 0) problems.push(`account ${row.id} (${row.kind}) unknown to the model moved`);
    }
    for (const muni of this.munis) {
      const mine = rows.filter((r) => r.municipality_id === muni.id);
      const total = (
        key: 'debits_posted' | 'credits_posted' | 'debits_pending' | 'credits_pending',
      ) => mine.reduce((s, r) => s + Number(r[key]), 0);
      if (total('debits_posted') !== total('credits_posted')) {
        problems.push(
          `${muni.id}: posted debits ${total('debits_posted')} ≠ credits ${total('credits_posted')}`,
        );
      }
      if (total('debits_pending') !== total('credits_pending')) {
        problems.push(
          `${muni.id}: pending debits ${total('debits_pending')} ≠ credits ${total('credits_pending')}`,
        );
      }
      for (const r of mine.filter((x) => x.kind === 'wallet')) {
        if (Number(r.debits_posted) + Number(r.debits_pending) > Number(r.credits_posted)) {
          problems.push(`${this.labels.get(r.id) ?? r.id}: wallet below zero`);
        }
      }
    }
    if (problems.length > 0) this.fail('balances after the step', [], problems, null);
  }

  // ---- end of run ---------------------------------------------------------------------------

  private async finalChecks(): Promise<void> {
    const report = await verifyLedger(this.ctx, {});
    if (!report.ok) this.fail('verifyLedger is not ok', [], 'ok', report);
    for (const muni of this.munis) {
      const entry = report.municipalities.find((m) => m.municipalityId === muni.id);
      if (
        !entry ||
        entry.problems.length > 0 ||
        entry.transfers !== this.model.transferCount(muni.id)
      ) {
        this.fail(
          'verifyLedger entry',
          [],
          { municipalityId: muni.id, transfers: this.model.transferCount(muni.id), problems: [] },
          entry,
        );
      }
    }
    await this.checkRows();
    const wallets = this.munis.flatMap((m) => m.wallets);
    const busiest = [...wallets].sort(
      (a, b) => this.model.accountTransfers(b).length - this.model.accountTransfers(a).length,
    )[0]!;
    await this.checkHistory(busiest, 1 + (this.seed % 7));
    await this.checkHistory(this.wallet(1, this.seed), 200);
  }

  /** The stored rows against the model, and each chain's hashes recomputed independently. */
  private async checkRows(): Promise<void> {
    for (const muni of this.munis) {
      const rows = await this.ctx.db
        .selectFrom('ledger_transfers')
        .selectAll()
        .where('municipality_id', '=', muni.id)
        .orderBy('sequence')
        .execute();
      const problems: string[] = [];
      let prevHash = '0'.repeat(64);
      rows.forEach((row, i) => {
        if (Number(row.sequence) !== i + 1)
          problems.push(`row ${row.id}: sequence ${row.sequence} at ${i + 1}`);
        if (row.prev_hash !== prevHash) problems.push(`row ${row.id}: prevHash breaks the chain`);
        const hash = createHash('sha256')
          .update(
            JSON.stringify([
              row.municipality_id,
              Number(row.sequence),
              row.id,
              row.debit_account_id,
              row.credit_account_id,
              Number(row.amount),
              row.phase,
              row.pending_id,
              row.expires_at,
              row.code,
              row.reference,
              row.reverses_id,
              row.created_at,
              row.prev_hash,
            ]),
          )
          .digest('hex');
        if (row.hash !== hash) problems.push(`row ${row.id}: hash does not match its fields`);
        prevHash = row.hash;
      });
      const expected = this.model.log().filter((t) => t.municipalityId === muni.id);
      if (rows.length !== expected.length) {
        problems.push(`${rows.length} rows, the model has ${expected.length} transfers`);
      }
      for (const t of expected) {
        const matches = rows.filter((r) =>
          t.id === null ? r.phase === 'expire' && r.pending_id === t.pendingId : r.id === t.id,
        );
        if (matches.length !== 1) {
          problems.push(`${t.key}: ${matches.length} rows`);
          continue;
        }
        const row = matches[0]!;
        const asTransfer = {
          id: row.id,
          municipalityId: row.municipality_id,
          sequence: Number(row.sequence),
          debitAccountId: row.debit_account_id,
          creditAccountId: row.credit_account_id,
          amount: Number(row.amount),
          phase: row.phase,
          pendingId: row.pending_id,
          timeoutSeconds: row.timeout_seconds,
          expiresAt: row.expires_at,
          code: row.code,
          reference: row.reference,
          reversesId: row.reverses_id,
          createdAt: row.created_at,
          prevHash: row.prev_hash,
          hash: row.hash,
        } as Transfer;
        const problem = transferDifference(asTransfer, t, t.id !== null);
        if (problem) problems.push(`${t.key}: ${problem}`);
      }
      if (problems.length > 0) this.fail(`stored rows of ${muni.id}`, [], 'no problems', problems);
    }
  }

  /** Pages through an account's history and compares it with the model. */
  private async checkHistory(accountId: string, limit: number): Promise<void> {
    const keyOf = (t: Transfer) => (t.phase === 'expire' ? `expire:${t.pendingId}` : t.id);
    const items: Transfer[] = [];
    let before: string | undefined;
    for (let page = 0; page < 10_000; page += 1) {
      const result = await ledger.listAccountTransfers(
        this.ctx,
        accountId,
        before === undefined ? { limit } : { limit, before },
      );
      if (result.items.length > limit) this.fail('page longer than its limit', [], limit, result);
      items.push(...result.items);
      if (result.nextCursor === null) break;
      if (result.items.length === 0) this.fail('empty page with a cursor', [], null, result);
      before = result.nextCursor;
    }
    const expected = this.model.accountTransfers(accountId).map((t) => t.key);
    const got = items.map(keyOf);
    const label = `history of ${this.labels.get(accountId)} (limit ${limit})`;
    if (new Set(got).size !== got.length) this.fail(`${label}: repeats`, [], expected, got);
    if (show([...got].sort()) !== show([...expected].sort())) {
      this.fail(`${label}: not the same transfers`, [], expected, got);
    }
    for (let i = 1; i < items.length; i += 1) {
      if (items[i]!.sequence >= items[i - 1]!.sequence) {
        this.fail(`${label}: not newest first at ${i}`, [], 'descending sequence', got);
      }
    }
    const clientOrder = (keys: string[]) => keys.filter((k) => !k.startsWith('expire:'));
    if (show(clientOrder(got)) !== show(clientOrder(expected))) {
      this.fail(`${label}: order`, [], clientOrder(expected), clientOrder(got));
    }
  }

  // ---- reporting ----------------------------------------------------------------------------

  note(line: string): void {
    this.recent.push(`[${this.step}] ${line}`);
    if (this.recent.length > 25) this.recent.shift();
  }

  assertAccount(actual: Account, expected: ModelAccount, what: string): void {
    const shape = (a: Account | ModelAccount) => ({
      id: a.id,
      municipalityId: a.municipalityId,
      kind: a.kind,
      ownerId: a.ownerId,
      flags: a.flags,
      debitsPosted: a.debitsPosted,
      creditsPosted: a.creditsPosted,
      debitsPending: a.debitsPending,
      creditsPending: a.creditsPending,
    });
    if (show(shape(actual)) !== show(shape(expected))) {
      this.fail(what, [], shape(expected), shape(actual));
    }
  }

  fail(what: string, inputs: TransferInput[], expected: unknown, got: unknown): never {
    const position =
      this.step < 0
        ? 'during setup'
        : this.step >= this.steps
          ? 'in the end-of-run checks'
          : `at step ${this.step} (0-based; failing prefix length ${this.step + 1})`;
    throw new Mismatch(
      [
        `ledger differs from the reference model: ${what}`,
        `backend ${this.backend}, seed ${this.seed}, ${position}`,
        `reproduce: LEDGER_SEEDS=${this.seed} LEDGER_STEPS=${Math.min(this.step + 1, this.steps)} npx vitest run test/ledger/ledger.property.test.ts -t ${this.backend}`,
        `operation: ${show(this.currentOp)}`,
        `inputs: ${show(inputs)}`,
        `expected (model): ${show(expected)}`,
        `got (ledger): ${show(got)}`,
        `clock: ${this.h.clock.now().toISOString()}`,
        'recent:',
        ...this.recent,
      ].join('\n'),
    );
  }
}

const errorText = (error: unknown): string =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

/** What differs between a returned transfer and the model's, or null. */
function transferDifference(
  got: Transfer,
  want: ModelTransfer,
  checkSequence: boolean,
): string | null {
  const diffs: string[] = [];
  const eq = (field: string, a: unknown, b: unknown) => {
    if (a !== b) diffs.push(`${field}: want ${show(b)} got ${show(a)}`);
  };
  if (want.id !== null) eq('id', got.id, want.id);
  eq('municipalityId', got.municipalityId, want.municipalityId);
  eq('debitAccountId', got.debitAccountId, want.debitAccountId);
  eq('creditAccountId', got.creditAccountId, want.creditAccountId);
  eq('amount', got.amount, want.amount);
  eq('phase', got.phase, want.phase);
  eq('pendingId', got.pendingId, want.pendingId);
  eq('createdAt', Date.parse(got.createdAt), want.createdAt);
  if (want.phase === 'single' || want.phase === 'pending') {
    eq('timeoutSeconds', got.timeoutSeconds, want.timeoutSeconds);
    eq('expiresAt', got.expiresAt === null ? null : Date.parse(got.expiresAt), want.expiresAt);
  }
  if (want.phase !== 'expire') {
    eq('code', got.code, want.code);
    eq('reference', got.reference, want.reference);
    eq('reversesId', got.reversesId, want.reversesId);
  }
  if (checkSequence) eq('sequence', got.sequence, want.sequence);
  if (!/^[0-9a-f]{64}$/.test(got.hash ?? '')) diffs.push(`hash ${show(got.hash)}`);
  if (!/^[0-9a-f]{64}$/.test(got.prevHash ?? '')) diffs.push(`prevHash ${show(got.prevHash)}`);
  return diffs.length > 0 ? diffs.join('; ') : null;
}

/** Breaks a valid input in the listed ways (the model says which code comes first). */
function applyDefects(input: TransferInput, given: Defect[], s: Scenario): TransferInput {
  const out: TransferInput = structuredClone(input);
  // A reversal without amount or accounts is left out (the contract is unclear about it).
  const defects = given.includes('reversalPending')
    ? given.filter((d) => d !== 'amountMissing' && d !== 'creditMissing' && d !== 'debitMissing')
    : given;
  for (const defect of defects) {
    switch (defect) {
      case 'idEmpty':
        out.id = '';
        break;
      case 'idSpace':
        out.id = `bad id ${input.id}`;
        break;
      case 'idLong':
        out.id = 'x'.repeat(65);
        break;
      case 'flagsPendingPost':
        out.flags = { ...out.flags, pending: true, postPending: true };
        break;
      case 'flagsPostVoid':
        out.flags = { ...out.flags, postPending: true, voidPending: true };
        break;
      case 'flagsAll':
        out.flags = { ...out.flags, pending: true, postPending: true, voidPending: true };
        break;
      case 'codeUpper':
        out.code = 'Earn';
        break;
      case 'codeDigit':
        out.code = '1earn';
        break;
      case 'codeLong':
        out.code = 'e'.repeat(33);
        break;
      case 'codeEmpty':
        out.code = '';
        break;
      case 'referenceLong':
        out.reference = 'r'.repeat(201);
        break;
      case 'amountZero':
        out.amount = 0;
        break;
      case 'amountNegative':
        out.amount = -1;
        break;
      case 'amountFraction':
        out.amount = 1.5;
        break;
      case 'amountUnsafe':
        out.amount = 2 ** 53;
        break;
      case 'amountMissing':
        delete out.amount;
        break;
      case 'timeoutWithoutPending':
        out.flags = { ...out.flags, pending: false };
        out.timeoutSeconds = 10;
        break;
      case 'timeoutZero':
        out.flags = { ...out.flags, pending: true };
        out.timeoutSeconds = 0;
        break;
      case 'timeoutFraction':
        out.flags = { ...out.flags, pending: true };
        out.timeoutSeconds = 2.5;
        break;
      case 'postWithoutPendingId':
        out.flags = { postPending: true };
        delete out.pendingId;
        break;
      case 'pendingIdOnSingle':
        out.pendingId = `hold.${input.id}`;
        break;
      case 'reversalPending':
        out.flags = { ...out.flags, pending: true };
        out.reversesId = `target.${input.id}`;
        break;
      case 'creditMissing':
        delete out.creditAccountId;
        break;
      case 'debitMissing':
        delete out.debitAccountId;
        break;
      case 'sameAccounts':
        out.creditAccountId = out.debitAccountId ?? s.wallet(0, 0);
        out.debitAccountId = out.creditAccountId;
        break;
    }
  }
  return out;
}

// ---- the tests ----------------------------------------------------------------------------------

describeEachBackend('ledger against the reference model', (backend) => {
  const t = useServiceContext(backend);

  for (const seed of SEEDS[backend.name]) {
    it(`agrees over ${STEPS} random operations (seed ${seed})`, { timeout: 180_000 }, async () => {
      const scenario = new Scenario(t, seed, STEPS, backend.name);
      await scenario.run(operations(seed, STEPS));
      if (process.env.LEDGER_STATS) {
        console.log(seed, show([...scenario.stats].sort((a, b) => b[1] - a[1])));
      }
      expect(scenario.step).toBe(STEPS);
    });
  }
});

// ---- focused examples of the trickiest rules ----------------------------------------------------

describeEachBackend('ledger rules, by example', (backend) => {
  const t = useServiceContext(backend);

  /** One municipality with issuance, a partner and two wallets; the model follows every call. */
  async function world() {
    const model = new ReferenceLedger();
    const municipality = await createMunicipality(t.ctx);
    const open = async (kind: AccountKind, ownerId: string | null) => {
      const account = await ledger.openAccount(
        t.ctx,
        ownerId === null
          ? { municipalityId: municipality.id, kind }
          : { municipalityId: municipality.id, kind, ownerId },
      );
      model.openAccount({ municipalityId: municipality.id, kind, ownerId }, account.id);
      return account.id;
    };
    const w = {
      municipalityId: municipality.id,
      issuance: await open('issuance', null),
      partner: await open('partner', 'par_1'),
      alice: await open('wallet', 'res_1'),
      bob: await open('wallet', 'res_2'),
    };
    /** Runs a batch on the ledger and the model; returns the ledger's codes (the model must agree). */
    const run = async (inputs: TransferInput[]) => {
      const expected = model.createTransfers(inputs, t.clock.now().getTime());
      const actual = await ledger.createTransfers(t.ctx, inputs);
      return { codes: actual.map((r) => r.result), model: expected.map((r) => r.result), actual };
    };
    const balances = async (id: string) => {
      const a = await ledger.getAccount(t.ctx, id);
      return [a.debitsPosted, a.creditsPosted, a.debitsPending, a.creditsPending];
    };
    const earn = (id: string, to: string, amount: number): TransferInput => ({
      id,
      municipalityId: w.municipalityId,
      debitAccountId: w.issuance,
      creditAccountId: to,
      amount,
      code: 'earn',
    });
    const hold = (id: string, from: string, amount: number, timeoutSeconds?: number) =>
      clean({
        id,
        municipalityId: w.municipalityId,
        debitAccountId: from,
        creditAccountId: w.partner,
        amount,
        flags: { pending: true },
        timeoutSeconds,
        code: 'voucher',
      }) as TransferInput;
    const post = (id: string, pendingId: string, amount?: number) =>
      clean({
        id,
        municipalityId: w.municipalityId,
        pendingId,
        amount,
        flags: { postPending: true },
        code: 'redeem',
      }) as TransferInput;
    const voidIt = (id: string, pendingId: string, amount?: number) =>
      clean({
        id,
        municipalityId: w.municipalityId,
        pendingId,
        amount,
        flags: { voidPending: true },
        code: 'cancel',
      }) as TransferInput;
    return { ...w, model, run, balances, earn, hold, post, voidIt };
  }

  it('a partial post moves part of the hold and returns the rest', async () => {
    const w = await world();
    expect((await w.run([w.earn('e1', w.alice, 50), w.hold('h1', w.alice, 30)])).codes).toEqual([
      'ok',
      'ok',
    ]);
    expect(await w.balances(w.alice)).toEqual([0, 50, 30, 0]);
    const posted = await w.run([w.post('p1', 'h1', 10)]);
    expect(posted.codes).toEqual(['ok']);
    expect(posted.actual[0]!.transfer).toMatchObject({
      phase: 'post',
      amount: 10,
      pendingId: 'h1',
    });
    // 10 moved, the other 20 are usable again: 50 - 10 = 40.
    expect(await w.balances(w.alice)).toEqual([10, 50, 0, 0]);
    expect(await w.balances(w.partner)).toEqual([0, 10, 0, 0]);
    expect((await w.run([w.post('p2', 'h1'), w.voidIt('v1', 'h1')])).codes).toEqual([
      'pending_already_posted',
      'pending_already_posted',
    ]);
    expect(w.model.account(w.alice)).toMatchObject({ debitsPosted: 10, debitsPending: 0 });
  });

  it('a post at the timeout writes the expire transfer and fails; later ones say pending_expired', async () => {
    const w = await world();
    await w.run([
      w.earn('e1', w.alice, 50),
      w.hold('h1', w.alice, 20, 60),
      w.hold('h2', w.alice, 5, 60),
    ]);
    t.clock.advance(59_999);
    expect((await w.run([w.post('p2', 'h2')])).codes).toEqual(['ok']); // 1 ms before: still live
    t.clock.advance(1); // exactly createdAt + 60 s
    const first = await w.run([w.post('p1', 'h1', 5)]);
    expect(first.codes).toEqual(['pending_expired']);
    expect(first.model).toEqual(['pending_expired']);
    expect(await w.balances(w.alice)).toEqual([5, 50, 0, 0]);
    expect(await w.balances(w.partner)).toEqual([0, 5, 0, 0]);
    const history = await ledger.listAccountTransfers(t.ctx, w.alice, {});
    expect(history.items.map((x) => [x.phase, x.pendingId])).toEqual([
      ['expire', 'h1'],
      ['post', 'h2'],
      ['pending', null],
      ['pending', null],
      ['single', null],
    ]);
    expect(history.items[0]).toMatchObject({ amount: 20, debitAccountId: w.alice });
    const again = await w.run([w.post('p1b', 'h1'), w.voidIt('v1', 'h1')]);
    expect(again.codes).toEqual(['pending_expired', 'pending_expired']);
    expect(again.model).toEqual(['pending_expired', 'pending_expired']);
    expect(await ledger.expirePendingTransfers(t.ctx, {})).toBe(0);
    expect((await ledger.listAccountTransfers(t.ctx, w.alice, {})).items).toHaveLength(5);
  });

  it('a failing post in a linked chain undoes the chain but its expire transfer stays', async () => {
    const w = await world();
    await w.run([w.earn('e1', w.alice, 50), w.hold('h1', w.alice, 20, 10)]);
    t.clock.advance(10_000);
    const chain = await w.run([
      { ...w.post('p1', 'h1'), flags: { postPending: true, linked: true } },
      w.earn('e2', w.bob, 5),
    ]);
    expect(chain.codes).toEqual(['pending_expired', 'linked_event_failed']);
    expect(chain.model).toEqual(chain.codes);
    expect(await w.balances(w.alice)).toEqual([0, 50, 0, 0]);
    expect(await w.balances(w.bob)).toEqual([0, 0, 0, 0]);
  });

  it('a linked chain with a failing member applies nothing, and its ids stay free', async () => {
    const w = await world();
    await w.run([w.earn('e0', w.alice, 10)]);
    const linked = (input: TransferInput) => ({
      ...input,
      flags: { ...input.flags, linked: true },
    });
    const spend: TransferInput = {
      id: 's1',
      municipalityId: w.municipalityId,
      debitAccountId: w.alice,
      creditAccountId: w.partner,
      amount: 11,
      code: 'spend',
    };
    const result = await w.run([
      linked(w.earn('e1', w.bob, 5)),
      linked(spend),
      w.earn('e2', w.alice, 1),
    ]);
    expect(result.codes).toEqual([
      'linked_event_failed',
      'insufficient_funds',
      'linked_event_failed',
    ]);
    expect(result.model).toEqual(result.codes);
    expect(await w.balances(w.alice)).toEqual([0, 10, 0, 0]);
    expect(await w.balances(w.bob)).toEqual([0, 0, 0, 0]);
    expect((await w.run([w.earn('e1', w.bob, 5)])).codes).toEqual(['ok']);
    const open = await w.run([w.earn('e3', w.bob, 1), linked(w.earn('e4', w.bob, 1))]);
    expect(open.codes).toEqual(['ok', 'linked_event_chain_open']);
    expect(await w.balances(w.bob)).toEqual([0, 6, 0, 0]);
  });

  it('a failing linked chain as the very first batch of a municipality fails cleanly', async () => {
    // Another municipality already has transfers; this one has none yet.
    const elsewhere = await world();
    expect((await elsewhere.run([elsewhere.earn('o1', elsewhere.alice, 5)])).codes).toEqual(['ok']);
    const w = await world();
    const result = await w.run([
      { ...w.earn('e1', w.bob, 5), flags: { linked: true } },
      { ...w.earn('e2', w.alice, 0) },
    ]);
    expect(result.codes).toEqual(['linked_event_failed', 'amount_must_be_positive']);
    expect((await w.run([w.earn('e1', w.bob, 5)])).codes).toEqual(['ok']);
    expect((await verifyLedger(t.ctx, {})).ok).toBe(true);
  });

  it('tells exists from exists_with_different_fields', async () => {
    const w = await world();
    const e1 = { ...w.earn('e1', w.alice, 50), reference: 'claim:clm_1' };
    const first = await w.run([e1, w.hold('h1', w.alice, 10), w.hold('h2', w.alice, 10)]);
    t.clock.advance(5_000);
    const replay = await w.run([e1]);
    expect(replay.codes).toEqual(['exists']);
    expect(replay.actual[0]!.transfer).toEqual(first.actual[0]!.transfer);
    const changed = await w.run([
      { ...e1, amount: 49 },
      { ...e1, code: 'bonus' },
      { ...e1, reference: 'claim:clm_2' },
      { ...e1, creditAccountId: w.bob },
      { ...e1, creditAccountId: 'acc_nowhere' },
    ]);
    expect(changed.codes).toEqual(Array(5).fill('exists_with_different_fields'));
    expect(changed.model).toEqual(changed.codes);
    // Posts and voids: the amount may be left out when the post took all of it, the accounts always.
    await w.run([w.post('p1', 'h1'), w.post('p2', 'h2', 4)]);
    const posts = await w.run([
      w.post('p1', 'h1', 10),
      { ...w.post('p1', 'h1'), debitAccountId: w.alice, creditAccountId: w.partner },
      w.post('p2', 'h2', 4),
      w.post('p2', 'h2'),
      w.post('p2', 'h2', 5),
    ]);
    expect(posts.model).toEqual([
      'exists',
      'exists',
      'exists',
      'exists_with_different_fields',
      'exists_with_different_fields',
    ]);
    expect(posts.codes).toEqual(posts.model);
    expect(await w.balances(w.alice)).toEqual([14, 50, 0, 0]);
  });

  it('reports the first problem in the documented order', async () => {
    const w = await world();
    const other = await createMunicipality(t.ctx);
    const foreign = await ledger.openAccount(t.ctx, {
      municipalityId: other.id,
      kind: 'wallet',
      ownerId: 'res_1',
    });
    w.model.openAccount({ municipalityId: other.id, kind: 'wallet', ownerId: 'res_1' }, foreign.id);
    const base = w.earn('x1', w.alice, 5);
    const cases: [TransferInput, string][] = [
      [{ ...base, id: 'bad id', code: 'X', amount: 0 }, 'id_invalid'],
      [
        { ...base, flags: { pending: true, voidPending: true }, code: 'X' },
        'flags_are_mutually_exclusive',
      ],
      [{ ...base, code: 'X', reference: 'r'.repeat(201) }, 'code_invalid'],
      [{ ...base, reference: 'r'.repeat(201), amount: 1.5 }, 'reference_invalid'],
      [{ ...base, id: 'x2', amount: 0, timeoutSeconds: 5 }, 'amount_must_be_positive'],
      [
        { ...base, id: 'x3', timeoutSeconds: 5, pendingId: 'h' },
        'timeout_reserved_for_pending_transfer',
      ],
      [
        { ...base, id: 'x4', flags: { pending: true }, timeoutSeconds: 0, pendingId: 'h' },
        'timeout_invalid',
      ],
      [{ ...base, id: 'x5', flags: { postPending: true } }, 'pending_id_required'],
      [{ ...base, id: 'x6', pendingId: 'h', reversesId: 'r' }, 'pending_id_must_be_empty'],
      [
        {
          ...base,
          id: 'x7',
          flags: { pending: true },
          reversesId: 'r',
          creditAccountId: w.issuance,
        },
        'reversal_must_not_be_pending',
      ],
      [{ ...w.earn('x8', w.alice, 5), creditAccountId: w.issuance }, 'accounts_must_differ'],
      [{ ...w.earn('x9', foreign.id, 5), debitAccountId: 'acc_nowhere' }, 'account_not_found'],
      [w.earn('x10', foreign.id, 5), 'municipality_mismatch'],
    ];
    const result = await w.run(cases.map(([input]) => input));
    expect(result.model).toEqual(cases.map(([, code]) => code));
    expect(result.codes).toEqual(cases.map(([, code]) => code));
    expect(await w.balances(w.alice)).toEqual([0, 0, 0, 0]);
  });

  it('reverses a posted transfer once; a hold cannot be reversed', async () => {
    const w = await world();
    await w.run([w.earn('e1', w.alice, 30), w.hold('h1', w.alice, 5)]);
    const reversal = (id: string, target: string, amount: number): TransferInput => ({
      id,
      municipalityId: w.municipalityId,
      debitAccountId: w.alice,
      creditAccountId: w.issuance,
      amount,
      reversesId: target,
      code: 'reverse',
    });
    const result = await w.run([
      reversal('r0', 'e1', 29),
      reversal('r1', 'e1', 30), // 30 > 30 - 5 held
      {
        ...w.earn('r2', w.alice, 5),
        reversesId: 'h1',
        debitAccountId: w.partner,
        creditAccountId: w.alice,
      },
      w.voidIt('v1', 'h1'),
      reversal('r3', 'e1', 30),
      reversal('r4', 'e1', 30),
      { ...reversal('r5', 'r3', 30), debitAccountId: w.issuance, creditAccountId: w.alice },
    ]);
    const expected = [
      'reversal_mismatch',
      'insufficient_funds',
      'reversal_target_not_posted',
      'ok',
      'ok',
      'already_reversed',
      'reversal_target_not_posted',
    ];
    expect(result.model).toEqual(expected);
    expect(result.codes).toEqual(expected);
    expect(await w.balances(w.alice)).toEqual([30, 30, 0, 0]);
  });

  it('expirePendingTransfers expires each hold once, when its time has come', async () => {
    const w = await world();
    await w.run([
      w.earn('e1', w.alice, 50),
      w.hold('h1', w.alice, 5, 10),
      w.hold('h2', w.alice, 7, 100),
      w.hold('h3', w.alice, 1),
    ]);
    t.clock.advance(9_999);
    expect(await ledger.expirePendingTransfers(t.ctx, {})).toBe(0);
    t.clock.advance(1);
    expect(await ledger.expirePendingTransfers(t.ctx, {})).toBe(1);
    expect(await ledger.expirePendingTransfers(t.ctx, {})).toBe(0);
    expect(await w.balances(w.alice)).toEqual([0, 50, 8, 0]);
    t.clock.advance(3_600_000);
    expect(await ledger.expirePendingTransfers(t.ctx, { limit: 5 })).toBe(1);
    expect(await w.balances(w.alice)).toEqual([0, 50, 1, 0]);
    expect((await w.run([w.voidIt('v2', 'h2'), w.voidIt('v3', 'h3', 1)])).codes).toEqual([
      'pending_expired',
      'ok',
    ]);
  });
});
