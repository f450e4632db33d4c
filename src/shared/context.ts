import type { Db } from '../storage/database.js';
import type { Clock } from './clock.js';
import type { Locale } from './locales.js';

/** Who is acting. Later issues add residents, staff, partners and API keys. */
export type Actor =
  | { kind: 'public' }
  | { kind: 'system'; name: string }
  | { kind: 'operator_cli' };

/**
 * The acting context, first argument of every service function: where it runs (database
 * handle, possibly a transaction), who acts, in which language, and what time it is.
 */
export interface ServiceContext {
  db: Db;
  clock: Clock;
  locale: Locale;
  actor: Actor;
}

/** The same context running inside a transaction handle. */
export function withDb(ctx: ServiceContext, db: Db): ServiceContext {
  return db === ctx.db ? ctx : { ...ctx, db };
}
