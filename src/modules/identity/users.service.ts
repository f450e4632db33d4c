import type { Actor, ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Locale } from '../../shared/locales.js';
import { authorize, decide, refusal } from '../../shared/policy.js';
import {
  PARTNER_ROLES,
  type PartnerRole,
  STAFF_ROLES,
  type StaffRole,
} from '../../shared/roles.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import { sendEmail } from '../notifications/notifications.service.js';
import * as repo from './identity.repository.js';
import { normalizeEmail, SIGN_IN_LINK_MINUTES } from './identity.rules.js';
import { createLink, issueSession, useLinkOnce } from './identity.service.js';
import type { IssuedSession, Session, User } from './identity.types.js';
import * as users from './users.repository.js';

/**
 * Users: the people who work with CivicPoints — municipal staff with roles, operator admins of
 * the whole region, and partner organisations' users. They are invited by email (a link valid
 * for a week that activates the account), then sign in by an emailed link like residents do, and
 * act with their roles in their own municipality (or partner) only.
 */

/** An invitation link works this long. */
export const INVITE_DAYS = 7;

export type InviteInput =
  | { kind: 'staff'; municipalityId: string; roles: StaffRole[] }
  | { kind: 'operator' }
  | { kind: 'partner'; municipalityId: string; partnerId: string; roles: PartnerRole[] };

export interface InviteDetails {
  email: string;
  displayName: string;
  locale: Locale;
  /** Where the link points (PUBLIC_URL) and who asks (for the link rate limit). */
  publicUrl: string;
  ip: string;
  /** What the invitation names as the organisation, e.g. "Pelt" or "Zwembad De Lommel". */
  organisation: string;
}

/**
 * Invites a user and emails them the invitation. Staff need `staff.manage` in the municipality,
 * operators `region.manage`, partner users `partners.manage` in the municipality or
 * `partner.manage` of that partner. Outcomes: the user (status `invited`); `invalid_input`;
 * `user_exists` (the address already has an account); `not_signed_in`, `permission_denied`,
 * `not_found`.
 */
export async function inviteUser(
  ctx: ServiceContext,
  input: InviteInput,
  details: InviteDetails,
): Promise<User> {
  authorizeUserAdmin(ctx, input);
  const invited = await inTransaction(ctx.db, async (db) => {
    const tx = { ...ctx, db };
    const user = newUser(tx, input, details, 'invited');
    if (await users.findUserByEmail(db, user.email)) {
      throw new DomainError('user_exists', 'conflict', 'This address already has an account.');
    }
    await users.insertUser(db, user);
    await recordAudit(tx, {
      municipalityId: user.municipalityId,
      action: 'user.invited',
      subjectType: 'user',
      subjectId: user.id,
      after: auditView(user),
    });
    return user;
  });
  // After the commit: a slow mail server must not hold the transaction open.
  await sendInvitation(ctx, invited, details);
  return invited;
}

/**
 * Creates a user who is active at once, without an invitation email: for the demo seed and the
 * command line only (the system or operator CLI actor), to bootstrap accounts. Running it again
 * for the same address brings that account back to these roles and active. Outcomes: the user;
 * `invalid_input`; `user_exists` (the address has an account of another kind or place);
 * `permission_denied` for any other actor.
 */
export async function provisionActiveUser(
  ctx: ServiceContext,
  input: InviteInput,
  details: Pick<InviteDetails, 'email' | 'displayName' | 'locale'>,
): Promise<User> {
  if (ctx.actor.kind !== 'system' && ctx.actor.kind !== 'operator_cli') {
    throw refusal('forbidden');
  }
  return inTransaction(ctx.db, async (db) => {
    const tx = { ...ctx, db };
    const wanted = newUser(tx, input, details, 'active');
    const existing = await users.findUserByEmail(db, wanted.email);
    if (!existing) {
      await users.insertUser(db, wanted);
      await recordAudit(tx, {
        municipalityId: wanted.municipalityId,
        action: 'user.provisioned',
        subjectType: 'user',
        subjectId: wanted.id,
        after: auditView(wanted),
      });
      return wanted;
    }
    if (
      existing.kind !== wanted.kind ||
      existing.municipalityId !== wanted.municipalityId ||
      existing.partnerId !== wanted.partnerId
    ) {
      throw new DomainError('user_exists', 'conflict', 'This address already has an account.');
    }
    const same = existing.status === 'active' && existing.roles.join() === wanted.roles.join();
    if (same) return existing;
    const restored = { ...existing, roles: wanted.roles, status: 'active' } as User;
    const now = ctx.clock.now().toISOString();
    await users.updateUser(db, existing.id, { roles: restored.roles, status: 'active', now });
    await recordAudit(tx, {
      municipalityId: existing.municipalityId,
      action: 'user.updated',
      subjectType: 'user',
      subjectId: existing.id,
      before: auditView(existing),
      after: auditView(restored),
    });
    return restored;
  });
}

