import {
  isDue,
  type LotState,
  lotExpiry,
  lotIdFor,
  type Reservation,
  spendingOrder,
} from './ledger.lots.js';
import {
  expireTransferId,
  GENESIS_HASH,
  hashTransfer,
  phaseOf,
  RESERVED_ID_PREFIX,
  sameTransfer,
  validateTransferInput,
} from './ledger.rules.js';
import {
  ACCOUNT_FLAG,
  type ResultCode,
  type Transfer,
  type TransferInput,
  type TransferPhase,
  type TransferResult,
} from './ledger.types.js';

/**
 * The ledger's decision-maker, pure and synchronous: given a snapshot of the rows a batch
 * touches, it decides each transfer's result code (docs/ledger.md), appends the new transfers to
 * their municipality's hash chain and moves the balances, all in memory. A store loads the
 * snapshot and writes the outcome in one transaction, so SQLite and PostgreSQL share every rule.
 */

export interface AccountState {
  id: string;
  municipalityId: string;
  flags: number;
  debitsPosted: number;
  creditsPosted: number;
  debitsPending: number;
  creditsPending: number;
}

export interface ChainHead {
  sequence: number;
  hash: string;
}

/** The stored rows a batch may read; the engine adds to it what the batch creates. */
export interface LedgerSnapshot {
  accounts: Map<string, AccountState>;
  /** Transfers by id: the batch's own ids, holds it posts or voids, transfers it reverses. */
  transfers: Map<string, Transfer>;
  /** The post, void or expire transfer of a hold, by the hold's id. */
  resolutions: Map<string, Transfer>;
  /** The reversal of a transfer, by the reversed transfer's id. */
  reversals: Map<string, Transfer>;
  heads: Map<string, ChainHead>;
  /** Lots of the wallets the batch touches (those with points left, and today's), by id. */
  lots: Map<string, LotState>;
  /** Which lots each wallet has. */
  walletLots: Map<string, string[]>;
  /** What each hold the batch resolves took from which lots. */
  reservations: Map<string, Reservation[]>;
  /** Each municipality's expiry policy (months, or null for never). */
  policies: Map<string, number | null>;
  /** Each municipality's `expired` account, which expired points go to. */
  expiredAccounts: Map<string, string>;
}

/** An empty snapshot for a store to fill. */
export function emptySnapshot(): LedgerSnapshot {
  return {
    accounts: new Map(),
    transfers: new Map(),
    resolutions: new Map(),
    reversals: new Map(),
    heads: new Map(),
    lots: new Map(),
    walletLots: new Map(),
    reservations: new Map(),
    policies: new Map(),
    expiredAccounts: new Map(),
  };
}

export interface BatchOutcome {
  results: TransferResult[];
  /** New transfers in the order they were appended (sequence order per municipality). */
  created: Transfer[];
  touchedAccounts: Set<string>;
  touchedHeads: Set<string>;
  /** Lots whose remaining points changed (or that are new). */
  touchedLots: Set<string>;
  /** Reservations of holds placed in this batch and still open. */
  newReservations: Map<string, Reservation[]>;
  /** Holds resolved in this batch: their stored reservations go. */
  releasedHolds: Set<string>;
}

/** The ids a batch needs loaded before the engine can decide it. */
export interface BatchNeeds {
  transferIds: string[];
  pendingIds: string[];
  reversedIds: string[];
  accountIds: string[];
  municipalityIds: string[];
}

/** Holds and lots the sweeper expires, with the municipalities whose chains they extend. */
export interface ExpirySweep {
  pendingIds: readonly string[];
  lotIds: readonly string[];
  municipalityIds: readonly string[];
}

export const NO_SWEEP: ExpirySweep = { pendingIds: [], lotIds: [], municipalityIds: [] };

/** First-round needs of a batch; accounts of loaded holds and reversal targets come second. */
export function needsOf(
  inputs: readonly TransferInput[],
  sweep: ExpirySweep = NO_SWEEP,
): BatchNeeds {
  const transferIds = new Set<string>();
  const pendingIds = new Set<string>(sweep.pendingIds);
  const reversedIds = new Set<string>();
  const accountIds = new Set<string>();
  const municipalityIds = new Set<string>(sweep.municipalityIds);
  for (const input of inputs) {
    if (typeof input.id === 'string') transferIds.add(input.id);
    if (typeof input.pendingId === 'string') pendingIds.add(input.pendingId);
    if (typeof input.reversesId === 'string') reversedIds.add(input.reversesId);
    if (typeof input.debitAccountId === 'string') accountIds.add(input.debitAccountId);
    if (typeof input.creditAccountId === 'string') accountIds.add(input.creditAccountId);
    if (typeof input.municipalityId === 'string') municipalityIds.add(input.municipalityId);
  }
  for (const id of pendingIds) transferIds.add(id);
  for (const id of reversedIds) transferIds.add(id);
  return {
    transferIds: [...transferIds],
    pendingIds: [...pendingIds],
    reversedIds: [...reversedIds],
    accountIds: [...accountIds],
    municipalityIds: [...municipalityIds],
  };
}

