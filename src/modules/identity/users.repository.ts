import type { Db } from '../../storage/database.js';
import type { UsersTable } from '../../storage/schema.js';
import type { User } from './identity.types.js';

/** SQL for users: staff, operator admins and partner users. */

export function toUser(row: UsersTable): User {
  return {
    id: row.id,
    kind: row.kind,
    municipalityId: row.municipality_id,
    partnerId: row.partner_id,
    email: row.email,
    displayName: row.display_name,
    roles: JSON.parse(row.roles),
    preferredLocale: row.preferred_locale,
    status: row.status,
    invitedBy: row.invited_by,
    createdAt: row.created_at,
    lastSignInAt: row.last_sign_in_at,
  } as User;
}

export async function insertUser(db: Db, user: User) {
  await db
    .insertInto('users')
    .values({
      id: user.id,
      kind: user.kind,
      municipality_id: user.municipalityId,
      partner_id: user.partnerId,
      email: user.email,
      display_name: user.displayName,
      roles: JSON.stringify(user.roles),
      preferred_locale: user.preferredLocale,
      status: user.status,
      invited_by: user.invitedBy,
      created_at: user.createdAt,
      updated_at: user.createdAt,
      last_sign_in_at: null,
    })
    .execute();
}

export async function findUserById(db: Db, id: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toUser(row);
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', email)
    .executeTakeFirst();
  return row && toUser(row);
}

/**
 * Users of one scope: a municipality's staff, a partner's users, the operators, everyone of a
 * municipality (staff and partner users), or everyone.
 */
export async function listUsers(
  db: Db,
  scope:
    | { kind: 'staff'; municipalityId: string }
    | { kind: 'partner'; partnerId: string }
    | { kind: 'operator' }
    | { kind: 'municipality'; municipalityId: string }
    | { kind: 'any' },
): Promise<User[]> {
  let query = db.selectFrom('users').selectAll();
  if (scope.kind === 'staff' || scope.kind === 'partner' || scope.kind === 'operator') {
    query = query.where('kind', '=', scope.kind);
  }
  if (scope.kind === 'staff' || scope.kind === 'municipality') {
    query = query.where('municipality_id', '=', scope.municipalityId);
  }
  if (scope.kind === 'partner') query = query.where('partner_id', '=', scope.partnerId);
  const rows = await query.orderBy('display_name').orderBy('id').execute();
  return rows.map(toUser);
}

export async function updateUser(
  db: Db,
  id: string,
  changes: Partial<Pick<User, 'roles' | 'status' | 'displayName' | 'preferredLocale'>> & {
    now: string;
    lastSignInAt?: string;
  },
) {
  await db
    .updateTable('users')
    .set({
      updated_at: changes.now,
      ...(changes.roles !== undefined && { roles: JSON.stringify(changes.roles) }),
      ...(changes.status !== undefined && { status: changes.status }),
      ...(changes.displayName !== undefined && { display_name: changes.displayName }),
      ...(changes.preferredLocale !== undefined && { preferred_locale: changes.preferredLocale }),
      ...(changes.lastSignInAt !== undefined && { last_sign_in_at: changes.lastSignInAt }),
    })
    .where('id', '=', id)
    .execute();
}
