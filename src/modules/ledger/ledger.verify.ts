import type { ServiceContext } from '../../shared/context.js';
import { DomainError } from '../../shared/errors.js';
import { recordLedgerVerification } from '../../shared/telemetry.js';
import { listMunicipalities } from '../tenancy/tenancy.service.js';
import * as repo from './ledger.repository.js';
import { GENESIS_HASH, hashTransfer } from './ledger.rules.js';
import type { Account, Transfer, VerifyReport } from './ledger.types.js';

/**
 * Tamper evidence: recomputes each municipality's hash chain from its transfers and reports the
 * first transfer that does not match and why; then checks that every account's balances equal
 * the sums of its transfers and that the municipality's ledger sums to zero.
 */

const PAGE = 5000;

interface Sums {
  debitsPosted: number;
  creditsPosted: number;
  debitsPending: number;
  creditsPending: number;
}

const zero = (): Sums => ({
  debitsPosted: 0,
  creditsPosted: 0,
  debitsPending: 0,
  creditsPending: 0,
});

/**
 * Verifies one municipality's ledger, or all of them (counted in the metrics as ok or broken);
 * `municipality_not_found` for an unknown id.
 */
export async function verifyLedger(
  ctx: ServiceContext,
  options: { municipalityId?: string } = {},
): Promise<VerifyReport> {
  const all = await listMunicipalities(ctx);
  const selected = options.municipalityId
    ? all.filter((m) => m.id === options.municipalityId)
    : all;
  if (options.municipalityId && selected.length === 0) {
    throw new DomainError('municipality_not_found', 'not_found', 'No such municipality.');
  }
  const municipalities = [];
  for (const municipality of selected) {
    municipalities.push({
      municipalityId: municipality.id,
      slug: municipality.slug,
      ...(await verifyMunicipality(ctx, municipality.id)),
    });
  }
  const ok = municipalities.every((m) => m.problems.length === 0);
  recordLedgerVerification(ok ? 'ok' : 'broken');
  return { ok, municipalities };
}

async function verifyMunicipality(ctx: ServiceContext, municipalityId: string) {
  const problems: string[] = [];
  const sums = new Map<string, Sums>();
  const holds = new Map<string, number>();
  const sumsOf = (accountId: string) => {
    let entry = sums.get(accountId);
    if (!entry) {
      entry = zero();
      sums.set(accountId, entry);
    }
    return entry;
  };
  let chainBroken = false;
  let previous: Transfer | undefined;
  let count = 0;

  for (let after = 0; ; ) {
    const page = await repo.listChainPage(ctx.db, municipalityId, after, PAGE);
    for (const transfer of page) {
      count += 1;
      if (!chainBroken) {
        const problem = chainProblem(transfer, previous);
        if (problem) {
          problems.push(problem);
          chainBroken = true;
        }
      }
      applyToSums(transfer, sumsOf, holds, problems);
      previous = transfer;
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.sequence;
  }

  const head = await repo.findChainHead(ctx.db, municipalityId);
  if (previous && (head?.sequence !== previous.sequence || head.hash !== previous.hash)) {
    problems.push(
      `the chain head (sequence ${head?.sequence ?? 'none'}) is not the last transfer ${previous.id} (sequence ${previous.sequence})`,
    );
  }

  const accounts = await repo.listAccountsOf(ctx.db, municipalityId);
  const total = zero();
  for (const account of accounts) {
    const expected = sums.get(account.id) ?? zero();
    sums.delete(account.id);
    for (const field of Object.keys(total) as (keyof Sums)[]) {
      total[field] += account[field];
      if (account[field] !== expected[field]) {
        problems.push(
          `account ${account.id} (${describe(account)}): ${field} is ${account[field]} but its transfers sum to ${expected[field]}`,
        );
      }
    }
  }
  const lots = await repo.sumLotsByAccount(ctx.db, municipalityId);
  for (const account of accounts) {
    if (!account.flags.debitsMustNotExceedCredits) continue;
    const available = account.creditsPosted - account.debitsPosted - account.debitsPending;
    const inLots = lots.get(account.id) ?? 0;
    if (inLots !== available) {
      problems.push(
        `account ${account.id} (${describe(account)}): its lots hold ${inLots} points but it has ${available} to spend`,
      );
    }
  }
  for (const accountId of sums.keys()) {
    problems.push(
      `transfers name account ${accountId}, which is not an account of this municipality`,
    );
  }
  if (total.debitsPosted !== total.creditsPosted || total.debitsPending !== total.creditsPending) {
    problems.push(
      `the ledger does not sum to zero: posted debits ${total.debitsPosted} vs credits ${total.creditsPosted}, pending debits ${total.debitsPending} vs credits ${total.creditsPending}`,
    );
  }
  return { transfers: count, problems };
}

function chainProblem(transfer: Transfer, previous: Transfer | undefined): string | undefined {
  const where = `transfer ${transfer.id} (sequence ${transfer.sequence})`;
  const expectedSequence = (previous?.sequence ?? 0) + 1;
  if (transfer.sequence !== expectedSequence) {
    return `${where}: expected sequence ${expectedSequence}; a transfer is missing or was inserted`;
  }
  if (transfer.prevHash !== (previous?.hash ?? GENESIS_HASH)) {
    return `${where}: its prev_hash is not the hash of the transfer before it`;
  }
  if (hashTransfer(transfer) !== transfer.hash) {
    return `${where}: its fields do not match its hash (changed after it was written)`;
  }
  return undefined;
}

function applyToSums(
  transfer: Transfer,
  sumsOf: (accountId: string) => Sums,
  holds: Map<string, number>,
  problems: string[],
) {
  const debit = sumsOf(transfer.debitAccountId);
  const credit = sumsOf(transfer.creditAccountId);
  const release = () => {
    const held = holds.get(transfer.pendingId ?? '');
    if (held === undefined) {
      problems.push(
        `transfer ${transfer.id} resolves ${transfer.pendingId}, which is not an open hold`,
      );
      return;
    }
    holds.delete(transfer.pendingId!);
    debit.debitsPending -= held;
    credit.creditsPending -= held;
  };
  switch (transfer.phase) {
    case 'single':
      debit.debitsPosted += transfer.amount;
      credit.creditsPosted += transfer.amount;
      break;
    case 'pending':
      holds.set(transfer.id, transfer.amount);
      debit.debitsPending += transfer.amount;
      credit.creditsPending += transfer.amount;
      break;
    case 'post':
      release();
      debit.debitsPosted += transfer.amount;
      credit.creditsPosted += transfer.amount;
      break;
    case 'void':
    case 'expire':
      release();
      break;
  }
}

function describe(account: Account): string {
  return account.ownerId ? `${account.kind} of ${account.ownerId}` : account.kind;
}