interface LotSavepoint {
  lots: Map<string, LotState>;
  walletLots: Map<string, string[]>;
  reservations: Map<string, Reservation[]>;
  touchedLots: Set<string>;
  newReservations: Map<string, Reservation[]>;
  releasedHolds: Set<string>;
}

class BatchRun {
  readonly results: TransferResult[] = [];
  readonly created: Transfer[] = [];
  readonly touchedAccounts = new Set<string>();
  touchedHeads = new Set<string>();
  touchedLots = new Set<string>();
  newReservations = new Map<string, Reservation[]>();
  releasedHolds = new Set<string>();
  private readonly createdAt: string;
  /** Today's lot expiry per municipality (the same for every earning in the batch). */
  private readonly lotExpiries = new Map<string, string | null>();
  /** While a linked chain is open: the state as it was before the chain, to roll back to. */
  private savepoint: {
    createdLength: number;
    accounts: Map<string, AccountState>;
    heads: Map<string, ChainHead | undefined>;
    touchedHeads: Set<string>;
    lots: LotSavepoint;
  } | null = null;
  /** Holds found expired inside a linked chain: their expiry stands even if the chain fails. */
  private expiredInChain: string[] = [];
  /** Wallets whose due lots expired inside a linked chain: likewise. */
  private lotsExpiredInChain: string[] = [];

  constructor(
    private readonly snapshot: LedgerSnapshot,
    private readonly now: Date,
  ) {
    this.createdAt = now.toISOString();
  }

