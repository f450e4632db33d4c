import type { ServiceContext } from '../../shared/context.js';
import { DomainError, type FieldError, invalidInput } from '../../shared/errors.js';
import { findEarnersByMemberCodes } from '../identity/earners.service.js';
import { importVisitRows } from './visit-imports.batch.js';
import { SeenKeys, visitInstant } from './visit-imports.rules.js';
import type { VisitResult } from './visit-imports.types.js';
import { scopeOf, senderFor, senderPartner } from './visit-senders.js';
import { parseVisitFields, type VisitRow } from './visits-csv.js';

/** One recycling-centre visit reported by the partner's system, through the import's batch path. */

export interface VisitInput {
  visitId: string;
  memberCode: string;
  visitedAt: string;
  streams: { stream: string; kg: number | string }[];
}

export interface VisitStreamResult {
  stream: string;
  status: 'approved' | 'waiting' | 'already_imported' | 'refused';
  points: number;
  claimId: string | null;
  code: string | null;
  message: string | null;
}

/**
 * A partner's system reports one visit: the kilograms per waste stream for one resident. Each
 * stream becomes a claim of the activity of that stream, approved when the limits allow; the
 * same visit sent again changes nothing (`already_imported`). Outcomes: one result per stream
 * (`refused` with the code: `unknown_stream`, `duplicate_visit`, the limit refusals);
 * `invalid_input` (malformed visit, a visit in the future, a stream listed twice: nothing
 * stored); `unknown_resident`
 * (no such member code here, also another municipality's); `partner_inactive`.
 */
export async function recordVisit(
  ctx: ServiceContext,
  input: VisitInput,
): Promise<{ visitId: string; created: boolean; results: VisitStreamResult[] }> {
  const scope = scopeOf(ctx);
  const partner = await senderPartner(ctx, scope, undefined);
  const errors: FieldError[] = [];
  const rows: VisitRow[] = [];
  const streams = new Set<string>();
  input.streams.forEach((entry, index) => {
    const reading = parseVisitFields({
      visit_id: input.visitId,
      member_code: input.memberCode,
      visited_at: input.visitedAt,
      stream: entry.stream,
      kg: String(entry.kg),
    });
    if (!reading.ok) {
      errors.push({
        field: fieldOf(reading.reason, index),
        code: reading.reason,
        message: reading.message,
      });
    } else if (streams.has(reading.visit.stream)) {
      errors.push({
        field: `/streams/${index}/stream`,
        code: 'duplicate_visit',
        message: `The stream ${reading.visit.stream} is listed twice; send its total once.`,
      });
    } else {
      streams.add(reading.visit.stream);
      rows.push({ line: index + 1, ...reading });
    }
  });
  const first = rows[0];
  if (first?.ok && visitInstant(first.visit.visitedAt) > ctx.clock.now().toISOString()) {
    errors.push({ field: '/visitedAt', code: 'future', message: 'This visit is in the future.' });
  }
  if (input.streams.length === 0) {
    errors.push({
      field: '/streams',
      code: 'required',
      message: 'List at least one waste stream.',
    });
  }
  // The visit's own fields are the same for every stream: say each problem once.
  const unique = errors.filter(
    (error, index) => errors.findIndex((e) => e.field === error.field) === index,
  );
  if (unique.length > 0) throw invalidInput(unique);
  const memberCode = first?.ok ? first.visit.memberCode : '';
  const known = await findEarnersByMemberCodes(ctx, partner.municipalityId, [memberCode]);
  if (!known.has(memberCode)) {
    throw new DomainError(
      'unknown_resident',
      'invalid',
      'No resident of this municipality has this member code.',
      {
        fieldErrors: [
          {
            field: '/memberCode',
            code: 'unknown_resident',
            message: 'No resident has this code here.',
          },
        ],
      },
    );
  }
  const results = await importVisitRows(ctx, await senderFor(ctx, partner), rows, new SeenKeys());
  return {
    visitId: input.visitId.trim(),
    created: results.some((r) => r.status === 'approved' || r.status === 'waiting'),
    results: results.map((result, index) => streamResult(result, rows[index]!)),
  };
}

function fieldOf(reason: string, index: number): string {
  switch (reason) {
    case 'bad_visit_id':
      return '/visitId';
    case 'bad_date':
      return '/visitedAt';
    case 'bad_stream':
      return `/streams/${index}/stream`;
    case 'bad_number':
      return `/streams/${index}/kg`;
    default:
      return '/';
  }
}

function streamResult(result: VisitResult, row: VisitRow): VisitStreamResult {
  const stream = row.ok ? row.visit.stream : '';
  switch (result.status) {
    case 'approved':
      return {
        stream,
        status: 'approved',
        points: result.points,
        claimId: result.claimId,
        code: null,
        message: null,
      };
    case 'waiting':
    case 'already_imported':
      return {
        stream,
        status: result.status,
        points: 0,
        claimId: result.claimId,
        code: null,
        message: null,
      };
    case 'problem':
      return {
        stream,
        status: 'refused',
        points: 0,
        claimId: null,
        code: result.reason,
        message: result.message,
      };
  }
}
