import type { ServiceContext } from '../../shared/context.js';
import type { Db } from '../../storage/database.js';
import type { Activity } from '../catalog/catalog.types.js';
import { findEarnersByMemberCodes } from '../identity/earners.service.js';
import type { Partner } from '../partners/partners.types.js';
import { type ImportDraft, placeImportedClaims } from './claims.batch.js';
import type { EarningSettings } from './claims.types.js';
import { type SeenKeys, visitInstant, visitKey } from './visit-imports.rules.js';
import type { VisitResult } from './visit-imports.types.js';
import type { VisitRow } from './visits-csv.js';

/**
 * One batch of visit rows (of a file, or the streams of one visit) into claims: each row's
 * waste stream names its activity, its member code the resident; the rest is the claims
 * batch path (claims.batch.ts). Every row gets a result; bad rows never stop the others.
 */

/** Who sends the visits and what they earn: fixed for a whole import. */
export interface VisitSender {
  municipalityId: string;
  partner: Partner;
  /** The activity each waste stream earns for this partner (visit-imports.rules streamActivities). */
  streams: Map<string, Activity>;
  settings: EarningSettings;
}

const DUPLICATE = {
  code: 'duplicate_visit',
  message: 'This visit and waste stream were imported before with another member code or weight.',
};

/** Refusals as the clerk who sent the file reads them (placeClaim's speak to the resident). */
const CLERK_MESSAGES: Record<string, string> = {
  limit_reached: "The resident has reached this activity's limit for the period.",
  claim_waiting:
    'A claim of the resident for this activity waits for a reviewer and would reach the limit.',
  cooldown: "Too soon after the resident's previous record for this activity (cooldown).",
  budget_spent: "The activity's budget for this period is spent.",
  yearly_cap_reached: 'The resident has earned the most points allowed this year.',
};

/**
 * Imports a batch of rows; one result per row, in order. `seen` remembers the keys of the
 * rows before (a key listed twice is a `duplicate_visit`); `inside` runs in the batch's
 * transaction with the results (an import run's progress and bad rows).
 */
export async function importVisitRows(
  ctx: ServiceContext,
  sender: VisitSender,
  rows: readonly VisitRow[],
  seen: SeenKeys,
  inside?: (db: Db, results: readonly VisitResult[]) => Promise<void>,
): Promise<VisitResult[]> {
  const now = ctx.clock.now().toISOString();
  const results: (VisitResult | undefined)[] = new Array(rows.length);
  const problem = (index: number, reason: string, message: string) => {
    const row = rows[index]!;
    results[index] = {
      line: row.line,
      visitId: row.ok ? row.visit.visitId : null,
      stream: row.ok ? row.visit.stream : null,
      status: 'problem',
      reason,
      message,
    };
  };
  const codes: string[] = [];
  const candidates: { index: number; activity: Activity; occurredAt: string }[] = [];
  rows.forEach((row, index) => {
    if (!row.ok) {
      problem(index, row.reason, row.message);
      return;
    }
    const activity = sender.streams.get(row.visit.stream);
    if (!activity) {
      problem(
        index,
        'unknown_stream',
        `No activity of this municipality takes the waste stream "${row.visit.stream}" from this partner.`,
      );
      return;
    }
    const occurredAt = visitInstant(row.visit.visitedAt);
    if (occurredAt > now) {
      problem(index, 'bad_date', `The visit time ${row.visit.visitedAt} is in the future.`);
      return;
    }
    codes.push(row.visit.memberCode);
    candidates.push({ index, activity, occurredAt });
  });
  const earners = await findEarnersByMemberCodes(ctx, sender.municipalityId, codes);
  const drafts: ImportDraft[] = [];
  const draftRows: number[] = [];
  for (const { index, activity, occurredAt } of candidates) {
    const row = rows[index]!;
    if (!row.ok) continue;
    const { visit } = row;
    const earner = earners.get(visit.memberCode);
    if (!earner) {
      // The code is not repeated: it may be another municipality's resident's (the line says where).
      problem(index, 'unknown_resident', 'No resident of this municipality has this member code.');
      continue;
    }
    const externalKey = visitKey(sender.partner.id, visit.visitId, visit.stream);
    const firstLine = seen.lineOf(externalKey);
    if (firstLine !== 0) {
      problem(
        index,
        'duplicate_visit',
        `Visit ${visit.visitId} lists the waste stream ${visit.stream} again (first on line ${firstLine}).`,
      );
      continue;
    }
    seen.add(externalKey, row.line);
    drafts.push({ activity, earner, quantityMilli: visit.kgMilli, occurredAt, externalKey });
    draftRows.push(index);
  }
  await placeImportedClaims(ctx, {
    municipalityId: sender.municipalityId,
    partnerId: sender.partner.id,
    drafts,
    settings: sender.settings,
    duplicate: DUPLICATE,
    inside: async (db, outcomes) => {
      outcomes.forEach((outcome, position) => {
        const index = draftRows[position]!;
        const row = rows[index]!;
        const where = {
          line: row.line,
          visitId: row.ok ? row.visit.visitId : null,
          stream: row.ok ? row.visit.stream : null,
        };
        switch (outcome.status) {
          case 'approved':
            results[index] = { ...where, ...outcome };
            break;
          case 'waiting':
          case 'already_imported':
            results[index] = { ...where, ...outcome };
            break;
          case 'refused':
            results[index] = {
              ...where,
              status: 'problem',
              reason: outcome.code,
              message: CLERK_MESSAGES[outcome.code] ?? outcome.message,
            };
        }
      });
      if (inside) await inside(db, results as VisitResult[]);
    },
  });
  return results as VisitResult[];
}
