import { sql } from 'kysely';
import type { ServiceContext } from '../../shared/context.js';
import { DomainError } from '../../shared/errors.js';
import { precompiled } from '../../storage/precompiled.js';
import { delayAfter, FORGET_AFTER_MS } from './auth-failures.rules.js';

/**
 * The failure counters behind the increasing delay, kept in the database so every API process
 * sees the same count. Keyed by what is attacked from where, e.g. `ip:203.0.113.9`.
 */

// Asked on every request with an API key: compiled once.
const blockedUntil = precompiled<{ key: string }, { blocked_until: string }>((db, param) =>
  db.selectFrom('auth_failures').select('blocked_until').where('key', '=', param('key')),
);

/** Throws `too_many_failures` (with the seconds to wait) while `key` is held back. */
export async function assertNotHeldBack(ctx: ServiceContext, key: string): Promise<void> {
  const [row] = (await blockedUntil(ctx.db, { key })).rows;
  const now = ctx.clock.now();
  if (row && Date.parse(row.blocked_until) > now.getTime()) {
    const seconds = Math.ceil((Date.parse(row.blocked_until) - now.getTime()) / 1000);
    throw new DomainError(
      'too_many_failures',
      'rate_limited',
      `Too many failed attempts; try again in ${seconds} seconds.`,
      { details: { retryAfterSeconds: seconds } },
    );
  }
}

/**
 * Counts one more failure for `key` and holds it back as the rules say. The count is one upsert
 * (as nextFailureCount: one more, or 1 after a quiet spell), so failures at the same moment on
 * several processes each count; the hold only ever grows.
 */
export async function recordFailure(ctx: ServiceContext, key: string): Promise<void> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  const forgottenBefore = new Date(now.getTime() - FORGET_AFTER_MS).toISOString();
  const counted = await ctx.db
    .insertInto('auth_failures')
    .values({ key, failures: 1, last_failure_at: at, blocked_until: at })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when auth_failures.last_failure_at >= ${forgottenBefore}
          then auth_failures.failures + 1 else 1 end`,
        last_failure_at: at,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  const delay = delayAfter(counted.failures);
  if (delay === 0) return;
  const until = new Date(now.getTime() + delay * 1000).toISOString();
  await ctx.db
    .updateTable('auth_failures')
    .set({ blocked_until: until })
    .where('key', '=', key)
    .where('blocked_until', '<', until)
    .execute();
}

/** Forgets the failures of `key` after a success. */
export async function clearFailures(ctx: ServiceContext, key: string): Promise<void> {
  await ctx.db.deleteFrom('auth_failures').where('key', '=', key).execute();
}
