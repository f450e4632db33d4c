import type { ServiceContext } from '../../shared/context.js';
import { lookUpInPieces } from '../../shared/lookup.js';
import * as repo from './identity.repository.js';
import { normalizeMemberCode } from './identity.rules.js';
import type { Resident } from './identity.types.js';
import { findUserById } from './users.repository.js';

/**
 * Residents as the earning side needs them: who earns, and in which household (limits per
 * household, participation). For other modules' services, which authorize their own callers
 * first; only active residents of the given municipality are ever found.
 */

export interface Earner {
  resident: Resident;
  householdId: string | null;
}

/** The active resident with this id or member code (as typed or scanned) here, if any. */
export async function findEarner(
  ctx: ServiceContext,
  municipalityId: string,
  by: { residentId: string } | { memberCode: string },
): Promise<Earner | undefined> {
  let found: Earner | undefined;
  if ('residentId' in by) {
    found = await repo.findResidentWithHousehold(ctx.db, { id: by.residentId });
  } else {
    const code = normalizeMemberCode(by.memberCode);
    found = code ? await repo.findResidentWithHousehold(ctx.db, { memberCode: code }) : undefined;
  }
  return found?.resident.municipalityId === municipalityId ? found : undefined;
}

/**
 * Many earners at once by member code (for imports): a map from each normalized code found
 * to its earner; codes that are malformed, unknown or of another municipality are absent.
 */
export async function findEarnersByMemberCodes(
  ctx: ServiceContext,
  municipalityId: string,
  memberCodes: readonly string[],
): Promise<Map<string, Earner>> {
  const codes = [
    ...new Set(memberCodes.map((code) => normalizeMemberCode(code)).filter((c) => c !== undefined)),
  ] as string[];
  return lookUpInPieces(codes, async (piece) => {
    const earners = await repo.findResidentsByMemberCodes(ctx.db, municipalityId, piece);
    return new Map(earners.map((earner) => [earner.resident.memberCode, earner]));
  });
}

/**
 * The member codes of these residents of the municipality, by resident id (for lists that show
 * a resident to a partner by member code only); ids of another municipality are absent.
 */
export async function memberCodesOf(
  ctx: ServiceContext,
  municipalityId: string,
  residentIds: readonly string[],
): Promise<Map<string, string>> {
  return lookUpInPieces(residentIds, (piece) =>
    repo.findMemberCodesByIds(ctx.db, municipalityId, piece),
  );
}

/**
 * The display names of these active residents of the municipality, by resident id, in one query
 * per 500 (a page of reports showing their reporters' names asked one resident at a time);
 * residents not found (another municipality, deleted) are absent, a name not set is null.
 */
export async function displayNamesOf(
  ctx: ServiceContext,
  municipalityId: string,
  residentIds: readonly string[],
): Promise<Map<string, string | null>> {
  return lookUpInPieces(residentIds, (piece) =>
    repo.findDisplayNamesByIds(ctx.db, municipalityId, piece),
  );
}

/** The normalized form of a member code, or undefined when it is not one. */
export function memberCodeOf(value: string): string | undefined {
  return normalizeMemberCode(value);
}

/**
 * The display name of a staff member or operator who decided something, for colleagues of the
 * same municipality (operators are named to everyone); undefined for anyone else.
 */
export async function deciderName(
  ctx: ServiceContext,
  municipalityId: string,
  userId: string,
): Promise<string | undefined> {
  const user = await findUserById(ctx.db, userId);
  if (!user) return undefined;
  if (user.kind === 'operator') return user.displayName;
  return user.kind === 'staff' && user.municipalityId === municipalityId
    ? user.displayName
    : undefined;
}
