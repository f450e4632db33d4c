import { createHash } from 'node:crypto';
import type { ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { isLocale, type Locale } from '../../shared/locales.js';
import { inTransaction } from '../../storage/transaction.js';
import { deleteAlertsOfResident, listMyAlerts } from '../alerts/alerts.service.js';
import { listEventsAbout, recordAudit } from '../audit/audit.service.js';
import * as ledger from '../ledger/ledger.service.js';
import type { Account, Transfer } from '../ledger/ledger.types.js';
import { eraseEmailsTo, listEmailsTo } from '../notifications/notifications.service.js';
import { findMunicipalityById } from '../tenancy/tenancy.service.js';
import * as households from './households.service.js';
import * as repo from './identity.repository.js';
import { newMemberCode, walletMovement } from './identity.rules.js';
import { getMe, getMyWallet } from './identity.service.js';
import type { Resident } from './identity.types.js';
import * as passkeys from './passkeys.repository.js';
import { listMyPasskeys } from './passkeys.service.js';
import type { DataExport } from './privacy.types.js';

/**
 * A resident's own data: their language, the download of everything we hold about them, and
 * the deletion of their account — personal data erased, the ledger kept whole under the
 * now-pseudonymous resident id (docs/identity.md, Privacy).
 */

/** The ledger code of the transfer that takes a deleted account's points out of circulation. */
export const ACCOUNT_DELETED_CODE = 'account_deleted';

/** What a resident must send to delete their account, so no stray call can. */
export const DELETE_CONFIRMATION = 'DELETE';

/** Changes the signed-in resident's preferred language. Outcomes: the resident; `invalid_input`. */
export async function updateMe(
  ctx: ServiceContext,
  input: { preferredLocale: Locale },
): Promise<Resident> {
  const me = await getMe(ctx);
  if (!isLocale(input.preferredLocale)) {
    throw invalidInput([
      { field: '/preferredLocale', code: 'enum', message: 'Use nl, fr, de or en.' },
    ]);
  }
  await repo.updateResidentLocale(
    ctx.db,
    me.id,
    input.preferredLocale,
    ctx.clock.now().toISOString(),
  );
  return { ...me, preferredLocale: input.preferredLocale };
}

/**
 * Everything about the signed-in resident: account, household (not its other members), sessions
 * (no tokens), wallet and its whole history, the emails sent to them, and the audit events about
 * them. Outcomes: the export; `not_signed_in`.
 */
export async function exportMyData(ctx: ServiceContext): Promise<DataExport> {
  const me = await getMe(ctx);
  const actor = ctx.actor as Extract<ServiceContext['actor'], { kind: 'resident' }>;
  const municipality = await findMunicipalityById(ctx, me.municipalityId);
  const household = await households.getMyHousehold(ctx);
  const sessions = await repo.listSessionsOf(ctx.db, 'resident', me.id);
  const wallet = await getMyWallet(ctx);
  const account = await walletAccountOf(ctx, me);
  const transfers = account ? await allTransfers(ctx, account) : [];
  const emails = me.email ? await listEmailsTo(ctx, me.email) : [];
  const events = await listEventsAbout(ctx, me.municipalityId, me.id);
  return {
    format: 'civicpoints-data-export/1',
    exportedAt: ctx.clock.now().toISOString(),
    account: {
      id: me.id,
      email: me.email,
      displayName: me.displayName,
      preferredLocale: me.preferredLocale,
      memberCode: me.memberCode,
      createdAt: me.createdAt,
      municipality: municipality
        ? { slug: municipality.slug, name: municipality.names[me.preferredLocale] }
        : null,
    },
    household: household && {
      address: household.address,
      inviteCode: household.inviteCode,
      members: household.members,
      createdAt: household.createdAt,
    },
    sessions: sessions.map((s) => ({
      createdAt: s.created_at,
      lastSeenAt: s.last_seen_at,
      idleExpiresAt: s.idle_expires_at,
      absoluteExpiresAt: s.absolute_expires_at,
      revokedAt: s.revoked_at,
      current: s.id === actor.sessionId,
    })),
    // Names and times only: never the public key or the counter.
    passkeys: (await listMyPasskeys(ctx)).map((p) => ({
      name: p.name,
      createdAt: p.createdAt,
      lastUsedAt: p.lastUsedAt,
    })),
    areaAlerts: await listMyAlerts(ctx),
    wallet,
    walletHistory: account ? transfers.map((t) => walletMovement(t, account.id)) : [],
    emails: emails.map((e) => ({
      template: e.template,
      subject: e.subject,
      locale: e.locale,
      createdAt: e.createdAt,
      sentAt: e.sentAt,
    })),
    auditEvents: events.map((e) => ({
      occurredAt: e.occurredAt,
      action: e.action,
      actorKind: e.actorKind,
      actorRoles: e.actorRoles,
      before: e.before,
      after: e.after,
    })),
  };
}

/**
 * Deletes the signed-in resident's account, in one transaction: open holds are voided and the
 * spendable points moved to the municipality's `expired` account (code `account_deleted`); the
 * resident row is pseudonymised (no address, no name, an unknown member code, status deleted);
 * the household membership, sessions, sign-in links, area alerts and the outbox's copies of their emails are
 * gone. The ledger keeps every transfer under the wallet, so every sum still adds up.
 * Outcomes: what was done; `invalid_input` (no confirmation); `not_signed_in`.
 */
export async function deleteMyAccount(
  ctx: ServiceContext,
  input: { confirm: string },
): Promise<{ residentId: string; pointsForfeited: number; holdsVoided: number }> {
  if (input.confirm !== DELETE_CONFIRMATION) {
    throw invalidInput([
      {
        field: '/confirm',
        code: 'confirmation',
        message: `Send confirm: "${DELETE_CONFIRMATION}" to delete the account.`,
      },
    ]);
  }
  return inTransaction(ctx.db, async (db) => {
    const tx = { ...ctx, db };
    const me = await getMe(tx);
    const now = ctx.clock.now().toISOString();
    const { pointsForfeited, holdsVoided } = await emptyWallet(tx, me);
    await households.leaveHousehold(tx);
    await repo.revokeSessionsOf(db, 'resident', me.id, now);
    if (me.email) {
      await repo.deleteResidentLinksFor(db, me.email);
      await eraseEmailsTo(tx, me.email);
    }
    await passkeys.deletePasskeysOf(db, me.id);
    await deleteAlertsOfResident(tx, me.id);
    await repo.pseudonymiseResident(db, me.id, newMemberCode(), now);
    await recordAudit(tx, {
      municipalityId: me.municipalityId,
      action: 'resident.deleted',
      subjectType: 'resident',
      subjectId: me.id,
      before: { status: 'active' },
      after: { status: 'deleted', pointsForfeited, holdsVoided },
    });
    return { residentId: me.id, pointsForfeited, holdsVoided };
  });
}

async function walletAccountOf(ctx: ServiceContext, resident: Resident) {
  return ledger.findAccount(ctx, {
    municipalityId: resident.municipalityId,
    kind: 'wallet',
    ownerId: resident.id,
  });
}

/** Every transfer of an account, newest first, all pages. */
async function allTransfers(ctx: ServiceContext, account: Account): Promise<Transfer[]> {
  const all: Transfer[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await ledger.listAccountTransfers(ctx, account.id, {
      limit: 200,
      ...(before !== undefined && { before }),
    });
    all.push(...page.items);
    if (!page.nextCursor) return all;
    before = page.nextCursor;
  }
}

/** Holds that were neither posted, voided nor expired. */
function openHolds(transfers: Transfer[]): Transfer[] {
  const closed = new Set(transfers.flatMap((t) => (t.pendingId ? [t.pendingId] : [])));
  return transfers.filter((t) => t.phase === 'pending' && !closed.has(t.id));
}

/** A transfer id of at most 64 characters, the same on every retry of this deletion. */
function deletionTransferId(kind: string, of: string): string {
  return `identity:${kind}:${createHash('sha256').update(of).digest('hex').slice(0, 32)}`;
}

const SETTLED = new Set(['ok', 'exists']);

/** Voids the wallet's open holds, then moves what is left to the municipality's expired account. */
async function emptyWallet(ctx: ServiceContext, resident: Resident) {
  const account = await walletAccountOf(ctx, resident);
  if (!account) return { pointsForfeited: 0, holdsVoided: 0 };
  const municipalityId = resident.municipalityId;
  let holdsVoided = 0;
  for (const hold of openHolds(await allTransfers(ctx, account))) {
    const voided = await ledger.createTransfer(ctx, {
      id: deletionTransferId('deleted-void', hold.id),
      municipalityId,
      pendingId: hold.id,
      flags: { voidPending: true },
      code: ACCOUNT_DELETED_CODE,
      reference: `resident:${resident.id}`,
    });
    // A hold past its timeout was expired by the ledger instead: released all the same.
    if (SETTLED.has(voided.result)) holdsVoided++;
    else if (voided.result !== 'pending_expired') throw ledgerRefused(voided.result);
  }
  const expired = await ledger.openAccount(ctx, { municipalityId, kind: 'expired' });
  // Spending expires due points first, so the amount is read again if that happened meanwhile.
  for (let attempt = 0; attempt < 2; attempt++) {
    const points = ledger.availablePoints(await ledger.getAccount(ctx, account.id));
    if (points <= 0) return { pointsForfeited: 0, holdsVoided };
    const moved = await ledger.createTransfer(ctx, {
      id: deletionTransferId(`deleted-points-${attempt}`, resident.id),
      municipalityId,
      debitAccountId: account.id,
      creditAccountId: expired.id,
      amount: points,
      code: ACCOUNT_DELETED_CODE,
      reference: `resident:${resident.id}`,
    });
    if (SETTLED.has(moved.result)) return { pointsForfeited: points, holdsVoided };
    if (moved.result !== 'insufficient_funds') throw ledgerRefused(moved.result);
  }
  throw ledgerRefused('insufficient_funds');
}

function ledgerRefused(result: string) {
  return new DomainError(
    'account_deletion_failed',
    'conflict',
    `The points could not be taken out of the wallet (${result}); nothing was deleted.`,
  );
}
