import type { ServiceContext } from '../../shared/context.js';
import { DomainError, type FieldError, invalidInput } from '../../shared/errors.js';
import { isLocale, type Locale } from '../../shared/locales.js';
import { authorize } from '../../shared/policy.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import * as households from './households.service.js';
import * as repo from './identity.repository.js';
import { normalizeEmail } from './identity.rules.js';
import { getResidentOfMunicipality, registerResident } from './identity.service.js';
import type { Household, Resident } from './identity.types.js';

/**
 * Assisted registration: staff at the municipal desk register a resident who has no email
 * address or smartphone (the member card is how they take part), optionally with a household,
 * and can add an email address later so the resident can sign in by link. The audit log records
 * who did it, with ids and non-personal fields only.
 */

export interface DeskRegistration {
  displayName: string;
  email?: string;
  locale: Locale;
  /** Create a household at this address… */
  address?: string;
  /** …or join the household with this invite code (not both). */
  inviteCode?: string;
}

const MAX_NAME_LENGTH = 100;

/**
 * Registers a resident of the municipality at the desk. Outcomes: the resident and their
 * household (or null); `invalid_input`; `resident_exists` (the email address has an account);
 * `household_not_found`; `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function registerAtDesk(
  ctx: ServiceContext,
  municipalityId: string,
  input: DeskRegistration,
): Promise<{ resident: Resident; household: Household | null }> {
  authorize(ctx, 'residents.register', municipalityId);
  const errors: FieldError[] = [];
  const displayName = typeof input.displayName === 'string' ? input.displayName.trim() : '';
  if (displayName.length < 1 || displayName.length > MAX_NAME_LENGTH) {
    errors.push({
      field: '/displayName',
      code: 'length',
      message: `A name is 1 to ${MAX_NAME_LENGTH} characters.`,
    });
  }
  const email = input.email === undefined ? null : normalizeEmail(input.email);
  if (email === undefined) {
    errors.push({ field: '/email', code: 'email', message: 'This is not an email address.' });
  }
  if (!isLocale(input.locale)) {
    errors.push({ field: '/locale', code: 'enum', message: 'Use nl, fr, de or en.' });
  }
  if (input.address !== undefined && input.inviteCode !== undefined) {
    errors.push({
      field: '/inviteCode',
      code: 'exclusive',
      message: 'Give an address for a new household or an invite code, not both.',
    });
  }
  if (errors.length > 0 || email === undefined) throw invalidInput(errors);

  try {
    return await inTransaction(ctx.db, async (db) => {
      const tx = { ...ctx, db };
      if (email !== null && (await repo.findResidentByEmail(db, email))) throw residentExists();
      const resident = await registerResident(tx, {
        email,
        municipalityId,
        locale: input.locale,
        displayName,
      });
      const member = { residentId: resident.id, municipalityId };
      let household: Household | null = null;
      if (input.address !== undefined) {
        household = await households.createHouseholdFor(tx, member, { address: input.address });
      } else if (input.inviteCode !== undefined) {
        household = await households.joinHouseholdFor(tx, member, {
          inviteCode: input.inviteCode,
        });
      }
      await recordAudit(tx, {
        municipalityId,
        action: 'resident.registered_at_desk',
        subjectType: 'resident',
        subjectId: resident.id,
        after: {
          preferredLocale: resident.preferredLocale,
          hasEmail: email !== null,
          householdId: household?.id ?? null,
          household: input.address !== undefined ? 'created' : input.inviteCode ? 'joined' : 'none',
        },
      });
      return { resident, household };
    });
  } catch (error) {
    // Someone signed up with this address at the same moment.
    if (isUniqueViolation(error)) throw residentExists();
    throw error;
  }
}

/**
 * Gives a resident registered without an email address one, so they can sign in by link.
 * An address they already have is not replaced (that would hand the account to another
 * address). Outcomes: the resident; `invalid_input`; `resident_exists` (the address has an
 * account); `email_already_set`; `resident_not_found`; `not_signed_in`, `permission_denied`,
 * `not_found`.
 */
export async function addResidentEmail(
  ctx: ServiceContext,
  municipalityId: string,
  residentId: string,
  input: { email: string },
): Promise<Resident> {
  const resident = await getResidentOfMunicipality(
    ctx,
    municipalityId,
    residentId,
    'residents.register',
  );
  const email = normalizeEmail(input.email);
  if (!email) {
    throw invalidInput([
      { field: '/email', code: 'email', message: 'This is not an email address.' },
    ]);
  }
  if (resident.email !== null) {
    throw emailAlreadySet();
  }
  try {
    return await inTransaction(ctx.db, async (db) => {
      if (await repo.findResidentByEmail(db, email)) throw residentExists();
      const now = ctx.clock.now().toISOString();
      if (!(await repo.addResidentEmail(db, resident.id, email, now))) throw emailAlreadySet();
      await recordAudit(
        { ...ctx, db },
        {
          municipalityId,
          action: 'resident.email_added',
          subjectType: 'resident',
          subjectId: resident.id,
          before: { hasEmail: false },
          after: { hasEmail: true },
        },
      );
      return { ...resident, email };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw residentExists();
    throw error;
  }
}

function residentExists() {
  return new DomainError(
    'resident_exists',
    'conflict',
    'This email address has an account already; the resident can sign in with it.',
  );
}

function emailAlreadySet() {
  return new DomainError(
    'email_already_set',
    'conflict',
    'This resident has an email address already.',
  );
}
