import type { Db } from '../../storage/database.js';
import type { Household } from './identity.types.js';

/** SQL for households and their members. */

export async function findHouseholdOf(db: Db, residentId: string): Promise<Household | undefined> {
  const row = await db
    .selectFrom('household_members as m')
    .innerJoin('households as h', 'h.id', 'm.household_id')
    .select([
      'h.id',
      'h.municipality_id',
      'h.address',
      'h.invite_code',
      'h.created_at',
      'h.verified_at',
    ])
    .where('m.resident_id', '=', residentId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    address: row.address,
    inviteCode: row.invite_code,
    members: await countMembers(db, row.id),
    createdAt: row.created_at,
    verified: row.verified_at !== null,
    verifiedAt: row.verified_at,
  };
}

export async function findHouseholdByInviteCode(
  db: Db,
  municipalityId: string,
  inviteCode: string,
) {
  return db
    .selectFrom('households')
    .select(['id'])
    .where('municipality_id', '=', municipalityId)
    .where('invite_code', '=', inviteCode)
    .executeTakeFirst();
}

async function countMembers(db: Db, householdId: string): Promise<number> {
  const row = await db
    .selectFrom('household_members')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('household_id', '=', householdId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertHousehold(
  db: Db,
  row: { id: string; municipalityId: string; address: string; inviteCode: string; now: string },
) {
  await db
    .insertInto('households')
    .values({
      id: row.id,
      municipality_id: row.municipalityId,
      address: row.address,
      invite_code: row.inviteCode,
      created_at: row.now,
      verified_at: null,
    })
    .execute();
}

/** Records that the household proved its address (the register's) at `now`. */
export async function setVerified(db: Db, householdId: string, address: string, now: string) {
  await db
    .updateTable('households')
    .set({ verified_at: now, address })
    .where('id', '=', householdId)
    .execute();
}

/** A verified household follows its register entry to a new address. */
export async function setAddress(db: Db, householdId: string, address: string) {
  await db.updateTable('households').set({ address }).where('id', '=', householdId).execute();
}

export async function insertMember(
  db: Db,
  row: { residentId: string; householdId: string; municipalityId: string; now: string },
) {
  await db
    .insertInto('household_members')
    .values({
      resident_id: row.residentId,
      household_id: row.householdId,
      municipality_id: row.municipalityId,
      joined_at: row.now,
    })
    .execute();
}

export async function deleteMember(db: Db, residentId: string) {
  await db.deleteFrom('household_members').where('resident_id', '=', residentId).execute();
}

/**
 * Households by id in the municipality, for statements: the address, the register reference
 * when a member proved the address, and a language (the register's, else a member's).
 */
export async function findHouseholdsForStatements(
  db: Db,
  municipalityId: string,
  householdIds: readonly string[],
) {
  if (householdIds.length === 0) return [];
  const rows = await db
    .selectFrom('households')
    .leftJoin('household_register', 'household_register.verified_household_id', 'households.id')
    .select([
      'households.id',
      'households.address',
      'household_register.reference',
      'household_register.locale',
      (eb) =>
        eb
          .selectFrom('household_members')
          .innerJoin('residents', 'residents.id', 'household_members.resident_id')
          .select('residents.preferred_locale')
          .whereRef('household_members.household_id', '=', 'households.id')
          .orderBy('household_members.joined_at')
          .limit(1)
          .as('member_locale'),
    ])
    .where('households.municipality_id', '=', municipalityId)
    .where('households.id', 'in', householdIds)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    address: row.address,
    reference: row.reference ?? null,
    locale: row.locale ?? row.member_locale ?? null,
  }));
}
