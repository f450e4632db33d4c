import type { Db, Storage } from '../storage/database.js';
import { type Clock, systemClock } from './clock.js';
import type { Locale } from './locales.js';

/** Who is acting. Later issues add residents, staff, partners and API keys. */
export type Actor =
  | { kind: 'public' }
  | { kind: 'system'; name: string }
  | { kind: 'operator_cli' }
  | { kind: 'resident'; residentId: string; municipalityId: string; sessionId: string };

/**
 * The acting context, first argument of every service function: where it runs (the database
 * handle, possibly a transaction, and the storage it belongs to), who acts, in which language,
 * and what time it is.
 */
export interface ServiceContext {
  db: Db;
  storage: Storage;
  clock: Clock;
  locale: Locale;
  actor: Actor;
}

/** A context on the storage's own handle (not in a transaction). */
export function createContext(
  storage: Storage,
  options: { actor: Actor; clock?: Clock; locale?: Locale },
): ServiceContext {
  return {
    db: storage.db,
    storage,
    clock: options.clock ?? systemClock,
    locale: options.locale ?? 'en',
    actor: options.actor,
  };
}

/** The same context running inside a transaction handle. */
export function withDb(ctx: ServiceContext, db: Db): ServiceContext {
  return db === ctx.db ? ctx : { ...ctx, db };
}
