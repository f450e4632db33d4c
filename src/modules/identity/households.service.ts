import type { ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { authorize } from '../../shared/policy.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { inTransaction } from '../../storage/transaction.js';
import * as register from './household-register.repository.js';
import { normalizeVerificationCode, verificationCodeHash } from './household-register.rules.js';
import * as repo from './households.repository.js';
import { newInviteCode, normalizeInviteCode } from './identity.rules.js';
import type { Household } from './identity.types.js';

/**
 * A resident belongs to at most one household, in their own municipality: they create it at an
 * address, and the people they live with join it with its invite code. A member proves the
 * address with the one-time code of a letter from the municipal register (see
 * household-register.service.ts), which marks the household verified.
 */

const MAX_ADDRESS_LENGTH = 200;

/** Who joins: a resident of a municipality. */
export interface Member {
  residentId: string;
  municipalityId: string;
}

function residentOf(ctx: ServiceContext): Member {
  if (ctx.actor.kind !== 'resident')
    throw new DomainError('not_signed_in', 'unauthenticated', 'Sign in first.');
  return ctx.actor;
}

/** The signed-in resident's household, or null. */
export async function getMyHousehold(ctx: ServiceContext): Promise<Household | null> {
  return (await repo.findHouseholdOf(ctx.db, residentOf(ctx).residentId)) ?? null;
}

/**
 * Creates a household at an address and makes the resident its first member. Outcomes: the
 * household; `invalid_input` (address); `already_in_household`.
 */
export async function createHousehold(
  ctx: ServiceContext,
  input: { address: string },
): Promise<Household> {
  return createFor(ctx, residentOf(ctx), input);
}

/**
 * Staff at the desk: creates a household at an address for a resident of their municipality.
 * Outcomes as createHousehold; `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function createHouseholdFor(
  ctx: ServiceContext,
  member: Member,
  input: { address: string },
): Promise<Household> {
  authorize(ctx, 'residents.register', member.municipalityId);
  return createFor(ctx, member, input);
}

async function createFor(ctx: ServiceContext, actor: Member, input: { address: string }) {
  const address =
    typeof input.address === 'string' ? input.address.trim().replace(/\s+/g, ' ') : '';
  if (address.length < 5 || address.length > MAX_ADDRESS_LENGTH) {
    throw invalidInput([
      {
        field: 'address',
        code: 'length',
        message: `An address is 5 to ${MAX_ADDRESS_LENGTH} characters.`,
      },
    ]);
  }
  return joinOnce(ctx, actor, async (db, now) => {
    const id = newId('hh', now);
    await repo.insertHousehold(db, {
      id,
      municipalityId: actor.municipalityId,
      address,
      inviteCode: newInviteCode(),
      now: now.toISOString(),
    });
    return id;
  });
}

/**
 * Joins the household with this invite code, in the resident's own municipality (a code from
 * elsewhere is simply not found). Outcomes: the household; `household_not_found`;
 * `already_in_household`.
 */
export async function joinHousehold(
  ctx: ServiceContext,
  input: { inviteCode: string },
): Promise<Household> {
  return joinFor(ctx, residentOf(ctx), input);
}

/**
 * Staff at the desk: adds a resident of their municipality to the household with this invite
 * code. Outcomes as joinHousehold; `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function joinHouseholdFor(
  ctx: ServiceContext,
  member: Member,
  input: { inviteCode: string },
): Promise<Household> {
  authorize(ctx, 'residents.register', member.municipalityId);
  return joinFor(ctx, member, input);
}

async function joinFor(ctx: ServiceContext, actor: Member, input: { inviteCode: string }) {
  const code = normalizeInviteCode(input.inviteCode);
  const notFound = () =>
    new DomainError('household_not_found', 'not_found', 'No household has this invite code.');
  if (!code) throw notFound();
  return joinOnce(ctx, actor, async (db) => {
    const household = await repo.findHouseholdByInviteCode(db, actor.municipalityId, code);
    if (!household) throw notFound();
    return household.id;
  });
}

/**
 * Proves the household's address with the code of a register letter of the resident's own
 * municipality: their household is linked to that register entry (and takes its address), or,
 * without one, a household is created at the register's address and they join it. A code works
 * once. Outcomes: the household; `verification_code_invalid` (unknown here: counts as a failed
 * attempt); `verification_code_used`; `household_already_verified`.
 */
export async function verifyHousehold(
  ctx: ServiceContext,
  input: { code: string },
): Promise<Household> {
  const actor = residentOf(ctx);
  const code = normalizeVerificationCode(input.code);
  if (!code) throw invalidCode();
  return inTransaction(ctx.db, async (db) => {
    const entry = await register.findEntryByCodeHash(
      db,
      actor.municipalityId,
      verificationCodeHash(actor.municipalityId, code),
    );
    if (!entry) throw invalidCode();
    if (entry.verifiedAt) throw codeUsed();
    const now = ctx.clock.now().toISOString();
    let household = await repo.findHouseholdOf(db, actor.residentId);
    if (household?.verifiedAt) throw alreadyVerified();
    if (!household) {
      household = await joinOnce({ ...ctx, db }, actor, async (tx, at) => {
        const id = newId('hh', at);
        await repo.insertHousehold(tx, {
          id,
          municipalityId: actor.municipalityId,
          address: entry.address,
          inviteCode: newInviteCode(),
          now: at.toISOString(),
        });
        return id;
      });
    }
    try {
      if (!(await register.markVerified(db, entry.id, household.id, now))) throw codeUsed();
    } catch (error) {
      // The household proved another entry at the same moment.
      if (isUniqueViolation(error)) throw alreadyVerified();
      throw error;
    }
    await repo.setVerified(db, household.id, entry.address, now);
    return (await repo.findHouseholdOf(db, actor.residentId))!;
  });
}

const invalidCode = () =>
  new DomainError(
    'verification_code_invalid',
    'not_found',
    'No letter of your municipality has this code. Check it and type it again.',
  );
const codeUsed = () =>
  new DomainError(
    'verification_code_used',
    'conflict',
    'This code was used already: the household at this address is verified. Ask its members for their invite code to join it.',
  );
const alreadyVerified = () =>
  new DomainError(
    'household_already_verified',
    'conflict',
    'Your household has proved its address already.',
  );

/** Leaves the household (the household stays for its other members). */
export async function leaveHousehold(ctx: ServiceContext): Promise<void> {
  await repo.deleteMember(ctx.db, residentOf(ctx).residentId);
}

/** Adds the resident to the household `pick` chooses, unless they already have one. */
async function joinOnce(
  ctx: ServiceContext,
  actor: Member,
  pick: (db: ServiceContext['db'], now: Date) => Promise<string>,
): Promise<Household> {
  const already = () =>
    new DomainError(
      'already_in_household',
      'conflict',
      'You are in a household already; leave it first.',
    );
  return inTransaction(ctx.db, async (db) => {
    if (await repo.findHouseholdOf(db, actor.residentId)) throw already();
    const now = ctx.clock.now();
    const householdId = await pick(db, now);
    try {
      await repo.insertMember(db, {
        residentId: actor.residentId,
        householdId,
        municipalityId: actor.municipalityId,
        now: now.toISOString(),
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw already();
      throw error;
    }
    return (await repo.findHouseholdOf(db, actor.residentId))!;
  });
}

/**
 * Households of the municipality by id, for finance's statements (tax reductions): the address,
 * the register reference (when verified) and the language letters go out in. For other modules'
 * services, which authorize their own callers first.
 */
export async function householdsForStatements(
  ctx: ServiceContext,
  municipalityId: string,
  householdIds: readonly string[],
): Promise<
  Map<
    string,
    { address: string; reference: string | null; locale: 'nl' | 'fr' | 'de' | 'en' | null }
  >
> {
  const rows = await repo.findHouseholdsForStatements(ctx.db, municipalityId, householdIds);
  return new Map(rows.map((row) => [row.id, row]));
}