  run(inputs: readonly TransferInput[], sweep: ExpirySweep): BatchOutcome {
    for (const pendingId of sweep.pendingIds) this.expireIfDue(pendingId);
    for (const lotId of sweep.lotIds) {
      const lot = this.snapshot.lots.get(lotId);
      if (lot && isDue(lot, this.createdAt)) this.expireLot(lot);
    }
    let chainStart = -1;
    let failedAt = -1;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      const linked = input.flags?.linked === true;
      if (chainStart < 0 && linked) {
        chainStart = i;
        failedAt = -1;
        this.beginChain();
      }
      if (chainStart >= 0 && failedAt >= 0) {
        this.results.push({ id: input.id, result: 'linked_event_failed' });
      } else {
        const result = this.apply(input);
        this.results.push(result);
        if (chainStart >= 0 && result.result !== 'ok' && result.result !== 'exists') failedAt = i;
      }
      if (chainStart >= 0 && !linked) {
        if (failedAt >= 0) this.failChain(chainStart, i, failedAt, 'linked_event_failed');
        else this.savepoint = null;
        chainStart = -1;
      }
    }
    if (chainStart >= 0)
      this.failChain(chainStart, inputs.length - 1, -1, 'linked_event_chain_open');
    return {
      results: this.results,
      created: this.created,
      touchedAccounts: this.touchedAccounts,
      touchedHeads: this.touchedHeads,
      touchedLots: this.touchedLots,
      newReservations: this.newReservations,
      releasedHolds: this.releasedHolds,
    };
  }

  private beginChain() {
    this.savepoint = {
      createdLength: this.created.length,
      accounts: new Map(),
      heads: new Map(),
      touchedHeads: new Set(this.touchedHeads),
      lots: this.saveLots(),
    };
    this.expiredInChain = [];
    this.lotsExpiredInChain = [];
  }

  /** Lots change rarely inside chains and a batch holds few: a whole copy is the simple undo. */
  private saveLots(): LotSavepoint {
    return {
      lots: new Map([...this.snapshot.lots].map(([id, lot]) => [id, { ...lot }])),
      walletLots: new Map([...this.snapshot.walletLots].map(([id, ids]) => [id, [...ids]])),
      reservations: new Map(this.snapshot.reservations),
      touchedLots: new Set(this.touchedLots),
      newReservations: new Map(this.newReservations),
      releasedHolds: new Set(this.releasedHolds),
    };
  }

  private restoreLots(saved: LotSavepoint) {
    this.snapshot.lots = saved.lots;
    this.snapshot.walletLots = saved.walletLots;
    this.snapshot.reservations = saved.reservations;
    this.touchedLots = saved.touchedLots;
    this.newReservations = saved.newReservations;
    this.releasedHolds = saved.releasedHolds;
  }

  /** Undoes the chain, gives its members their codes, then re-applies expiries it found. */
  private failChain(from: number, to: number, failedAt: number, code: ResultCode) {
    const savepoint = this.savepoint!;
    for (const transfer of this.created.splice(savepoint.createdLength)) {
      this.snapshot.transfers.delete(transfer.id);
      if (transfer.pendingId) this.snapshot.resolutions.delete(transfer.pendingId);
      if (transfer.reversesId) this.snapshot.reversals.delete(transfer.reversesId);
    }
    for (const [id, original] of savepoint.accounts) this.snapshot.accounts.set(id, original);
    for (const [municipalityId, head] of savepoint.heads) {
      if (head) this.snapshot.heads.set(municipalityId, head);
      else this.snapshot.heads.delete(municipalityId);
    }
    // A chain that was a municipality's first transfers leaves no head to write.
    this.touchedHeads = savepoint.touchedHeads;
    this.restoreLots(savepoint.lots);
    this.savepoint = null;
    for (let i = from; i <= to; i++) {
      const result = this.results[i]!;
      if (i !== failedAt) this.results[i] = { id: result.id, result: code };
    }
    for (const pendingId of this.expiredInChain) this.expireIfDue(pendingId);
    for (const accountId of this.lotsExpiredInChain) this.expireDueLots(accountId);
    this.expiredInChain = [];
    this.lotsExpiredInChain = [];
  }

  private account(id: string): AccountState | undefined {
    return this.snapshot.accounts.get(id);
  }

  /**
   * The account to change in place. Outside a chain the snapshot's own object is changed (the
   * snapshot belongs to this batch); inside one, the first change keeps the original to roll back to.
   */
  private mutableAccount(id: string): AccountState {
    const current = this.snapshot.accounts.get(id)!;
    this.touchedAccounts.add(id);
    if (!this.savepoint || this.savepoint.accounts.has(id)) return current;
    this.savepoint.accounts.set(id, current);
    const copy = { ...current };
    this.snapshot.accounts.set(id, copy);
    return copy;
  }

  private apply(input: TransferInput): TransferResult {
    const invalid = validateTransferInput(input);
    if (invalid) return refused(input, invalid);

    const existing = this.snapshot.transfers.get(input.id);
    if (existing) {
      const held = existing.pendingId
        ? this.snapshot.transfers.get(existing.pendingId)?.amount
        : undefined;
      return sameTransfer(existing, input, held)
        ? { id: input.id, result: 'exists', transfer: existing }
        : refused(input, 'exists_with_different_fields');
    }

    for (const accountId of [input.debitAccountId, input.creditAccountId]) {
      if (accountId === undefined) continue;
      const account = this.account(accountId);
      if (!account) return refused(input, 'account_not_found');
      if (account.municipalityId !== input.municipalityId)
        return refused(input, 'municipality_mismatch');
    }

    const phase = phaseOf(input);
    if (phase === 'post' || phase === 'void') return this.resolveHold(input, phase);
    if (input.reversesId !== undefined) return this.reverse(input, input.reversesId);

    return this.moveIfAllowed(input, {
      debitAccountId: input.debitAccountId!,
      creditAccountId: input.creditAccountId!,
      amount: input.amount!,
      phase,
      pendingId: null,
      timeoutSeconds: input.timeoutSeconds ?? null,
      expiresAt:
        input.timeoutSeconds !== undefined
          ? new Date(this.now.getTime() + input.timeoutSeconds * 1000).toISOString()
          : null,
      reversesId: null,
    });
  }

  private resolveHold(input: TransferInput, phase: 'post' | 'void'): TransferResult {
    const pendingId = input.pendingId!;
    const hold = this.snapshot.transfers.get(pendingId);
    if (!hold) return refused(input, 'pending_not_found');
    if (hold.municipalityId !== input.municipalityId)
      return refused(input, 'municipality_mismatch');
    if (hold.phase !== 'pending') return refused(input, 'pending_transfer_not_pending');
    const resolution = this.snapshot.resolutions.get(pendingId)?.phase;
    if (resolution === 'post') return refused(input, 'pending_already_posted');
    if (resolution === 'void') return refused(input, 'pending_already_voided');
    if (resolution === 'expire') return refused(input, 'pending_expired');
    if (this.isDue(hold)) {
      this.appendExpiry(hold);
      if (this.savepoint) this.expiredInChain.push(pendingId);
      return refused(input, 'pending_expired');
    }
    if (
      (input.debitAccountId !== undefined && input.debitAccountId !== hold.debitAccountId) ||
      (input.creditAccountId !== undefined && input.creditAccountId !== hold.creditAccountId)
    ) {
      return refused(input, 'pending_accounts_mismatch');
    }
    let amount = hold.amount;
    if (phase === 'post') {
      amount = input.amount ?? hold.amount;
      if (amount > hold.amount) return refused(input, 'amount_exceeds_pending');
    } else if (input.amount !== undefined && input.amount !== hold.amount) {
      return refused(input, 'pending_amount_mismatch');
    }
    return this.moveIfAllowed(input, {
      debitAccountId: hold.debitAccountId,
      creditAccountId: hold.creditAccountId,
      amount,
      phase,
      pendingId,
      timeoutSeconds: null,
      expiresAt: null,
      reversesId: null,
    });
  }

  private reverse(input: TransferInput, reversesId: string): TransferResult {
    const target = this.snapshot.transfers.get(reversesId);
    if (!target) return refused(input, 'reversal_target_not_found');
    if (target.municipalityId !== input.municipalityId)
      return refused(input, 'municipality_mismatch');
    if ((target.phase !== 'single' && target.phase !== 'post') || target.reversesId !== null) {
      return refused(input, 'reversal_target_not_posted');
    }
    if (this.snapshot.reversals.has(reversesId)) return refused(input, 'already_reversed');
    if (
      (input.debitAccountId !== undefined && input.debitAccountId !== target.creditAccountId) ||
      (input.creditAccountId !== undefined && input.creditAccountId !== target.debitAccountId) ||
      (input.amount !== undefined && input.amount !== target.amount)
    ) {
      return refused(input, 'reversal_mismatch');
    }
    return this.moveIfAllowed(input, {
      debitAccountId: target.creditAccountId,
      creditAccountId: target.debitAccountId,
      amount: target.amount,
      phase: 'single',
      pendingId: null,
      timeoutSeconds: null,
      expiresAt: null,
      reversesId,
    });
  }

  private isDue(hold: Transfer): boolean {
    return hold.expiresAt !== null && this.createdAt >= hold.expiresAt;
  }

  /** For the sweeper: writes the hold's expire transfer if it is due and still unresolved. */
  private expireIfDue(pendingId: string) {
    const hold = this.snapshot.transfers.get(pendingId);
    if (hold?.phase !== 'pending' || this.snapshot.resolutions.has(pendingId)) return;
    if (this.isDue(hold)) this.appendExpiry(hold);
  }

  private appendExpiry(hold: Transfer) {
    this.append({
      id: expireTransferId(hold.id),
      municipalityId: hold.municipalityId,
      debitAccountId: hold.debitAccountId,
      creditAccountId: hold.creditAccountId,
      amount: hold.amount,
      phase: 'expire',
      pendingId: hold.id,
      timeoutSeconds: null,
      expiresAt: null,
      code: 'hold_expired',
      reference: hold.reference,
      reversesId: null,
    });
  }

  /** Step 6: the balance limits, checked on the balances as they would be after the move. */
  private moveIfAllowed(
    input: TransferInput,
    move: {
      debitAccountId: string;
      creditAccountId: string;
      amount: number;
      phase: TransferPhase;
      pendingId: string | null;
      timeoutSeconds: number | null;
      expiresAt: string | null;
      reversesId: string | null;
    },
  ): TransferResult {
    // Points past their expiry are not spendable: expire them before looking at the balance.
    if (
      this.isWallet(move.debitAccountId) &&
      this.expireDueLots(move.debitAccountId) &&
      this.savepoint
    ) {
      this.lotsExpiredInChain.push(move.debitAccountId);
    }
    const debit = this.account(move.debitAccountId)!;
    const credit = this.account(move.creditAccountId)!;
    const [posted, pending] = balanceDeltas(
      move.phase,
      move.amount,
      this.heldAmount(move.pendingId),
    );
    if (
      debit.flags & ACCOUNT_FLAG.debitsMustNotExceedCredits &&
      debit.debitsPosted + posted + debit.debitsPending + pending > debit.creditsPosted
    ) {
      return refused(input, 'insufficient_funds');
    }
    if (
      credit.flags & ACCOUNT_FLAG.creditsMustNotExceedDebits &&
      credit.creditsPosted + posted + credit.creditsPending + pending > credit.debitsPosted
    ) {
      return refused(input, 'exceeds_debits');
    }
    const transfer = this.append({
      id: input.id,
      municipalityId: input.municipalityId,
      ...move,
      code: input.code,
      reference: input.reference ?? null,
    });
    return { id: input.id, result: 'ok', transfer };
  }

  private isWallet(accountId: string): boolean {
    return ((this.account(accountId)?.flags ?? 0) & ACCOUNT_FLAG.debitsMustNotExceedCredits) !== 0;
  }

  /** Keeps a wallet's lots in step with its spendable points (docs/ledger.md, expiry). */
  private moveLots(transfer: Transfer, held: number, fromLot: LotState | undefined) {
    const debitIsWallet = this.isWallet(transfer.debitAccountId);
    const creditIsWallet = this.isWallet(transfer.creditAccountId);
    switch (transfer.phase) {
      case 'single':
        if (debitIsWallet) {
          if (fromLot) this.takeFrom(fromLot, transfer.amount);
          else this.consume(transfer.debitAccountId, transfer.amount);
        }
        if (creditIsWallet)
          this.addToLot(transfer.creditAccountId, transfer.municipalityId, transfer.amount);
        break;
      case 'pending':
        if (debitIsWallet) {
          this.newReservations.set(
            transfer.id,
            this.consume(transfer.debitAccountId, transfer.amount),
          );
        }
        break;
      case 'post':
        if (debitIsWallet) this.release(transfer.pendingId!, held - transfer.amount);
        if (creditIsWallet)
          this.addToLot(transfer.creditAccountId, transfer.municipalityId, transfer.amount);
        break;
      case 'void':
      case 'expire':
        if (debitIsWallet) this.release(transfer.pendingId!, held);
        break;
    }
  }

  private lotsOf(accountId: string): LotState[] {
    return (this.snapshot.walletLots.get(accountId) ?? []).map((id) => this.snapshot.lots.get(id)!);
  }

  private takeFrom(lot: LotState, amount: number) {
    lot.remaining -= amount;
    this.touchedLots.add(lot.id);
  }

  /** Takes points from the wallet's lots, first to expire first; returns what came from where. */
  private consume(accountId: string, amount: number): Reservation[] {
    const taken: Reservation[] = [];
    let left = amount;
    for (const lot of this.lotsOf(accountId)
      .filter((l) => l.remaining > 0)
      .sort(spendingOrder)) {
      const take = Math.min(lot.remaining, left);
      this.takeFrom(lot, take);
      taken.push({ lotId: lot.id, amount: take });
      left -= take;
      if (left === 0) return taken;
    }
    // The balance check passed, so the lots must hold the points: anything else is corruption.
    throw new Error(`ledger: the lots of ${accountId} hold less than its balance`);
  }

  /** Gives `amount` of a hold's points back to the lots they came from, last taken first. */
  private release(holdId: string, amount: number) {
    const reservations =
      this.newReservations.get(holdId) ?? this.snapshot.reservations.get(holdId) ?? [];
    let left = amount;
    for (const reservation of [...reservations].reverse()) {
      if (left === 0) break;
      const give = Math.min(reservation.amount, left);
      const lot = this.snapshot.lots.get(reservation.lotId)!;
      lot.remaining += give;
      this.touchedLots.add(lot.id);
      left -= give;
    }
    this.newReservations.delete(holdId);
    this.releasedHolds.add(holdId);
  }

  private addToLot(accountId: string, municipalityId: string, amount: number) {
    let expiresAt = this.lotExpiries.get(municipalityId);
    if (expiresAt === undefined) {
      expiresAt = lotExpiry(this.now, this.snapshot.policies.get(municipalityId) ?? null);
      this.lotExpiries.set(municipalityId, expiresAt);
    }
    const id = lotIdFor(accountId, expiresAt);
    let lot = this.snapshot.lots.get(id);
    if (!lot) {
      lot = { id, municipalityId, accountId, expiresAt, remaining: 0 };
      this.snapshot.lots.set(id, lot);
      this.snapshot.walletLots.set(accountId, [
        ...(this.snapshot.walletLots.get(accountId) ?? []),
        id,
      ]);
    }
    lot.remaining += amount;
    this.touchedLots.add(id);
  }

  /** Expires every due lot of the wallet; true when any did. */
  private expireDueLots(accountId: string): boolean {
    const due = this.lotsOf(accountId).filter((lot) => isDue(lot, this.createdAt));
    for (const lot of due) this.expireLot(lot);
    return due.length > 0;
  }

  /** Moves what is left in a lot to the municipality's expired account (code `expire`). */
  private expireLot(lot: LotState) {
    const expiredAccountId = this.snapshot.expiredAccounts.get(lot.municipalityId);
    if (!expiredAccountId || !this.account(expiredAccountId)) return;
    const sequence = (this.snapshot.heads.get(lot.municipalityId)?.sequence ?? 0) + 1;
    this.append(
      {
        id: `${RESERVED_ID_PREFIX}expire-points:${lot.id}@${sequence}`,
        municipalityId: lot.municipalityId,
        debitAccountId: lot.accountId,
        creditAccountId: expiredAccountId,
        amount: lot.remaining,
        phase: 'single',
        pendingId: null,
        timeoutSeconds: null,
        expiresAt: null,
        code: 'expire',
        reference: lot.id,
        reversesId: null,
      },
      lot,
    );
  }

  private heldAmount(pendingId: string | null): number {
    return pendingId === null ? 0 : this.snapshot.transfers.get(pendingId)!.amount;
  }

  /**
   * Puts a transfer at the end of its municipality's chain and moves the balances. Completes
   * `fields` in place (callers pass a fresh object) to spare copying on the hot path.
   */
  private append(
    fields: Omit<Transfer, 'sequence' | 'createdAt' | 'prevHash' | 'hash'>,
    fromLot?: LotState,
  ): Transfer {
    const head = this.snapshot.heads.get(fields.municipalityId);
    if (this.savepoint && !this.savepoint.heads.has(fields.municipalityId)) {
      this.savepoint.heads.set(fields.municipalityId, head);
    }
    const transfer = fields as Transfer;
    transfer.sequence = (head?.sequence ?? 0) + 1;
    transfer.createdAt = this.createdAt;
    transfer.prevHash = head?.hash ?? GENESIS_HASH;
    transfer.hash = hashTransfer(transfer);
    this.snapshot.heads.set(fields.municipalityId, {
      sequence: transfer.sequence,
      hash: transfer.hash,
    });
    this.touchedHeads.add(fields.municipalityId);

    const held = this.heldAmount(transfer.pendingId);
    applyEffect(
      this.mutableAccount(transfer.debitAccountId),
      'debit',
      transfer.phase,
      transfer.amount,
      held,
    );
    applyEffect(
      this.mutableAccount(transfer.creditAccountId),
      'credit',
      transfer.phase,
      transfer.amount,
      held,
    );
    this.moveLots(transfer, held, fromLot);

    this.created.push(transfer);
    this.snapshot.transfers.set(transfer.id, transfer);
    if (transfer.pendingId) this.snapshot.resolutions.set(transfer.pendingId, transfer);
    if (transfer.reversesId) this.snapshot.reversals.set(transfer.reversesId, transfer);
    return transfer;
  }
}