/** A new user record as `input` and `details` describe it; `invalid_input` for bad details. */
function newUser(
  ctx: ServiceContext,
  input: InviteInput,
  details: Pick<InviteDetails, 'email' | 'displayName' | 'locale'>,
  status: 'invited' | 'active',
): User {
  const email = normalizeEmail(details.email);
  const displayName = details.displayName.trim();
  const errors = [];
  if (!email)
    errors.push({ field: 'email', code: 'email', message: 'This is not an email address.' });
  if (!displayName)
    errors.push({ field: 'displayName', code: 'required', message: 'Give a name.' });
  if (input.kind !== 'operator') errors.push(...roleErrors(input.kind, input.roles));
  if (errors.length > 0 || !email) throw invalidInput(errors);
  const now = ctx.clock.now();
  const base = {
    id: newId('usr', now),
    email,
    displayName,
    preferredLocale: details.locale,
    status,
    invitedBy: 'userId' in ctx.actor ? ctx.actor.userId : null,
    createdAt: now.toISOString(),
    lastSignInAt: null,
  };
  switch (input.kind) {
    case 'operator':
      return {
        ...base,
        kind: 'operator',
        municipalityId: null,
        partnerId: null,
        roles: ['operator'],
      };
    case 'staff':
      return {
        ...base,
        kind: 'staff',
        municipalityId: input.municipalityId,
        partnerId: null,
        roles: unique(input.roles),
      };
    case 'partner':
      return {
        ...base,
        kind: 'partner',
        municipalityId: input.municipalityId,
        partnerId: input.partnerId,
        roles: unique(input.roles),
      };
  }
}

/**
 * Sends an invited user (within `scope`) a fresh invitation link; an earlier one keeps working
 * until it expires. Same permissions as inviting. Outcomes: nothing; `user_not_found` (also for
 * another scope's user); `user_not_invited`.
 */
export async function resendInvitation(
  ctx: ServiceContext,
  userId: string,
  scope: { municipalityId: string | null; partnerId?: string },
  details: { publicUrl: string; ip: string; organisationFor: (user: User) => string },
): Promise<void> {
  const user = await getManagedUser(ctx, userId, scope);
  if (user.status !== 'invited') {
    throw new DomainError('user_not_invited', 'conflict', 'This person already accepted.');
  }
  await sendInvitation(ctx, user, {
    publicUrl: details.publicUrl,
    ip: details.ip,
    organisation: details.organisationFor(user),
    email: user.email,
    displayName: user.displayName,
    locale: user.preferredLocale,
  });
}

async function sendInvitation(ctx: ServiceContext, user: User, details: InviteDetails) {
  const { token } = await createLink(ctx, {
    email: user.email,
    municipalityId: user.municipalityId,
    locale: user.preferredLocale,
    ip: details.ip,
    purpose: 'user_invite',
    minutes: INVITE_DAYS * 24 * 60,
  });
  await sendEmail(ctx, {
    to: user.email,
    template: 'user_invite',
    locale: user.preferredLocale,
    ...(user.municipalityId !== null && { municipalityId: user.municipalityId }),
    params: {
      link: `${details.publicUrl}/work/sign-in#token=${token}`,
      organisation: details.organisation,
      days: String(INVITE_DAYS),
    },
  });
}

/**
 * Emails a user a sign-in link. Says the same whether or not the address has an active account
 * (no enumeration). Outcomes: `{ link }` when one was sent (for the development log);
 * `invalid_input`; `too_many_sign_in_links`.
 */
