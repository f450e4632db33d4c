import type {
  AccountKind,
  ResultCode,
  TransferInput,
  TransferPhase,
} from '../../src/modules/ledger/ledger.types.js';

/**
 * An in-memory reference model of the points ledger, written from docs/ledger.md alone (not from
 * the implementation), for the model-based property test. Simple and slow on purpose: every
 * transfer is evaluated stage by stage in the documented order, linked chains run on a copy of
 * the state that is kept or thrown away as a whole.
 *
 * Readings of the contract where it leaves room (see the test's report):
 * - Only stored (applied) transfers make an id "exist"; a failed transfer leaves no trace, so its
 *   id can be used again and is then evaluated afresh.
 * - Idempotency compares municipalityId, phase (from the flags), accounts, amount, pendingId,
 *   timeoutSeconds, code, reference and reversesId; an omitted reference or timeout means null.
 *   `linked` is not stored, so it is not compared.
 * - A hold is expired from the instant `createdAt + timeoutSeconds` on (now >= expiresAt), for a
 *   post/void as for the sweeper. Until an expire transfer is written it stays in the pending
 *   balances (and so still counts against the wallet).
 * - The balance check of a post looks at the balances after the post (the hold's P leaves the
 *   pending balances, p enters the posted ones), which is the documented formula for
 *   single and pending transfers.
 * - Reversals always get their amount and both accounts in the generated inputs: stage 1 says the
 *   amount and accounts are required for every transfer but a post/void, yet stage 5 says "a
 *   reversal defaults to the target's amount with debit and credit swapped". The model follows
 *   stage 1 (amount and accounts required) and the test never relies on either reading.
 * - In a linked chain the members are evaluated in order; the first that fails keeps its code, the
 *   rest are not evaluated and get linked_event_failed. An expire transfer written by the failing
 *   member stays.
 */

export interface ModelAccount {
  id: string;
  municipalityId: string;
  kind: AccountKind;
  ownerId: string | null;
  flags: { debitsMustNotExceedCredits: boolean; creditsMustNotExceedDebits: boolean };
  debitsPosted: number;
  creditsPosted: number;
  debitsPending: number;
  creditsPending: number;
}

export interface ModelTransfer {
  /** The client id, or `expire:<pendingId>` for an expire transfer written by the ledger. */
  key: string;
  /** The client id; null for expire transfers (the ledger chooses their id). */
  id: string | null;
  municipalityId: string;
  sequence: number;
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  phase: TransferPhase;
  pendingId: string | null;
  timeoutSeconds: number | null;
  /** Epoch milliseconds. */
  expiresAt: number | null;
  code: string;
  reference: string | null;
  reversesId: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface ModelResult {
  id: string;
  result: ResultCode;
  transfer?: ModelTransfer;
}

export type HoldState = 'pending' | 'posted' | 'voided' | 'expired';

interface State {
  accounts: Map<string, ModelAccount>;
  /** Client transfers by id. */
  transfers: Map<string, ModelTransfer>;
  /** Every stored transfer (client and expire), in the order written. */
  log: ModelTransfer[];
  holds: Map<string, HoldState>;
  /** target id → id of the reversal that compensates it */
  reversedBy: Map<string, string>;
  sequence: Map<string, number>;
}

const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
const CODE_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

const isPositiveSafeInteger = (value: unknown): boolean =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

interface Evaluation {
  code: ResultCode;
  transfer?: ModelTransfer;
}

export class ReferenceLedger {
  private state: State = {
    accounts: new Map(),
    transfers: new Map(),
    log: [],
    holds: new Map(),
    reversedBy: new Map(),
    sequence: new Map(),
  };

  /** A deep, independent copy (for trying a batch out). */
  clone(): ReferenceLedger {
    const copy = new ReferenceLedger();
    copy.state = structuredClone(this.state);
    return copy;
  }

  // ---- accounts -------------------------------------------------------------------------------

