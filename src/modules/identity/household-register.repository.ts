import type { Selectable } from 'kysely';
import type { Db } from '../../storage/database.js';
import type { HouseholdRegisterTable } from '../../storage/schema.js';
import type { RegisterEntry, RegisterEntryStatus, RegisterSummary } from './identity.types.js';

/** SQL for the municipal household register. */

type Row = Selectable<HouseholdRegisterTable>;

/** Rows per statement for batched writes: well under both dialects' bound-parameter limits. */
const BATCH = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

/** Every entry of a municipality (for an import to compare against). */
export async function listAllEntries(db: Db, municipalityId: string): Promise<Row[]> {
  return db
    .selectFrom('household_register')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .execute();
}

export async function insertEntries(
  db: Db,
  rows: {
    id: string;
    municipalityId: string;
    reference: string;
    address: string;
    members: number;
    locale: RegisterEntry['locale'];
    now: string;
  }[],
) {
  for (const batch of chunks(rows)) {
    await db
      .insertInto('household_register')
      .values(
        batch.map((row) => ({
          id: row.id,
          municipality_id: row.municipalityId,
          reference: row.reference,
          address: row.address,
          members: row.members,
          locale: row.locale,
          code_hash: null,
          code_issued_at: null,
          verified_household_id: null,
          verified_at: null,
          in_register: 1,
          imported_at: row.now,
          created_at: row.now,
        })),
      )
      .execute();
  }
}

/** Applies a changed row of the file; a new address makes the code of an earlier letter void. */
export async function updateEntry(
  db: Db,
  id: string,
  change: {
    address: string;
    members: number;
    locale: RegisterEntry['locale'];
    clearCode: boolean;
    now: string;
  },
) {
  await db
    .updateTable('household_register')
    .set({
      address: change.address,
      members: change.members,
      locale: change.locale,
      in_register: 1,
      imported_at: change.now,
      ...(change.clearCode && { code_hash: null, code_issued_at: null }),
    })
    .where('id', '=', id)
    .execute();
}

/** Marks every entry still listed as imported now (one statement for the unchanged rows). */
export async function touchListedEntries(
  db: Db,
  municipalityId: string,
  ids: string[],
  now: string,
) {
  for (const batch of chunks(ids)) {
    await db
      .updateTable('household_register')
      .set({ imported_at: now, in_register: 1 })
      .where('municipality_id', '=', municipalityId)
      .where('id', 'in', batch)
      .execute();
  }
}

export async function deleteEntries(db: Db, municipalityId: string, ids: string[]) {
  for (const batch of chunks(ids)) {
    await db
      .deleteFrom('household_register')
      .where('municipality_id', '=', municipalityId)
      .where('id', 'in', batch)
      .where('verified_household_id', 'is', null)
      .execute();
  }
}

export async function markNotInRegister(db: Db, municipalityId: string, ids: string[]) {
  for (const batch of chunks(ids)) {
    await db
      .updateTable('household_register')
      .set({ in_register: 0 })
      .where('municipality_id', '=', municipalityId)
      .where('id', 'in', batch)
      .execute();
  }
}