export async function requestUserSignInLink(
  ctx: ServiceContext,
  request: { email: string; locale: Locale; ip: string; publicUrl: string },
): Promise<{ link: string | null }> {
  const email = normalizeEmail(request.email);
  if (!email) {
    throw invalidInput([
      { field: 'email', code: 'email', message: 'This is not an email address.' },
    ]);
  }
  const user = await users.findUserByEmail(ctx.db, email);
  if (!user || user.status === 'disabled') return { link: null };
  const { token } = await createLink(ctx, {
    email,
    municipalityId: user.municipalityId,
    locale: user.preferredLocale,
    ip: request.ip,
    purpose: 'user',
    minutes: SIGN_IN_LINK_MINUTES,
  });
  const link = `${request.publicUrl}/work/sign-in#token=${token}`;
  await sendEmail(ctx, {
    to: email,
    template: 'sign_in_link',
    locale: user.preferredLocale,
    params: { link, minutes: String(SIGN_IN_LINK_MINUTES) },
  });
  return { link };
}

/**
 * Completes a user's sign-in (or accepts an invitation) with a link's token: the link is used
 * up, an invited account becomes active, a session starts. Outcomes: the session and the user;
 * `sign_in_link_invalid`, `sign_in_link_used`, `sign_in_link_expired`; `user_disabled`.
 */
export async function completeUserSignIn(
  ctx: ServiceContext,
  token: unknown,
): Promise<IssuedSession & { user: User }> {
  return inTransaction(ctx.db, async (db) => {
    const tx = { ...ctx, db };
    const link = await useLinkOnce(tx, token, ['user', 'user_invite']);
    const user = await users.findUserByEmail(db, link.email);
    if (!user) {
      throw new DomainError(
        'sign_in_link_invalid',
        'unauthenticated',
        'This sign-in link is not valid.',
      );
    }
    if (user.status === 'disabled') {
      throw new DomainError('user_disabled', 'forbidden', 'This account is switched off.');
    }
    return beginUserSession(tx, user, 'invitation');
  });
}

/**
 * Starts a session for the staff member of `municipalityId` with this address, for a sign-in
 * that the municipality's own identity provider vouched for (OIDC): an invited account becomes
 * active (nobody is created: staff are invited by an admin). Outcomes: the session and the
 * user; `user_not_found` (no active or invited staff member of that municipality has it).
 */
export async function signInStaffVouchedFor(
  ctx: ServiceContext,
  municipalityId: string,
  email: string,
): Promise<IssuedSession & { user: User }> {
  return inTransaction(ctx.db, async (db) => {
    const tx = { ...ctx, db };
    const address = normalizeEmail(email);
    const user = address ? await users.findUserByEmail(db, address) : undefined;
    if (
      user?.kind !== 'staff' ||
      user.municipalityId !== municipalityId ||
      user.status === 'disabled'
    ) {
      throw new DomainError(
        'user_not_found',
        'not_found',
        'No staff member of this municipality has this address.',
      );
    }
    return beginUserSession(tx, user, 'single_sign_on');
  });
}

/** Marks a user signed in (activating an invited one, in the audit log) and starts a session. */
async function beginUserSession(
  tx: ServiceContext,
  user: User,
  via: 'invitation' | 'single_sign_on',
): Promise<IssuedSession & { user: User }> {
  const now = tx.clock.now().toISOString();
  const activated: User = { ...user, status: 'active', lastSignInAt: now };
  await users.updateUser(tx.db, user.id, { status: 'active', now, lastSignInAt: now });
  if (user.status === 'invited') {
    await recordAudit(
      { ...tx, actor: actorOf(activated, via) },
      {
        municipalityId: user.municipalityId,
        action: 'user.accepted_invitation',
        subjectType: 'user',
        subjectId: user.id,
        before: { status: 'invited' },
        after: { status: 'active' },
      },
    );
  }
  const issued = await issueSession(tx, 'staff', user.id, user.municipalityId);
  return { ...issued, user: activated };
}

/**
 * The acting identity of a user's live session; undefined when the user is gone or switched off
 * (their sessions stop working at once, not at expiry).
 */