  /** The account that openAccount must return: the existing one for the triple, else a new one. */
  openAccount(
    input: { municipalityId: string; kind: AccountKind; ownerId: string | null },
    newId: string,
  ): ModelAccount {
    const existing = [...this.state.accounts.values()].find(
      (a) =>
        a.municipalityId === input.municipalityId &&
        a.kind === input.kind &&
        a.ownerId === input.ownerId,
    );
    if (existing) return { ...existing };
    const account: ModelAccount = {
      id: newId,
      municipalityId: input.municipalityId,
      kind: input.kind,
      ownerId: input.ownerId,
      flags: {
        debitsMustNotExceedCredits: input.kind === 'wallet',
        creditsMustNotExceedDebits: false,
      },
      debitsPosted: 0,
      creditsPosted: 0,
      debitsPending: 0,
      creditsPending: 0,
    };
    this.state.accounts.set(account.id, account);
    return { ...account };
  }

  account(id: string): ModelAccount | undefined {
    const a = this.state.accounts.get(id);
    return a ? { ...a, flags: { ...a.flags } } : undefined;
  }

  accounts(): ModelAccount[] {
    return [...this.state.accounts.values()].map((a) => ({ ...a, flags: { ...a.flags } }));
  }

  // ---- reads used by the generators and checks ------------------------------------------------

  transfer(id: string): ModelTransfer | undefined {
    return this.state.transfers.get(id);
  }

  clientTransfers(): ModelTransfer[] {
    return this.state.log.filter((t) => t.id !== null);
  }

  log(): readonly ModelTransfer[] {
    return this.state.log;
  }

  holdState(pendingId: string): HoldState | undefined {
    return this.state.holds.get(pendingId);
  }

  /** Holds still pending (not posted, voided or expired), whether or not their time has passed. */
  openHolds(): ModelTransfer[] {
    return [...this.state.holds.entries()]
      .filter(([, s]) => s === 'pending')
      .map(([id]) => this.state.transfers.get(id)!);
  }

  isTimedOut(hold: ModelTransfer, now: number): boolean {
    return hold.expiresAt !== null && now >= hold.expiresAt;
  }

  reversalOf(targetId: string): string | undefined {
    return this.state.reversedBy.get(targetId);
  }

  transferCount(municipalityId: string): number {
    return this.state.sequence.get(municipalityId) ?? 0;
  }

  /** Every stored transfer touching the account, newest first. */
  accountTransfers(accountId: string): ModelTransfer[] {
    return this.state.log
      .filter((t) => t.debitAccountId === accountId || t.creditAccountId === accountId)
      .reverse();
  }

  /** Replaces the sequence the model assigned (used after concurrent calls, whose order is free). */
  adoptSequence(id: string, sequence: number): void {
    const t = this.state.transfers.get(id);
    if (t) t.sequence = sequence;
  }

  // ---- writes -------------------------------------------------------------------------------

  /** createTransfers: one result per input, in order. `now` is the context clock. */
  createTransfers(inputs: readonly TransferInput[], now: number): ModelResult[] {
    const results: ModelResult[] = new Array(inputs.length);
    let i = 0;
    while (i < inputs.length) {
      let end = i;
      while (end < inputs.length && inputs[end]!.flags?.linked === true) end += 1;
      if (end === inputs.length) {
        // The chain i..end-1 is never closed.
        for (let k = i; k < inputs.length; k += 1) {
          results[k] = { id: inputs[k]!.id, result: 'linked_event_chain_open' };
        }
        break;
      }
      if (end === i) {
        results[i] = this.toResult(inputs[i]!, this.evaluate(inputs[i]!, now));
      } else {
        this.runChain(inputs, i, end, now, results);
      }
      i = end + 1;
    }
    return results;
  }

  /** Writes the expire transfers of holds past their timeout (oldest expiry first); how many. */
  expirePendingTransfers(now: number, limit = Number.POSITIVE_INFINITY): number {
    const due = this.openHolds()
      .filter((h) => this.isTimedOut(h, now))
      .sort((a, b) => a.expiresAt! - b.expiresAt! || a.createdAt - b.createdAt);
    const chosen = due.slice(0, limit);
    for (const hold of chosen) this.writeExpire(hold, now);
    return chosen.length;
  }

