import type { ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import {
  type LedgerCommitPath,
  noteTransfersInTransaction,
  observeLedgerCommit,
  secondsSince,
} from '../../shared/telemetry.js';
import type { Storage } from '../../storage/database.js';
import { findMunicipalityById } from '../tenancy/tenancy.service.js';
import { type BatchOutcome, type ExpirySweep, NO_SWEEP } from './ledger.engine.js';
import * as repo from './ledger.repository.js';
import { flagsForKind, MAX_BATCH_SIZE, SINGLETON_KINDS } from './ledger.rules.js';
import { runPostgresBatch } from './ledger.store.postgres.js';
import { SqliteLedgerStore } from './ledger.store.sqlite.js';
import {
  ACCOUNT_KINDS,
  type Account,
  type AccountHistoryPage,
  type AccountKind,
  type OpenAccountInput,
  type Transfer,
  type TransferInput,
  type TransferResult,
} from './ledger.types.js';
import { type GroupCommitStats, GroupCommitWriter } from './ledger.writer.js';

/** The ledger's use cases. The contract, result codes included, is docs/ledger.md. */

/**
 * Opens an account, or returns the one this municipality already has for this kind and owner.
 * Outcomes: the account; `invalid_input` (unknown kind, owner missing or not allowed);
 * `municipality_not_found`.
 */
export async function openAccount(ctx: ServiceContext, input: OpenAccountInput): Promise<Account> {
  const ownerId = input.ownerId ?? null;
  const singleton = SINGLETON_KINDS.includes(input.kind);
  const errors = [];
  if (!ACCOUNT_KINDS.includes(input.kind)) {
    errors.push({
      field: 'kind',
      code: 'enum',
      message: `Use one of ${ACCOUNT_KINDS.join(', ')}.`,
    });
  } else if (singleton && ownerId !== null) {
    errors.push({
      field: 'ownerId',
      code: 'not_allowed',
      message: `A municipality has one ${input.kind} account; it has no owner.`,
    });
  } else if (!singleton && (typeof ownerId !== 'string' || ownerId === '' || ownerId.length > 64)) {
    errors.push({
      field: 'ownerId',
      code: 'required',
      message: `A ${input.kind} account belongs to an owner (1-64 characters).`,
    });
  }
  if (errors.length > 0) throw invalidInput(errors);
  // Most calls find the account: a read, where the insert below would be a durable write.
  const existing = await repo.findAccountByOwner(
    ctx.db,
    input.municipalityId,
    input.kind,
    ownerId ?? '',
  );
  if (existing) return existing;
  if (!(await findMunicipalityById(ctx, input.municipalityId))) {
    throw new DomainError('municipality_not_found', 'not_found', 'No such municipality.', {
      details: { municipalityId: input.municipalityId },
    });
  }
  const now = ctx.clock.now();
  await repo.insertAccountIfAbsent(ctx.db, {
    id: newId('acc', now),
    municipalityId: input.municipalityId,
    kind: input.kind,
    ownerId: ownerId ?? '',
    flags: flagsForKind(input.kind),
    now: now.toISOString(),
  });
  return (await repo.findAccountByOwner(ctx.db, input.municipalityId, input.kind, ownerId ?? ''))!;
}

/**
 * Opens (or finds) one account of a kind per owner at once, for bulk work such as imports: a
 * read for all, and an insert only for the owners that have none yet. Returns each owner's
 * account id. Outcomes: the map; `invalid_input` (a kind without owners, a bad owner id);
 * `municipality_not_found`.
 */
export async function openAccounts(
  ctx: ServiceContext,
  input: { municipalityId: string; kind: AccountKind; ownerIds: readonly string[] },
): Promise<Map<string, string>> {
  const ownerIds = [...new Set(input.ownerIds)];
  if (
    !ACCOUNT_KINDS.includes(input.kind) ||
    SINGLETON_KINDS.includes(input.kind) ||
    ownerIds.some((id) => typeof id !== 'string' || id === '' || id.length > 64)
  ) {
    throw invalidInput([
      {
        field: 'ownerIds',
        code: 'owner',
        message: 'Give an account kind with owners and owner ids of 1-64 characters.',
      },
    ]);
  }
  const found = await repo.findAccountIdsByOwners(
    ctx.db,
    input.municipalityId,
    input.kind,
    ownerIds,
  );
  const missing = ownerIds.filter((id) => !found.has(id));
  if (missing.length === 0) return found;
  if (!(await findMunicipalityById(ctx, input.municipalityId))) {
    throw new DomainError('municipality_not_found', 'not_found', 'No such municipality.', {
      details: { municipalityId: input.municipalityId },
    });
  }
  const now = ctx.clock.now();
  for (const ownerId of missing) {
    await repo.insertAccountIfAbsent(ctx.db, {
      id: newId('acc', now),
      municipalityId: input.municipalityId,
      kind: input.kind,
      ownerId,
      flags: flagsForKind(input.kind),
      now: now.toISOString(),
    });
  }
  for (const [ownerId, id] of await repo.findAccountIdsByOwners(
    ctx.db,
    input.municipalityId,
    input.kind,
    missing,
  )) {
    found.set(ownerId, id);
  }
  return found;
}

/** The account a municipality has for this kind and owner, if any. */
export async function findAccount(
  ctx: ServiceContext,
  input: OpenAccountInput,
): Promise<Account | undefined> {
  return repo.findAccountByOwner(ctx.db, input.municipalityId, input.kind, input.ownerId ?? '');
}

/** One account with its balances; `account_not_found`. */
export async function getAccount(ctx: ServiceContext, accountId: string): Promise<Account> {
  const account = await repo.findAccountById(ctx.db, accountId);
  if (!account)
    throw new DomainError('account_not_found', 'not_found', `No account "${accountId}".`);
  return account;
}

/** Every account of a municipality. */
export async function listAccounts(
  ctx: ServiceContext,
  municipalityId: string,
): Promise<Account[]> {
  return repo.listAccountsOf(ctx.db, municipalityId);
}

/** The accounts every municipality has: issuance, expired, tax credit and payout. */
export async function ensureSystemAccounts(ctx: ServiceContext, municipalityId: string) {
  const open = (kind: 'issuance' | 'expired' | 'tax_credit' | 'payout') =>
    openAccount(ctx, { municipalityId, kind });
  return {
    issuance: await open('issuance'),
    expired: await open('expired'),
    taxCredit: await open('tax_credit'),
    payout: await open('payout'),
  };
}

/** What a wallet holder can spend now: posted credits less posted and held debits. */
export function availablePoints(account: Account): number {
  return account.creditsPosted - account.debitsPosted - account.debitsPending;
}

/**
 * Applies a batch of transfers atomically per transfer (or per linked chain) in one durable
 * transaction; returns one result per input, in order (docs/ledger.md). Throws `batch_too_large`
 * above 8,190 transfers; never throws for a refused transfer.
 */
export async function createTransfers(
  ctx: ServiceContext,
  inputs: readonly TransferInput[],
): Promise<TransferResult[]> {
  if (!Array.isArray(inputs) || inputs.length > MAX_BATCH_SIZE) {
    throw new DomainError(
      'batch_too_large',
      'invalid',
      `Send at most ${MAX_BATCH_SIZE} transfers at once.`,
    );
  }
  if (inputs.length === 0) return [];
  return (await runBatch(ctx, inputs, NO_SWEEP, 'batch')).results;
}

/**
 * One transfer through group commit: gathered with other callers' transfers into one durable
 * transaction, resolved after its commit. Inside a caller's transaction it joins that instead.
 * A linked flag has no chain to close here: `linked_event_chain_open`.
 */
export async function createTransfer(
  ctx: ServiceContext,
  input: TransferInput,
): Promise<TransferResult> {
  if (input.flags?.linked) return { id: input.id, result: 'linked_event_chain_open' };
  if (ctx.db.isTransaction) return (await runBatch(ctx, [input], NO_SWEEP)).results[0]!;
  return writerFor(ctx.storage).submit(ctx, input);
}

/** Group-commit figures of this process for this database (batches, transfers, largest batch). */
export function groupCommitStats(storage: Storage): GroupCommitStats {
  return { ...writerFor(storage).stats };
}

/**
 * Writes the expire transfer of every hold past its timeout (up to `limit`); each hold expires
 * at most once, whoever gets there first. Returns how many expired.
 */
export async function expirePendingTransfers(
  ctx: ServiceContext,
  options: { limit?: number } = {},
): Promise<number> {
  const due = await repo.listDueHolds(ctx.db, ctx.clock.now().toISOString(), options.limit ?? 1000);
  if (due.length === 0) return 0;
  const outcome = await runBatch(ctx, [], {
    pendingIds: due.map((hold) => hold.id),
    lotIds: [],
    municipalityIds: [...new Set(due.map((hold) => hold.municipality_id))],
  });
  return outcome.created.length;
}

/**
 * Expires the points whose time has come (municipality policy: N months after earning): each due
 * lot's remaining points move from the wallet to the municipality's `expired` account, code
 * `expire`. Returns how many lots expired. (Spending also expires a wallet's due lots first.)
 */
export async function expirePoints(
  ctx: ServiceContext,
  options: { limit?: number } = {},
): Promise<number> {
  const due = await repo.listDueLots(ctx.db, ctx.clock.now().toISOString(), options.limit ?? 1000);
  if (due.length === 0) return 0;
  const outcome = await runBatch(ctx, [], {
    pendingIds: [],
    lotIds: due.map((lot) => lot.id),
    municipalityIds: [...new Set(due.map((lot) => lot.municipality_id))],
  });
  return outcome.created.length;
}

/** When a wallet's points expire: each date with the points that expire then, soonest first. */
export async function listExpiringPoints(
  ctx: ServiceContext,
  accountId: string,
): Promise<{ expiresAt: string; points: number }[]> {
  await getAccount(ctx, accountId);
  return repo.listExpiringLots(ctx.db, accountId);
}

/** One transfer by id; `transfer_not_found`. */
export async function getTransfer(ctx: ServiceContext, id: string): Promise<Transfer> {
  const transfer = await repo.findTransferById(ctx.db, id);
  if (!transfer) throw new DomainError('transfer_not_found', 'not_found', `No transfer "${id}".`);
  return transfer;
}

/** The transfers a reference (what caused them) produced in a municipality, oldest first. */
export async function listTransfersByReference(
  ctx: ServiceContext,
  municipalityId: string,
  reference: string,
): Promise<Transfer[]> {
  return repo.listTransfersByReference(ctx.db, municipalityId, reference);
}

/**
 * An account's transfers, newest first, a page at a time: pass `nextCursor` as `before` for the
 * next page. Outcomes: the page; `account_not_found`; `invalid_input` (limit or cursor).
 */
export async function listAccountTransfers(
  ctx: ServiceContext,
  accountId: string,
  options: { limit?: number; before?: string } = {},
): Promise<AccountHistoryPage> {
  const limit = options.limit ?? 50;
  const errors = [];
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 200) {
    errors.push({ field: 'limit', code: 'range', message: 'Ask for 1 to 200 transfers.' });
  }
  const before = options.before === undefined ? undefined : Number(options.before);
  if (before !== undefined && (!Number.isSafeInteger(before) || before < 1)) {
    errors.push({
      field: 'before',
      code: 'cursor',
      message: 'The cursor is not one this ledger gave.',
    });
  }
  if (errors.length > 0) throw invalidInput(errors);
  await getAccount(ctx, accountId);
  const items = await repo.listAccountTransfers(ctx.db, accountId, {
    limit: limit + 1,
    ...(before !== undefined && { beforeSequence: before }),
  });
  const page = items.slice(0, limit);
  return {
    items: page,
    nextCursor: items.length > limit ? String(page[page.length - 1]!.sequence) : null,
  };
}