export async function actorForUserSession(
  ctx: ServiceContext,
  session: Session,
): Promise<Actor | undefined> {
  const user = await users.findUserById(ctx.db, session.subjectId);
  if (user?.status !== 'active') return undefined;
  return actorOf(user, session.id);
}

function actorOf(user: User, sessionId: string): Actor {
  switch (user.kind) {
    case 'operator':
      return { kind: 'operator', userId: user.id, sessionId };
    case 'staff':
      return {
        kind: 'staff',
        userId: user.id,
        municipalityId: user.municipalityId,
        roles: user.roles,
        sessionId,
      };
    case 'partner':
      return {
        kind: 'partner_user',
        userId: user.id,
        partnerId: user.partnerId,
        municipalityId: user.municipalityId,
        roles: user.roles,
        sessionId,
      };
  }
}

/** The signed-in user. Outcomes: the user; `not_signed_in`. */
export async function getMyUser(ctx: ServiceContext): Promise<User> {
  const { actor } = ctx;
  if (actor.kind !== 'staff' && actor.kind !== 'operator' && actor.kind !== 'partner_user') {
    throw new DomainError('not_signed_in', 'unauthenticated', 'Sign in first.');
  }
  const user = await users.findUserById(ctx.db, actor.userId);
  if (!user) throw new DomainError('not_signed_in', 'unauthenticated', 'Sign in first.');
  return user;
}

/** A municipality's staff. Outcomes: the list; `not_signed_in`, `permission_denied`, `not_found`. */
export async function listStaff(ctx: ServiceContext, municipalityId: string): Promise<User[]> {
  authorize(ctx, 'staff.read', municipalityId);
  return users.listUsers(ctx.db, { kind: 'staff', municipalityId });
}

/** The operator admins. Outcomes: the list; `not_signed_in`, `permission_denied`. */
export async function listOperators(ctx: ServiceContext): Promise<User[]> {
  authorize(ctx, 'region.manage');
  return users.listUsers(ctx.db, { kind: 'operator' });
}

/**
 * Every user of the region, or those of one municipality (its staff and its partners' users), for
 * operators and the command line. Outcomes: the list; `not_signed_in`, `permission_denied`.
 */
export async function listAllUsers(
  ctx: ServiceContext,
  filter: { municipalityId?: string } = {},
): Promise<User[]> {
  authorize(ctx, 'region.manage');
  return users.listUsers(
    ctx.db,
    filter.municipalityId === undefined
      ? { kind: 'any' }
      : { kind: 'municipality', municipalityId: filter.municipalityId },
  );
}

/**
 * A partner's users, for that partner's admin or the municipality's. Outcomes: the list;
 * `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function listPartnerUsers(
  ctx: ServiceContext,
  partner: { id: string; municipalityId: string },
): Promise<User[]> {
  authorizeUserAdmin(ctx, {
    kind: 'partner',
    municipalityId: partner.municipalityId,
    partnerId: partner.id,
    roles: [],
  });
  return users.listUsers(ctx.db, { kind: 'partner', partnerId: partner.id });
}

/**
 * Changes a user's roles or switches the account off or on again; switching off ends their
 * sessions. Nobody changes their own roles or status (so an admin cannot lock everyone out by
 * mistake). Outcomes: the user; `user_not_found` (also for another municipality's user);
 * `invalid_input`; `cannot_change_self`; `not_signed_in`, `permission_denied`.
 */
export async function updateUser(
  ctx: ServiceContext,
  userId: string,
  changes: { roles?: string[]; status?: 'active' | 'disabled' },
  scope: { municipalityId: string | null; partnerId?: string },
): Promise<User> {
  return inTransaction(ctx.db, async (db) => {
    const tx = { ...ctx, db };
    const user = await getManagedUser(tx, userId, scope);
    if ('userId' in ctx.actor && ctx.actor.userId === user.id) {
      throw new DomainError(
        'cannot_change_self',
        'forbidden',
        'Ask another admin to change your own account.',
      );
    }
    if (changes.roles !== undefined) {
      if (user.kind === 'operator') {
        throw invalidInput([
          { field: 'roles', code: 'enum', message: 'Operators have no roles to change.' },
        ]);
      }
      const errors = roleErrors(user.kind, changes.roles);
      if (errors.length > 0) throw invalidInput(errors);
    }
    const now = ctx.clock.now().toISOString();
    const next = {
      ...user,
      ...(changes.roles !== undefined && { roles: unique(changes.roles) }),
      ...(changes.status !== undefined && {
        status:
          changes.status === 'active' && user.lastSignInAt === null ? 'invited' : changes.status,
      }),
    } as User;
    await users.updateUser(db, user.id, { roles: next.roles, status: next.status, now });
    if (next.status === 'disabled') await repo.revokeSessionsOf(db, 'staff', user.id, now);
    await recordAudit(tx, {
      municipalityId: user.municipalityId,
      action: 'user.updated',
      subjectType: 'user',
      subjectId: user.id,
      before: auditView(user),
      after: auditView(next),
    });
    return next;
  });
}

