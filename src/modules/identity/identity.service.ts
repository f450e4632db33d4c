import type { ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { isLocale, type Locale } from '../../shared/locales.js';
import { authorize } from '../../shared/policy.js';
import { inTransaction } from '../../storage/transaction.js';
import * as ledger from '../ledger/ledger.service.js';
import { sendEmail } from '../notifications/notifications.service.js';
import { findMunicipalityById, getMunicipality } from '../tenancy/tenancy.service.js';
import * as repo from './identity.repository.js';
import {
  addDays,
  hashToken,
  looksLikeToken,
  MAX_LINKS_PER_EMAIL,
  MAX_LINKS_PER_IP,
  newMemberCode,
  newToken,
  normalizeEmail,
  normalizeMemberCode,
  SESSION_ABSOLUTE_DAYS,
  SESSION_IDLE_DAYS,
  SESSION_TOUCH_MS,
  SIGN_IN_LINK_MINUTES,
  walletMovement,
} from './identity.rules.js';
import type {
  IssuedSession,
  Resident,
  Session,
  Wallet,
  WalletHistoryPage,
} from './identity.types.js';

/**
 * Residents sign up and sign in by an emailed link (single use, 15 minutes, stored hashed,
 * rate-limited per address and per requesting IP) and then hold a session (an opaque token in a
 * cookie, stored hashed, with idle and absolute expiry).
 */

export interface SignInLinkRequest {
  email: string;
  /** The municipality to join when the address is new (ignored for a known resident). */
  municipalitySlug?: string;
  locale: Locale;
  ip: string;
  /** Where the link points: the web app's page that completes the sign-in. */
  publicUrl: string;
}

/**
 * Emails a sign-in link. Says the same whether or not the address is known (no account
 * enumeration). Outcomes: `{ link }` (for the development log); `invalid_input`;
 * `municipality_not_found`; `too_many_sign_in_links` (rate limit).
 */
export async function requestSignInLink(
  ctx: ServiceContext,
  request: SignInLinkRequest,
): Promise<{ link: string; expiresAt: string }> {
  const email = normalizeEmail(request.email);
  const errors = [];
  if (!email)
    errors.push({ field: 'email', code: 'email', message: 'This is not an email address.' });
  if (!isLocale(request.locale))
    errors.push({ field: 'locale', code: 'enum', message: 'Use nl, fr, de or en.' });
  if (errors.length > 0 || !email) throw invalidInput(errors);
  const municipality = request.municipalitySlug
    ? await getMunicipality(ctx, request.municipalitySlug)
    : undefined;

  const { token, expiresAt } = await createLink(ctx, {
    email,
    municipalityId: municipality?.id ?? null,
    locale: request.locale,
    ip: request.ip,
    purpose: 'resident',
    minutes: SIGN_IN_LINK_MINUTES,
  });
  // The token travels in the fragment: it never reaches a server log or a Referer header.
  const link = `${request.publicUrl}/sign-in#token=${token}`;
  await sendEmail(ctx, {
    to: email,
    template: 'sign_in_link',
    locale: request.locale,
    params: { link, minutes: String(SIGN_IN_LINK_MINUTES) },
  });
  return { link, expiresAt };
}

/**
 * Stores a new single-use link (only its hash) and returns its token. Links anyone can ask for
 * are held to the limits per address and per IP; invitations, which only an admin can send, are
 * not. Outcomes: the token; `too_many_sign_in_links`.
 */
export async function createLink(
  ctx: ServiceContext,
  input: {
    email: string;
    municipalityId: string | null;
    locale: Locale;
    ip: string;
    purpose: 'resident' | 'user' | 'user_invite';
    minutes: number;
  },
): Promise<{ token: string; expiresAt: string }> {
  const now = ctx.clock.now();
  const windowStart = new Date(now.getTime() - SIGN_IN_LINK_MINUTES * 60_000).toISOString();
  if (
    input.purpose !== 'user_invite' &&
    ((await repo.countRecentLinks(ctx.db, 'email', input.email, windowStart)) >=
      MAX_LINKS_PER_EMAIL ||
      (await repo.countRecentLinks(ctx.db, 'requested_ip', input.ip, windowStart)) >=
        MAX_LINKS_PER_IP)
  ) {
    throw new DomainError(
      'too_many_sign_in_links',
      'rate_limited',
      `Too many sign-in links were asked for; try again in ${SIGN_IN_LINK_MINUTES} minutes.`,
      { details: { retryAfterSeconds: SIGN_IN_LINK_MINUTES * 60 } },
    );
  }
  const token = newToken();
  const expiresAt = new Date(now.getTime() + input.minutes * 60_000).toISOString();
  await repo.insertLink(ctx.db, {
    id: newId('lnk', now),
    tokenHash: hashToken(token),
    email: input.email,
    municipalityId: input.municipalityId,
    locale: input.locale,
    ip: input.ip,
    now: now.toISOString(),
    expiresAt,
    purpose: input.purpose,
  });
  return { token, expiresAt };
}

/**
 * Uses up a link of one of `purposes`: checks it exists, is unused and unexpired, and marks it
 * used inside the transaction `db`. Outcomes: the link row; `sign_in_link_invalid` (unknown,
 * forged, or for another purpose), `sign_in_link_used`, `sign_in_link_expired`.
 */
export async function useLinkOnce(
  ctx: ServiceContext,
  token: unknown,
  purposes: readonly string[],
) {
  const invalid = () =>
    new DomainError(
      'sign_in_link_invalid',
      'unauthenticated',
      'This sign-in link is not valid. Ask for a new one.',
    );
  const used = () =>
    new DomainError(
      'sign_in_link_used',
      'unauthenticated',
      'This sign-in link was already used. Ask for a new one.',
    );
  if (!looksLikeToken(token)) throw invalid();
  const now = ctx.clock.now();
  const link = await repo.findLinkByHash(ctx.db, hashToken(token));
  if (!link || !purposes.includes(link.purpose)) throw invalid();
  if (link.used_at !== null) throw used();
  if (link.expires_at <= now.toISOString()) {
    throw new DomainError(
      'sign_in_link_expired',
      'unauthenticated',
      'This sign-in link has expired. Ask for a new one.',
    );
  }
  if (!(await repo.useLink(ctx.db, link.id, now.toISOString()))) throw used();
  return link;
}

/**
 * Completes a sign-in (or sign-up) with a link's token: the link is used up, the resident is
 * found or created (with their wallet) and a session is issued. Outcomes: the session and the
 * resident; `sign_in_link_invalid` (unknown or forged), `sign_in_link_used`, `sign_in_link_expired`;
 * `municipality_required` (a new address whose link named no municipality).
 */
export async function completeSignIn(
  ctx: ServiceContext,
  token: unknown,
): Promise<IssuedSession & { resident: Resident; created: boolean }> {
  return inTransaction(ctx.db, async (db) => {
    const tx = { ...ctx, db };
    const link = await useLinkOnce(tx, token, ['resident']);
    let resident = await repo.findResidentByEmail(db, link.email);
    const created = !resident;
    if (!resident) {
      if (!link.municipality_id) {
        throw new DomainError(
          'municipality_required',
          'invalid',
          'Choose your municipality to sign up.',
        );
      }
      resident = await registerResident(tx, {
        email: link.email,
        municipalityId: link.municipality_id,
        locale: link.locale,
      });
    }
    const issued = await issueSession(tx, 'resident', resident.id, resident.municipalityId);
    return { ...issued, resident, created };
  });
}

/**
 * Creates a resident with a member code and a wallet, or returns the one with this address (the
 * seed and registration at the desk use it directly; a resident registered at the desk may have no
 * address). Outcomes: the resident; `invalid_input`; `municipality_not_found`.
 */
export async function registerResident(
  ctx: ServiceContext,
  input: {
    email: string | null;
    municipalityId: string;
    locale: Locale;
    displayName?: string | null;
  },
): Promise<Resident> {
  const email = input.email === null ? null : normalizeEmail(input.email);
  if (email === undefined)
    throw invalidInput([
      { field: 'email', code: 'email', message: 'This is not an email address.' },
    ]);
  return inTransaction(ctx.db, async (db) => {
    const tx = { ...ctx, db };
    const existing = email === null ? undefined : await repo.findResidentByEmail(db, email);
    if (existing) return existing;
    if (!(await findMunicipalityById(tx, input.municipalityId))) {
      throw new DomainError('municipality_not_found', 'not_found', 'No such municipality.');
    }
    const now = ctx.clock.now();
    const resident: Resident = {
      id: newId('res', now),
      municipalityId: input.municipalityId,
      email,
      displayName: input.displayName?.trim() || null,
      preferredLocale: input.locale,
      memberCode: newMemberCode(),
      createdAt: now.toISOString(),
    };
    await repo.insertResident(db, resident);
    await ledger.openAccount(tx, {
      municipalityId: resident.municipalityId,
      kind: 'wallet',
      ownerId: resident.id,
    });
    return resident;
  });
}

/**
 * Starts a session for a signed-in subject (after an email link or a passkey): the token goes
 * to the client once, only its hash is stored. Outcome: the token and the session.
 */
export async function issueSession(
  ctx: ServiceContext,
  subjectKind: Session['subjectKind'],
  subjectId: string,
  municipalityId: string | null,
): Promise<IssuedSession> {
  const now = ctx.clock.now();
  const token = newToken();
  const session: Session = {
    id: newId('ses', now),
    subjectKind,
    subjectId,
    municipalityId,
    idleExpiresAt: addDays(now, SESSION_IDLE_DAYS).toISOString(),
    absoluteExpiresAt: addDays(now, SESSION_ABSOLUTE_DAYS).toISOString(),
  };
  await repo.insertSession(ctx.db, session, hashToken(token), now.toISOString());
  return { token, session };
}

/**
 * The live session a token belongs to, or undefined (unknown, forged, revoked or expired).
 * Extends the idle expiry, writing at most every few minutes.
 */
export async function resolveSession(
  ctx: ServiceContext,
  token: unknown,
): Promise<Session | undefined> {
  if (!looksLikeToken(token)) return undefined;
  const now = ctx.clock.now();
  const found = await repo.findLiveSession(ctx.db, hashToken(token), now.toISOString());
  if (!found) return undefined;
  if (now.getTime() - new Date(found.lastSeenAt).getTime() > SESSION_TOUCH_MS) {
    const idle = addDays(now, SESSION_IDLE_DAYS).toISOString();
    await repo.touchSession(ctx.db, found.session.id, now.toISOString(), idle);
    found.session.idleExpiresAt = idle;
  }
  return found.session;
}

/** Ends the session of this token (nothing happens for an unknown one). */
export async function signOut(ctx: ServiceContext, token: unknown): Promise<void> {
  if (looksLikeToken(token))
    await repo.revokeSessionByHash(ctx.db, hashToken(token), ctx.clock.now().toISOString());
}

/** Ends every session of the signed-in resident or user; returns how many. */
export async function signOutEverywhere(ctx: ServiceContext): Promise<number> {
  const { actor } = ctx;
  const now = ctx.clock.now().toISOString();
  if (actor.kind === 'resident') {
    return repo.revokeSessionsOf(ctx.db, 'resident', actor.residentId, now);
  }
  if (actor.kind === 'staff' || actor.kind === 'operator' || actor.kind === 'partner_user') {
    return repo.revokeSessionsOf(ctx.db, 'staff', actor.userId, now);
  }
  throw notSignedIn();
}

/** The signed-in resident; `not_signed_in` for anyone else. */
export async function getMe(ctx: ServiceContext): Promise<Resident> {
  const actor = requireResident(ctx);
  const resident = await repo.findResidentById(ctx.db, actor.residentId);
  if (!resident) throw notSignedIn();
  return resident;
}

/** The signed-in resident's points: spendable, held, and what expires when. */
export async function getMyWallet(ctx: ServiceContext): Promise<Wallet> {
  return walletOf(ctx, await getMe(ctx));
}

/** The signed-in resident's point movements, newest first, a page at a time. */
export async function getMyWalletHistory(
  ctx: ServiceContext,
  page: { limit?: number; before?: string },
): Promise<WalletHistoryPage> {
  return historyOf(ctx, await getMe(ctx), page);
}

/**
 * Finds a resident of the municipality by member code (as typed or scanned) or email address,
 * for staff at the desk. Outcomes: the resident or undefined; `invalid_input`; `not_signed_in`,
 * `permission_denied`, `not_found`.
 */
export async function findResidentForStaff(
  ctx: ServiceContext,
  municipalityId: string,
  by: { memberCode?: string; email?: string },
): Promise<Resident | undefined> {
  authorize(ctx, 'residents.read', municipalityId);
  let found: Resident | undefined;
  if (by.memberCode !== undefined) {
    const code = normalizeMemberCode(by.memberCode);
    if (!code) {
      throw invalidInput([
        { field: 'memberCode', code: 'member_code', message: 'This is not a member code.' },
      ]);
    }
    found = await repo.findResidentByMemberCode(ctx.db, code);
  } else if (by.email !== undefined) {
    const email = normalizeEmail(by.email);
    if (!email) {
      throw invalidInput([
        { field: 'email', code: 'email', message: 'This is not an email address.' },
      ]);
    }
    found = await repo.findResidentByEmail(ctx.db, email);
  } else {
    throw invalidInput([
      { field: 'memberCode', code: 'required', message: 'Give a member code or an email address.' },
    ]);
  }
  return found?.municipalityId === municipalityId ? found : undefined;
}

/**
 * A resident's wallet, for staff of their municipality. Outcomes: the resident and wallet;
 * `resident_not_found` (also for another municipality's resident); `not_signed_in`,
 * `permission_denied`, `not_found`.
 */
export async function getResidentWallet(
  ctx: ServiceContext,
  municipalityId: string,
  residentId: string,
): Promise<{ resident: Resident; wallet: Wallet }> {
  const resident = await getResidentOfMunicipality(ctx, municipalityId, residentId);
  return { resident, wallet: await walletOf(ctx, resident) };
}

/** A resident's point movements, for staff of their municipality; outcomes as getResidentWallet. */
export async function getResidentWalletHistory(
  ctx: ServiceContext,
  municipalityId: string,
  residentId: string,
  page: { limit?: number; before?: string },
): Promise<WalletHistoryPage> {
  return historyOf(ctx, await getResidentOfMunicipality(ctx, municipalityId, residentId), page);
}

/**
 * A resident of the municipality, for staff holding `permission` there. Outcomes: the resident;
 * `resident_not_found` (also for another municipality's, or a deleted, resident);
 * `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function getResidentOfMunicipality(
  ctx: ServiceContext,
  municipalityId: string,
  id: string,
  permission: 'residents.read' | 'residents.register' = 'residents.read',
): Promise<Resident> {
  authorize(ctx, permission, municipalityId);
  const resident = await repo.findResidentById(ctx.db, id);
  if (!resident || resident.municipalityId !== municipalityId) {
    throw new DomainError('resident_not_found', 'not_found', 'No such resident here.');
  }
  return resident;
}

async function walletAccount(ctx: ServiceContext, resident: Resident) {
  return ledger.openAccount(ctx, {
    municipalityId: resident.municipalityId,
    kind: 'wallet',
    ownerId: resident.id,
  });
}

async function walletOf(ctx: ServiceContext, resident: Resident): Promise<Wallet> {
  const account = await walletAccount(ctx, resident);
  const municipality = await findMunicipalityById(ctx, resident.municipalityId);
  return {
    points: ledger.availablePoints(account),
    held: account.debitsPending,
    pointValueCents: municipality?.pointValueCents ?? 0,
    expiring: await ledger.listExpiringPoints(ctx, account.id),
  };
}

async function historyOf(
  ctx: ServiceContext,
  resident: Resident,
  page: { limit?: number; before?: string },
): Promise<WalletHistoryPage> {
  const account = await walletAccount(ctx, resident);
  const transfers = await ledger.listAccountTransfers(ctx, account.id, page);
  return {
    items: transfers.items.map((t) => walletMovement(t, account.id)),
    next: transfers.nextCursor,
  };
}

function requireResident(ctx: ServiceContext) {
  if (ctx.actor.kind !== 'resident') throw notSignedIn();
  return ctx.actor;
}

function notSignedIn() {
  return new DomainError('not_signed_in', 'unauthenticated', 'Sign in first.');
}