  private runChain(
    inputs: readonly TransferInput[],
    first: number,
    last: number,
    now: number,
    results: ModelResult[],
  ): void {
    const trial = this.clone();
    const evaluations: Evaluation[] = [];
    let failedAt = -1;
    for (let k = first; k <= last; k += 1) {
      const expiredBefore = trial.state.log.length;
      const evaluation = trial.evaluate(inputs[k]!, now);
      evaluations.push(evaluation);
      if (evaluation.code !== 'ok') {
        failedAt = k;
        // An expire written while finding the failure stays, even though the chain is undone.
        for (const written of trial.state.log.slice(expiredBefore)) {
          const hold = written.phase === 'expire' && this.state.transfers.get(written.pendingId!);
          if (hold) this.writeExpire(hold, now);
        }
        break;
      }
    }
    if (failedAt === -1) {
      this.state = trial.state;
      for (let k = first; k <= last; k += 1) {
        results[k] = this.toResult(inputs[k]!, evaluations[k - first]!);
      }
      return;
    }
    for (let k = first; k <= last; k += 1) {
      results[k] =
        k === failedAt
          ? { id: inputs[k]!.id, result: evaluations[k - first]!.code }
          : { id: inputs[k]!.id, result: 'linked_event_failed' };
    }
  }

  private toResult(input: TransferInput, evaluation: Evaluation): ModelResult {
    return evaluation.transfer
      ? { id: input.id, result: evaluation.code, transfer: evaluation.transfer }
      : { id: input.id, result: evaluation.code };
  }