/**
 * The user with this id if the actor may manage them, within the given scope (a municipality's
 * staff, a partner's users, or the operators); `user_not_found` otherwise, so ids of other
 * municipalities reveal nothing.
 */
async function getManagedUser(
  ctx: ServiceContext,
  userId: string,
  scope?: { municipalityId: string | null; partnerId?: string },
): Promise<User> {
  const user = await users.findUserById(ctx.db, userId);
  const notFound = () => new DomainError('user_not_found', 'not_found', 'No such user.');
  if (!user) throw notFound();
  if (
    scope &&
    (user.municipalityId !== scope.municipalityId || (scope.partnerId ?? null) !== user.partnerId)
  ) {
    throw notFound();
  }
  const input: InviteInput =
    user.kind === 'operator'
      ? { kind: 'operator' }
      : user.kind === 'staff'
        ? { kind: 'staff', municipalityId: user.municipalityId, roles: [] }
        : {
            kind: 'partner',
            municipalityId: user.municipalityId,
            partnerId: user.partnerId,
            roles: [],
          };
  const decision = userAdminDecision(ctx, input);
  if (decision === 'not_found') throw notFound();
  if (decision !== 'allow') authorizeUserAdmin(ctx, input);
  return user;
}

function userAdminDecision(ctx: ServiceContext, input: InviteInput) {
  if (input.kind === 'operator') return decide(ctx.actor, 'region.manage');
  if (input.kind === 'staff') return decide(ctx.actor, 'staff.manage', input.municipalityId);
  const asMunicipality = decide(ctx.actor, 'partners.manage', input.municipalityId);
  if (asMunicipality === 'allow') return 'allow';
  const { actor } = ctx;
  if (actor.kind === 'partner_user' || actor.kind === 'api_key') {
    if (actor.partnerId !== input.partnerId) return 'not_found';
    return decide(actor, 'partner.manage');
  }
  return asMunicipality;
}

function authorizeUserAdmin(ctx: ServiceContext, input: InviteInput) {
  const decision = userAdminDecision(ctx, input);
  if (decision === 'allow') return;
  if (input.kind === 'operator') authorize(ctx, 'region.manage');
  else if (input.kind === 'staff') authorize(ctx, 'staff.manage', input.municipalityId);
  else if (decision === 'not_found')
    throw new DomainError('not_found', 'not_found', 'There is nothing here.');
  else authorize(ctx, 'partners.manage', input.municipalityId);
}

function roleErrors(kind: 'staff' | 'partner', roles: readonly string[]) {
  const allowed: readonly string[] = kind === 'staff' ? STAFF_ROLES : PARTNER_ROLES;
  if (roles.length === 0) {
    return [{ field: 'roles', code: 'required', message: 'Give at least one role.' }];
  }
  const wrong = roles.filter((role) => !allowed.includes(role));
  return wrong.length > 0
    ? [
        {
          field: 'roles',
          code: 'enum',
          message: `Roles are ${allowed.join(', ')}; not ${wrong.join(', ')}.`,
        },
      ]
    : [];
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** What the audit log keeps of a user: no address beyond what identifies the account to staff. */
function auditView(user: User) {
  return {
    kind: user.kind,
    email: user.email,
    displayName: user.displayName,
    roles: user.roles,
    status: user.status,
    municipalityId: user.municipalityId,
    partnerId: user.partnerId,
  };
}