function refused(input: TransferInput, result: ResultCode): TransferResult {
  return { id: input.id, result };
}

/** How a transfer moves the posted and the pending balance of each side it touches. */
function balanceDeltas(
  phase: TransferPhase,
  amount: number,
  held: number,
): [posted: number, pending: number] {
  switch (phase) {
    case 'single':
      return [amount, 0];
    case 'pending':
      return [0, amount];
    case 'post':
      return [amount, -held];
    case 'void':
    case 'expire':
      return [0, -held];
  }
}

/** The balance effect of one transfer on one side (docs/ledger.md "Balance effects"). */
function applyEffect(
  account: AccountState,
  side: 'debit' | 'credit',
  phase: TransferPhase,
  amount: number,
  held: number,
): AccountState {
  const [posted, pending] = balanceDeltas(phase, amount, held);
  if (side === 'debit') {
    account.debitsPosted += posted;
    account.debitsPending += pending;
  } else {
    account.creditsPosted += posted;
    account.creditsPending += pending;
  }
  return account;
}

/** Decides a batch against the snapshot (which it updates). See the module comment. */
export function applyBatch(
  snapshot: LedgerSnapshot,
  inputs: readonly TransferInput[],
  now: Date,
  sweep: ExpirySweep = NO_SWEEP,
): BatchOutcome {
  return new BatchRun(snapshot, now).run(inputs, sweep);
}