const sqliteStores = new WeakMap<Storage, SqliteLedgerStore>();
const writers = new WeakMap<Storage, GroupCommitWriter<ServiceContext>>();

function writerFor(storage: Storage): GroupCommitWriter<ServiceContext> {
  let writer = writers.get(storage);
  if (!writer) {
    writer = new GroupCommitWriter(
      async (ctx, inputs) => (await runBatch(ctx, inputs, NO_SWEEP, 'writer')).results,
    );
    writers.set(storage, writer);
  }
  return writer;
}

/** PostgreSQL errors a batch is simply tried again for: it ran into a concurrent writer. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const MAX_ATTEMPTS = 5;

/**
 * How long a process keeps a municipality's expiry policy before asking again. Reading it for
 * every group-commit batch cost more than the batch's own statements; a policy change reaches
 * new earnings within this time.
 */
export const POLICY_CACHE_MS = 5000;
const policyCaches = new WeakMap<Storage, Map<string, { months: number | null; readAt: number }>>();

/** Each municipality's points expiry policy, read before the batch takes its locks. */
async function policiesFor(
  ctx: ServiceContext,
  inputs: readonly TransferInput[],
  sweep: ExpirySweep,
): Promise<Map<string, number | null>> {
  const ids = new Set(sweep.municipalityIds);
  for (const input of inputs) {
    if (typeof input.municipalityId === 'string') ids.add(input.municipalityId);
  }
  let cache = policyCaches.get(ctx.storage);
  if (!cache) {
    cache = new Map();
    policyCaches.set(ctx.storage, cache);
  }
  const now = Date.now();
  const policies = new Map<string, number | null>();
  for (const id of ids) {
    let entry = cache.get(id);
    if (!entry || now - entry.readAt > POLICY_CACHE_MS) {
      const municipality = await findMunicipalityById(ctx, id);
      entry = { months: municipality?.pointsExpiryMonths ?? null, readAt: now };
      if (municipality) cache.set(id, entry);
    }
    policies.set(id, entry.months);
  }
  return policies;
}