  /** One transfer, all stages in the documented order; applies it when it is ok. */
  private evaluate(input: TransferInput, now: number): Evaluation {
    const invalid = validateInput(input);
    if (invalid) return { code: invalid };

    const flags = input.flags ?? {};
    const isPost = flags.postPending === true;
    const isVoid = flags.voidPending === true;
    const resolving = isPost || isVoid;
    const phase: TransferPhase = flags.pending
      ? 'pending'
      : isPost
        ? 'post'
        : isVoid
          ? 'void'
          : 'single';

    // 2. Idempotency.
    const stored = this.state.transfers.get(input.id);
    if (stored) {
      return {
        code: this.sameFields(input, phase, stored) ? 'exists' : 'exists_with_different_fields',
        transfer: stored,
      };
    }

    // 3. Accounts.
    const debit =
      input.debitAccountId === undefined
        ? undefined
        : this.state.accounts.get(input.debitAccountId);
    const credit =
      input.creditAccountId === undefined
        ? undefined
        : this.state.accounts.get(input.creditAccountId);
    if (
      (input.debitAccountId !== undefined && !debit) ||
      (input.creditAccountId !== undefined && !credit)
    ) {
      return { code: 'account_not_found' };
    }
    const pending =
      input.pendingId === undefined ? undefined : this.state.transfers.get(input.pendingId);
    const target =
      input.reversesId === undefined ? undefined : this.state.transfers.get(input.reversesId);
    if (
      (debit && debit.municipalityId !== input.municipalityId) ||
      (credit && credit.municipalityId !== input.municipalityId) ||
      (pending && pending.municipalityId !== input.municipalityId) ||
      (target && target.municipalityId !== input.municipalityId)
    ) {
      return { code: 'municipality_mismatch' };
    }

    // 4. Post / void.
    let debitId: string;
    let creditId: string;
    let amount: number;
    if (resolving) {
      if (!pending) return { code: 'pending_not_found' };
      if (pending.phase !== 'pending') return { code: 'pending_transfer_not_pending' };
      const hold = this.state.holds.get(pending.id!);
      if (hold === 'posted') return { code: 'pending_already_posted' };
      if (hold === 'voided') return { code: 'pending_already_voided' };
      if (hold === 'expired') return { code: 'pending_expired' };
      if (this.isTimedOut(pending, now)) {
        this.writeExpire(pending, now);
        return { code: 'pending_expired' };
      }
      if (
        (input.debitAccountId !== undefined && input.debitAccountId !== pending.debitAccountId) ||
        (input.creditAccountId !== undefined && input.creditAccountId !== pending.creditAccountId)
      ) {
        return { code: 'pending_accounts_mismatch' };
      }
      if (isPost && input.amount !== undefined && input.amount > pending.amount) {
        return { code: 'amount_exceeds_pending' };
      }
      if (isVoid && input.amount !== undefined && input.amount !== pending.amount) {
        return { code: 'pending_amount_mismatch' };
      }
      debitId = pending.debitAccountId;
      creditId = pending.creditAccountId;
      amount = isPost ? (input.amount ?? pending.amount) : pending.amount;
    } else {
      debitId = input.debitAccountId!;
      creditId = input.creditAccountId!;
      amount = input.amount!;
    }

    // 5. Reversal.
    if (input.reversesId !== undefined) {
      if (!target) return { code: 'reversal_target_not_found' };
      if ((target.phase !== 'single' && target.phase !== 'post') || target.reversesId !== null) {
        return { code: 'reversal_target_not_posted' };
      }
      if (this.state.reversedBy.has(target.id!)) return { code: 'already_reversed' };
      if (
        debitId !== target.creditAccountId ||
        creditId !== target.debitAccountId ||
        amount !== target.amount
      ) {
        return { code: 'reversal_mismatch' };
      }
    }

    // 6. Balances, judged on the balances the transfer would leave.
    const d = { ...this.state.accounts.get(debitId)! };
    const c = { ...this.state.accounts.get(creditId)! };
    applyEffect(d, c, phase, amount, pending?.amount ?? 0);
    if (d.flags.debitsMustNotExceedCredits && d.debitsPosted + d.debitsPending > d.creditsPosted) {
      return { code: 'insufficient_funds' };
    }
    if (c.flags.creditsMustNotExceedDebits && c.creditsPosted + c.creditsPending > c.debitsPosted) {
      return { code: 'exceeds_debits' };
    }

    // Applied.
    this.state.accounts.set(debitId, d);
    this.state.accounts.set(creditId, c);
    const transfer: ModelTransfer = {
      key: input.id,
      id: input.id,
      municipalityId: input.municipalityId,
      sequence: this.nextSequence(input.municipalityId),
      debitAccountId: debitId,
      creditAccountId: creditId,
      amount,
      phase,
      pendingId: input.pendingId ?? null,
      timeoutSeconds: phase === 'pending' ? (input.timeoutSeconds ?? null) : null,
      expiresAt:
        phase === 'pending' && input.timeoutSeconds !== undefined
          ? now + input.timeoutSeconds * 1000
          : null,
      code: input.code,
      reference: input.reference ?? null,
      reversesId: input.reversesId ?? null,
      createdAt: now,
    };
    this.state.transfers.set(input.id, transfer);
    this.state.log.push(transfer);
    if (phase === 'pending') this.state.holds.set(input.id, 'pending');
    if (isPost) this.state.holds.set(pending!.id!, 'posted');
    if (isVoid) this.state.holds.set(pending!.id!, 'voided');
    if (input.reversesId !== undefined) this.state.reversedBy.set(input.reversesId, input.id);
    return { code: 'ok', transfer };
  }

  private sameFields(input: TransferInput, phase: TransferPhase, stored: ModelTransfer): boolean {
    if (input.municipalityId !== stored.municipalityId) return false;
    if (phase !== stored.phase) return false;
    if (input.debitAccountId !== undefined && input.debitAccountId !== stored.debitAccountId) {
      return false;
    }
    if (input.creditAccountId !== undefined && input.creditAccountId !== stored.creditAccountId) {
      return false;
    }
    if (input.amount !== undefined) {
      if (input.amount !== stored.amount) return false;
    } else if (stored.phase === 'post') {
      const hold = this.state.transfers.get(stored.pendingId!)!;
      if (stored.amount !== hold.amount) return false;
    }
    if ((input.pendingId ?? null) !== stored.pendingId) return false;
    if ((input.timeoutSeconds ?? null) !== stored.timeoutSeconds) return false;
    if (input.code !== stored.code) return false;
    if ((input.reference ?? null) !== stored.reference) return false;
    if ((input.reversesId ?? null) !== stored.reversesId) return false;
    return true;
  }