export async function summarize(db: Db, municipalityId: string): Promise<RegisterSummary> {
  const row = await db
    .selectFrom('household_register')
    .select((eb) => [
      eb.fn.sum<number>('in_register').as('households'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('verified_at', 'is not', null), eb('in_register', '=', 1)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('verified'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('code_hash', 'is not', null), eb('verified_at', 'is', null)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('letters'),
      eb.fn.sum<number>(eb.case().when('in_register', '=', 0).then(1).else(0).end()).as('gone'),
      eb.fn.max('imported_at').as('last'),
    ])
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirstOrThrow();
  return {
    households: Number(row.households ?? 0),
    verified: Number(row.verified ?? 0),
    lettersWaiting: Number(row.letters ?? 0),
    noLongerInRegister: Number(row.gone ?? 0),
    lastImportAt: row.last ? new Date(row.last).toISOString() : null,
  };
}

const statusFilters: Record<RegisterEntryStatus, (q: EntryQuery) => EntryQuery> = {
  no_letter: (q) =>
    q.where('verified_at', 'is', null).where('code_hash', 'is', null).where('in_register', '=', 1),
  letter_printed: (q) =>
    q
      .where('verified_at', 'is', null)
      .where('code_hash', 'is not', null)
      .where('in_register', '=', 1),
  verified: (q) => q.where('verified_at', 'is not', null).where('in_register', '=', 1),
  not_in_register: (q) => q.where('in_register', '=', 0),
};

type EntryQuery = ReturnType<typeof entries>;
const entries = (db: Db, municipalityId: string) =>
  db.selectFrom('household_register').where('municipality_id', '=', municipalityId);

/** One page of entries by reference, optionally only those of one status, and how many match. */
export async function listEntries(
  db: Db,
  municipalityId: string,
  query: { offset: number; limit: number; status?: RegisterEntryStatus },
): Promise<{ items: RegisterEntry[]; total: number }> {
  const filter = query.status ? statusFilters[query.status] : (q: EntryQuery) => q;
  const rows = await filter(entries(db, municipalityId))
    .selectAll()
    .orderBy('reference')
    .offset(query.offset)
    .limit(query.limit)
    .execute();
  const count = await filter(entries(db, municipalityId))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { items: rows.map(toEntry), total: Number(count.n) };
}

/** Entries that can get a letter (listed and not verified), all or those with these references. */
export async function findLetterEntries(
  db: Db,
  municipalityId: string,
  references: string[] | undefined,
): Promise<RegisterEntry[]> {
  const query = entries(db, municipalityId)
    .where('verified_at', 'is', null)
    .where('in_register', '=', 1);
  const rows: Row[] = [];
  if (references === undefined) {
    rows.push(...(await query.selectAll().orderBy('reference').execute()));
  } else {
    for (const batch of chunks(references)) {
      rows.push(...(await query.selectAll().where('reference', 'in', batch).execute()));
    }
    rows.sort((a, b) => (a.reference < b.reference ? -1 : 1));
  }
  return rows.map(toEntry);
}

/** References of this municipality's register, of those asked about. */
export async function existingReferences(
  db: Db,
  municipalityId: string,
  references: string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const batch of chunks(references)) {
    const rows = await entries(db, municipalityId)
      .select('reference')
      .where('reference', 'in', batch)
      .execute();
    for (const row of rows) found.add(row.reference);
  }
  return found;
}

export async function setCode(db: Db, id: string, codeHash: string, now: string) {
  await db
    .updateTable('household_register')
    .set({ code_hash: codeHash, code_issued_at: now })
    .where('id', '=', id)
    .where('verified_household_id', 'is', null)
    .execute();
}

export async function findEntryByCodeHash(
  db: Db,
  municipalityId: string,
  codeHash: string,
): Promise<RegisterEntry | undefined> {
  const row = await entries(db, municipalityId)
    .selectAll()
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
  return row && toEntry(row);
}

export async function findEntryOfHousehold(db: Db, householdId: string) {
  return db
    .selectFrom('household_register')
    .select(['id', 'reference'])
    .where('verified_household_id', '=', householdId)
    .executeTakeFirst();
}

/** Links the entry to the household unless another got there first; true when it did. */
export async function markVerified(db: Db, id: string, householdId: string, now: string) {
  const result = await db
    .updateTable('household_register')
    .set({ verified_household_id: householdId, verified_at: now })
    .where('id', '=', id)
    .where('verified_household_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function statusOf(row: Row): RegisterEntryStatus {
  if (row.in_register === 0) return 'not_in_register';
  if (row.verified_at) return 'verified';
  return row.code_hash ? 'letter_printed' : 'no_letter';
}

function toEntry(row: Row): RegisterEntry {
  return {
    id: row.id,
    reference: row.reference,
    address: row.address,
    members: row.members,
    locale: row.locale,
    status: statusOf(row),
    letterPrintedAt: row.verified_at ? null : row.code_issued_at,
    verifiedAt: row.verified_at,
    importedAt: row.imported_at,
  };
}