/**
 * Runs one batch and records it for the metrics: in its own transaction, as one ledger commit;
 * inside a caller's, as transfers that commit with that transaction (grouped-transaction.ts).
 */
async function runBatch(
  ctx: ServiceContext,
  inputs: readonly TransferInput[],
  sweep: ExpirySweep,
  path: LedgerCommitPath = 'batch',
): Promise<BatchOutcome> {
  if (ctx.db.isTransaction) {
    const outcome = await writeBatch(ctx, inputs, sweep);
    noteTransfersInTransaction(ctx.db, outcome.created.length);
    return outcome;
  }
  const start = process.hrtime.bigint();
  const outcome = await writeBatch(ctx, inputs, sweep);
  observeLedgerCommit(outcome.created.length, secondsSince(start), path);
  return outcome;
}

async function writeBatch(
  ctx: ServiceContext,
  inputs: readonly TransferInput[],
  sweep: ExpirySweep,
): Promise<BatchOutcome> {
  const now = ctx.clock.now();
  const policies = await policiesFor(ctx, inputs, sweep);
  if (ctx.storage.dialect === 'sqlite') {
    const connection = ctx.storage.sqlite!;
    let store = sqliteStores.get(ctx.storage);
    if (!store) {
      store = new SqliteLedgerStore(connection);
      sqliteStores.set(ctx.storage, store);
    }
    const ledgerStore = store;
    // Inside a caller's transaction its connection is already ours; otherwise take Kysely's
    // connection so no other query interleaves with the synchronous batch.
    if (ctx.db.isTransaction) return ledgerStore.run(inputs, now, policies, sweep);
    return ctx.db.connection().execute(async () => ledgerStore.run(inputs, now, policies, sweep));
  }
  if (ctx.db.isTransaction) return runPostgresBatch(ctx.db, inputs, now, policies, sweep);
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.db
        .transaction()
        .execute((trx) => runPostgresBatch(trx, inputs, now, policies, sweep));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= MAX_ATTEMPTS || !code || !RETRYABLE.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}
