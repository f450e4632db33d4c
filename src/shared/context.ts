import type { Db, Storage } from '../storage/database.js';
import { type Clock, systemClock } from './clock.js';
import type { Locale } from './locales.js';
import type { ApiKeyScope, PartnerRole, StaffRole } from './roles.js';

/**
 * Who is acting. Residents, staff, operator admins and partner users act through a session; a
 * partner's system through an API key; the CLI and background work as themselves.
 */
export type Actor =
  | { kind: 'public' }
  | { kind: 'system'; name: string }
  | { kind: 'operator_cli' }
  | { kind: 'resident'; residentId: string; municipalityId: string; sessionId: string }
  | {
      kind: 'staff';
      userId: string;
      municipalityId: string;
      roles: StaffRole[];
      sessionId: string;
    }
  | { kind: 'operator'; userId: string; sessionId: string }
  | {
      kind: 'partner_user';
      userId: string;
      partnerId: string;
      municipalityId: string;
      roles: PartnerRole[];
      sessionId: string;
    }
  | {
      kind: 'api_key';
      keyId: string;
      partnerId: string;
      municipalityId: string;
      scopes: ApiKeyScope[];
    };

/**
 * The acting context, first argument of every service function: where it runs (the database
 * handle, possibly a transaction, and the storage it belongs to), who acts, in which language,
 * what time it is, and which request it serves (for the audit log).
 */
export interface ServiceContext {
  db: Db;
  storage: Storage;
  clock: Clock;
  locale: Locale;
  actor: Actor;
  requestId?: string;
}

/** A context on the storage's own handle (not in a transaction). */
export function createContext(
  storage: Storage,
  options: { actor: Actor; clock?: Clock; locale?: Locale; requestId?: string },
): ServiceContext {
  return {
    db: storage.db,
    storage,
    clock: options.clock ?? systemClock,
    locale: options.locale ?? 'en',
    actor: options.actor,
    ...(options.requestId !== undefined && { requestId: options.requestId }),
  };
}

/** The same context running inside a transaction handle. */
export function withDb(ctx: ServiceContext, db: Db): ServiceContext {
  return db === ctx.db ? ctx : { ...ctx, db };
}
