import type { Db } from '../../storage/database.js';
import type { ClaimsTable } from '../../storage/schema.js';

/** SQL for a partner's view of its own confirmations (claims it sent, source `partner`). */

/** The partner's confirmations, newest first. */
export async function listPartnerConfirmations(
  db: Db,
  municipalityId: string,
  partnerId: string,
  limit: number,
): Promise<ClaimsTable[]> {
  return db
    .selectFrom('claims')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('municipality_id', '=', municipalityId)
    .where('source', '=', 'partner')
    .orderBy('submitted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