  private writeExpire(hold: ModelTransfer, now: number): void {
    const d = this.state.accounts.get(hold.debitAccountId)!;
    const c = this.state.accounts.get(hold.creditAccountId)!;
    d.debitsPending -= hold.amount;
    c.creditsPending -= hold.amount;
    this.state.holds.set(hold.id!, 'expired');
    this.state.log.push({
      key: `expire:${hold.id}`,
      id: null,
      municipalityId: hold.municipalityId,
      sequence: this.nextSequence(hold.municipalityId),
      debitAccountId: hold.debitAccountId,
      creditAccountId: hold.creditAccountId,
      amount: hold.amount,
      phase: 'expire',
      pendingId: hold.id,
      timeoutSeconds: null,
      expiresAt: null,
      code: 'expire',
      reference: null,
      reversesId: null,
      createdAt: now,
    });
  }

  private nextSequence(municipalityId: string): number {
    const next = (this.state.sequence.get(municipalityId) ?? 0) + 1;
    this.state.sequence.set(municipalityId, next);
    return next;
  }
}

/** Stage 1 of docs/ledger.md: the first input problem, in the documented order, or null. */
export function validateInput(input: TransferInput): ResultCode | null {
  const flags = input.flags ?? {};
  const pending = flags.pending === true;
  const post = flags.postPending === true;
  const voiding = flags.voidPending === true;
  const resolving = post || voiding;
  if (typeof input.id !== 'string' || !ID_PATTERN.test(input.id)) return 'id_invalid';
  if ([pending, post, voiding].filter(Boolean).length > 1) return 'flags_are_mutually_exclusive';
  if (typeof input.code !== 'string' || !CODE_PATTERN.test(input.code)) return 'code_invalid';
  if (
    input.reference !== undefined &&
    input.reference !== null &&
    (typeof input.reference !== 'string' || input.reference.length > 200)
  ) {
    return 'reference_invalid';
  }
  if (
    resolving
      ? input.amount !== undefined && !isPositiveSafeInteger(input.amount)
      : !isPositiveSafeInteger(input.amount)
  ) {
    return 'amount_must_be_positive';
  }
  if (input.timeoutSeconds !== undefined && !pending)
    return 'timeout_reserved_for_pending_transfer';
  if (input.timeoutSeconds !== undefined && !isPositiveSafeInteger(input.timeoutSeconds)) {
    return 'timeout_invalid';
  }
  if (resolving && input.pendingId === undefined) return 'pending_id_required';
  if (!resolving && input.pendingId !== undefined) return 'pending_id_must_be_empty';
  if (input.reversesId !== undefined && (pending || resolving))
    return 'reversal_must_not_be_pending';
  if (!resolving && (input.debitAccountId === undefined || input.creditAccountId === undefined)) {
    return 'accounts_required';
  }
  if (input.debitAccountId !== undefined && input.debitAccountId === input.creditAccountId) {
    return 'accounts_must_differ';
  }
  return null;
}

/** The balance effects table of docs/ledger.md, on copies of the two accounts. */
function applyEffect(
  debit: ModelAccount,
  credit: ModelAccount,
  phase: TransferPhase,
  amount: number,
  heldAmount: number,
): void {
  switch (phase) {
    case 'single':
      debit.debitsPosted += amount;
      credit.creditsPosted += amount;
      return;
    case 'pending':
      debit.debitsPending += amount;
      credit.creditsPending += amount;
      return;
    case 'post':
      debit.debitsPending -= heldAmount;
      credit.creditsPending -= heldAmount;
      debit.debitsPosted += amount;
      credit.creditsPosted += amount;
      return;
    case 'void':
    case 'expire':
      debit.debitsPending -= heldAmount;
      credit.creditsPending -= heldAmount;
      return;
  }
}
