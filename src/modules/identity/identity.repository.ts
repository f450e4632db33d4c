import type { Db } from '../../storage/database.js';
import type { ResidentsTable, SessionsTable, SignInLinksTable } from '../../storage/schema.js';
import type { Resident, Session } from './identity.types.js';

/** SQL for residents, sessions and sign-in links. */

export function toResident(row: ResidentsTable): Resident {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    email: row.email,
    displayName: row.display_name,
    preferredLocale: row.preferred_locale,
    memberCode: row.member_code,
    createdAt: row.created_at,
  };
}

function toSession(row: SessionsTable): Session {
  return {
    id: row.id,
    subjectKind: row.subject_kind,
    subjectId: row.subject_id,
    municipalityId: row.municipality_id,
    idleExpiresAt: row.idle_expires_at,
    absoluteExpiresAt: row.absolute_expires_at,
  };
}

export async function countRecentLinks(
  db: Db,
  by: 'email' | 'requested_ip',
  value: string,
  since: string,
) {
  const row = await db
    .selectFrom('sign_in_links')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where(by, '=', value)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertLink(
  db: Db,
  row: {
    id: string;
    tokenHash: string;
    email: string;
    municipalityId: string | null;
    locale: Resident['preferredLocale'];
    ip: string;
    now: string;
    expiresAt: string;
    purpose: SignInLinksTable['purpose'];
  },
) {
  await db
    .insertInto('sign_in_links')
    .values({
      id: row.id,
      token_hash: row.tokenHash,
      email: row.email,
      municipality_id: row.municipalityId,
      locale: row.locale,
      requested_ip: row.ip,
      created_at: row.now,
      expires_at: row.expiresAt,
      used_at: null,
      purpose: row.purpose,
    })
    .execute();
}

export async function findLinkByHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('sign_in_links')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Marks the link used if nobody did first; true when this call did. */
export async function useLink(db: Db, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('sign_in_links')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findResidentByEmail(db: Db, email: string): Promise<Resident | undefined> {
  const row = await db
    .selectFrom('residents')
    .selectAll()
    .where('email', '=', email)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row && toResident(row);
}

export async function findResidentByMemberCode(
  db: Db,
  memberCode: string,
): Promise<Resident | undefined> {
  const row = await db
    .selectFrom('residents')
    .selectAll()
    .where('member_code', '=', memberCode)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row && toResident(row);
}

export async function findResidentById(db: Db, id: string): Promise<Resident | undefined> {
  const row = await db
    .selectFrom('residents')
    .selectAll()
    .where('id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row && toResident(row);
}

export async function insertResident(db: Db, resident: Resident) {
  await db
    .insertInto('residents')
    .values({
      id: resident.id,
      municipality_id: resident.municipalityId,
      email: resident.email,
      display_name: resident.displayName,
      preferred_locale: resident.preferredLocale,
      member_code: resident.memberCode,
      status: 'active',
      created_at: resident.createdAt,
      updated_at: resident.createdAt,
    })
    .execute();
}

export async function insertSession(db: Db, session: Session, tokenHash: string, now: string) {
  await db
    .insertInto('sessions')
    .values({
      id: session.id,
      token_hash: tokenHash,
      subject_kind: session.subjectKind,
      subject_id: session.subjectId,
      municipality_id: session.municipalityId,
      created_at: now,
      last_seen_at: now,
      idle_expires_at: session.idleExpiresAt,
      absolute_expires_at: session.absoluteExpiresAt,
      revoked_at: null,
    })
    .execute();
}

/** A session that is neither revoked nor past either expiry, with when it was last seen. */
export async function findLiveSession(db: Db, tokenHash: string, now: string) {
  const row = await db
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where('idle_expires_at', '>', now)
    .where('absolute_expires_at', '>', now)
    .executeTakeFirst();
  return row && { session: toSession(row), lastSeenAt: row.last_seen_at };
}

export async function touchSession(db: Db, id: string, now: string, idleExpiresAt: string) {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now, idle_expires_at: idleExpiresAt })
    .where('id', '=', id)
    .execute();
}

export async function revokeSessionByHash(db: Db, tokenHash: string, now: string) {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeSessionsOf(
  db: Db,
  kind: Session['subjectKind'],
  subjectId: string,
  now: string,
) {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('subject_kind', '=', kind)
    .where('subject_id', '=', subjectId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function updateResidentLocale(
  db: Db,
  id: string,
  locale: Resident['preferredLocale'],
  now: string,
) {
  await db
    .updateTable('residents')
    .set({ preferred_locale: locale, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .execute();
}

/** Gives a resident without an address one; false when they had one already (nothing changes). */
export async function addResidentEmail(
  db: Db,
  id: string,
  email: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('residents')
    .set({ email, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .where('email', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Erases what identifies a resident: no address, no name, a member code nobody was ever given;
 * the row (and its id, which the ledger's wallet account names) stays, marked deleted.
 */
export async function pseudonymiseResident(db: Db, id: string, memberCode: string, now: string) {
  await db
    .updateTable('residents')
    .set({
      email: null,
      display_name: null,
      member_code: memberCode,
      status: 'deleted',
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** Every session of a resident or user, newest first (their hashes left out). */
export async function listSessionsOf(db: Db, kind: Session['subjectKind'], subjectId: string) {
  return db
    .selectFrom('sessions')
    .select([
      'id',
      'created_at',
      'last_seen_at',
      'idle_expires_at',
      'absolute_expires_at',
      'revoked_at',
    ])
    .where('subject_kind', '=', kind)
    .where('subject_id', '=', subjectId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/**
 * Deletes every resident sign-in link ever sent to this address (a staff account's links, which
 * may share it, are the staff account's); returns how many.
 */
export async function deleteResidentLinksFor(db: Db, email: string): Promise<number> {
  const result = await db
    .deleteFrom('sign_in_links')
    .where('email', '=', email)
    .where('purpose', '=', 'resident')
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The active resident with this id or member code, with their household if any. */
export async function findResidentWithHousehold(
  db: Db,
  by: { id: string } | { memberCode: string },
): Promise<{ resident: Resident; householdId: string | null } | undefined> {
  let query = db
    .selectFrom('residents as r')
    .leftJoin('household_members as m', 'm.resident_id', 'r.id')
    .selectAll('r')
    .select('m.household_id')
    .where('r.status', '=', 'active');
  query =
    'id' in by ? query.where('r.id', '=', by.id) : query.where('r.member_code', '=', by.memberCode);
  const row = await query.executeTakeFirst();
  return row && { resident: toResident(row), householdId: row.household_id ?? null };
}

/** Active residents of a municipality with these member codes, with their household if any. */
export async function findResidentsByMemberCodes(
  db: Db,
  municipalityId: string,
  memberCodes: readonly string[],
): Promise<{ resident: Resident; householdId: string | null }[]> {
  if (memberCodes.length === 0) return [];
  const rows = await db
    .selectFrom('residents as r')
    .leftJoin('household_members as m', 'm.resident_id', 'r.id')
    .selectAll('r')
    .select('m.household_id')
    .where('r.municipality_id', '=', municipalityId)
    .where('r.status', '=', 'active')
    .where('r.member_code', 'in', memberCodes)
    .execute();
  return rows.map((row) => ({ resident: toResident(row), householdId: row.household_id ?? null }));
}

/** The member codes of these residents of the municipality (any status), by resident id. */
/** The display names of these active residents of the municipality, by id (null when unset). */
export async function findDisplayNamesByIds(
  db: Db,
  municipalityId: string,
  residentIds: readonly string[],
): Promise<Map<string, string | null>> {
  if (residentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('residents')
    .select(['id', 'display_name'])
    .where('municipality_id', '=', municipalityId)
    .where('status', '=', 'active')
    .where('id', 'in', residentIds)
    .execute();
  return new Map(rows.map((row) => [row.id, row.display_name]));
}

export async function findMemberCodesByIds(
  db: Db,
  municipalityId: string,
  residentIds: readonly string[],
): Promise<Map<string, string>> {
  if (residentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('residents')
    .select(['id', 'member_code'])
    .where('municipality_id', '=', municipalityId)
    .where('id', 'in', residentIds)
    .execute();
  return new Map(rows.map((row) => [row.id, row.member_code]));
}
