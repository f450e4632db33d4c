import { randomBytes } from 'node:crypto';
import type { ServiceContext } from '../../shared/context.js';
import { actorIdentity, authorize } from '../../shared/policy.js';
import { sealingKeyOf } from '../../shared/sealing-key.js';
import { openSecret, sealSecret } from '../../shared/secret-box.js';
import type { Activity } from '../catalog/catalog.types.js';
import {
  assertNotHeldBack,
  clearFailures,
  recordFailure,
} from '../identity/auth-failures.service.js';
import { findOwnLocation, locationsOfPartners } from '../partners/partner-sites.service.js';
import type { PartnerLocation } from '../partners/partners.types.js';
import * as repo from './site-codes.repository.js';
import {
  isSiteCodeValid,
  normalizeSiteCode,
  SITE_CODE_SECRET_BYTES,
  siteCodeAt,
  windowAt,
  windowEnd,
} from './site-codes.rules.js';

/**
 * Rotating site codes shown at partner locations (a kiosk page at the till): a resident who types
 * the code while it is valid proves they were there. Each location has its own random secret,
 * sealed with SECRETS_KEY (like the OIDC client secret); it is never logged nor in an answer —
 * only the code of the minute is. Wrong codes count against the resident who typed them, with
 * the increasing delay of the sign-in failures, so codes cannot be guessed by trying.
 */

export interface SiteCode {
  locationId: string;
  locationName: string;
  code: string;
  /** When the kiosk shows the next code; this one is still accepted for a minute after. */
  validUntil: string;
  /** Seconds until validUntil, by the server's clock (a tablet's own clock may be off). */
  secondsLeft: number;
}

/**
 * The code a location of the acting partner shows now (its secret is made on first use).
 * Outcomes: the code; `location_not_found`; `partner_inactive`; `secrets_key_missing`;
 * `not_signed_in`, `permission_denied`.
 */
export async function getSiteCode(ctx: ServiceContext, locationId: string): Promise<SiteCode> {
  authorize(ctx, 'partner.read');
  const { location } = await findOwnLocation(ctx, locationId);
  const secret = await secretOf(ctx, location);
  const now = ctx.clock.now();
  const validUntil = windowEnd(windowAt(now));
  return {
    locationId: location.id,
    locationName: location.name,
    code: siteCodeAt(secret, now),
    validUntil: validUntil.toISOString(),
    secondsLeft: Math.max(1, Math.ceil((validUntil.getTime() - now.getTime()) / 1000)),
  };
}

/**
 * The location whose code `code` is now (this minute's or the last minute's), among the
 * locations of the activity's partner (`partnerId`, else every active partner of its
 * `partnerKind` in the municipality); null when it is none of them. A wrong code counts as a
 * failed attempt of the caller; a right one forgets their failures. Outcomes: the location id
 * or null; `too_many_failures` while the caller is held back; `secrets_key_missing`.
 */
export async function verifySiteCode(
  ctx: ServiceContext,
  activity: Activity,
  code: string,
): Promise<string | null> {
  const failures = failureKeyOf(ctx);
  await assertNotHeldBack(ctx, failures);
  const match = await matchingLocation(ctx, activity, code);
  if (match) {
    await clearFailures(ctx, failures);
    return match;
  }
  await recordFailure(ctx, failures);
  return null;
}

async function matchingLocation(
  ctx: ServiceContext,
  activity: Activity,
  typed: string,
): Promise<string | null> {
  const code = normalizeSiteCode(typed);
  const { partnerId, partnerKind } = activity.current;
  if (!code || (!partnerId && !partnerKind)) return null;
  const locations = await locationsOfPartners(
    ctx,
    activity.municipalityId,
    partnerId ? { partnerId } : { kind: partnerKind! },
  );
  const rows = await repo.findSecrets(
    ctx.db,
    activity.municipalityId,
    locations.map((l) => l.id),
  );
  const key = keyOf(ctx);
  const now = ctx.clock.now();
  for (const row of rows) {
    // A location that never showed a code has no secret, so no code of it can be right.
    const secret = openSecret(key, row.secret_sealed, sealContext(row.location_id));
    if (secret && isSiteCodeValid(Buffer.from(secret, 'base64'), code, now)) {
      return row.location_id;
    }
  }
  return null;
}

/** The location's secret, made (or made again, when it no longer opens) on first use. */
async function secretOf(ctx: ServiceContext, location: PartnerLocation): Promise<Buffer> {
  const key = keyOf(ctx);
  const context = sealContext(location.id);
  const fresh = () =>
    sealSecret(key, randomBytes(SITE_CODE_SECRET_BYTES).toString('base64'), context);
  let row = await repo.findSecret(ctx.db, location.municipalityId, location.id);
  if (!row) {
    await repo.insertSecretIfMissing(ctx.db, {
      location_id: location.id,
      municipality_id: location.municipalityId,
      partner_id: location.partnerId,
      secret_sealed: fresh(),
      created_at: ctx.clock.now().toISOString(),
    });
    row = (await repo.findSecret(ctx.db, location.municipalityId, location.id))!;
  }
  let opened = openSecret(key, row.secret_sealed, context);
  if (opened === undefined) {
    // Sealed under an earlier SECRETS_KEY: its codes cannot be checked any more, so start anew.
    await repo.replaceSecret(
      ctx.db,
      {
        location_id: location.id,
        secret_sealed: fresh(),
        created_at: ctx.clock.now().toISOString(),
      },
      row.secret_sealed,
    );
    row = (await repo.findSecret(ctx.db, location.municipalityId, location.id))!;
    opened = openSecret(key, row.secret_sealed, context);
    if (opened === undefined)
      throw new Error(`the site-code secret of ${location.id} does not open`);
  }
  return Buffer.from(opened, 'base64');
}

/** Binds a sealed secret to its location: copied into another row, it does not open. */
const sealContext = (locationId: string) => `site-code:${locationId}`;

function keyOf(ctx: ServiceContext): Buffer {
  return sealingKeyOf(ctx.storage);
}

/**
 * Whose failures a wrong code counts to: the signed-in resident (or whoever else asks), not the
 * address — residents at one site often share its Wi-Fi, and one who mistypes must not hold
 * back the others.
 */
function failureKeyOf(ctx: ServiceContext): string {
  const who = actorIdentity(ctx.actor);
  return `site-code:${who.kind}:${who.id}`;
}
