import type { Activity } from '../catalog/catalog.types.js';
import type { Partner } from '../partners/partners.types.js';
import { periodStart } from './limits.rules.js';

/**
 * Pure rules of importing recycling-centre visits: which activity a waste stream earns, the
 * key that makes a visit idempotent, when a visit happened, and remembering which keys a file
 * already listed in bounded memory. No I/O.
 */

/** Why a row of a visits file (or a stream of one visit) earned nothing. */
export const VISIT_PROBLEMS = [
  'missing_value',
  'bad_visit_id',
  'bad_date',
  'bad_stream',
  'bad_number',
  'unknown_stream',
  'unknown_resident',
  'duplicate_visit',
  'activity_closed',
  'limit_reached',
  'claim_waiting',
  'cooldown',
  'budget_spent',
  'yearly_cap_reached',
] as const;
export type VisitProblem = (typeof VISIT_PROBLEMS)[number];

/** The claim key of one stream of one visit: the same visit sent again finds its claim. */
export function visitKey(partnerId: string, visitId: string, stream: string): string {
  return `visit:${partnerId}:${visitId}:${stream}`;
}

/**
 * Whether the partner may send records of this activity: the activity takes imports and names
 * this partner, or — naming none — this partner's kind.
 */
export function partnerSends(activity: Activity, partner: Pick<Partner, 'id' | 'kind'>): boolean {
  const terms = activity.current;
  if (!terms.verificationMethods.includes('import')) return false;
  return terms.partnerId !== null
    ? terms.partnerId === partner.id
    : terms.partnerKind === partner.kind;
}

/**
 * The activity each waste stream earns for this partner: activities whose `impactKey` is the
 * stream and that the partner may send. An active activity wins over an archived one (whose
 * rows are then refused `activity_closed` rather than `unknown_stream`), one naming the partner
 * over one naming its kind, then the lowest code, so the choice never depends on list order.
 */
export function streamActivities(
  activities: readonly Activity[],
  partner: Pick<Partner, 'id' | 'kind'>,
): Map<string, Activity> {
  const rank = (a: Activity) =>
    (a.status === 'active' ? 0 : 2) + (a.current.partnerId === partner.id ? 0 : 1);
  const byStream = new Map<string, Activity>();
  for (const activity of activities) {
    const stream = activity.current.impactKey;
    if (!stream || !partnerSends(activity, partner)) continue;
    const chosen = byStream.get(stream);
    if (
      !chosen ||
      rank(activity) < rank(chosen) ||
      (rank(activity) === rank(chosen) && activity.code < chosen.code)
    ) {
      byStream.set(stream, activity);
    }
  }
  return byStream;
}

const dayStarts = new Map<string, string>();

/**
 * When a visit happened, as an instant: a time as given; a date alone (most centres' systems
 * know only the day) is the start of that day in Brussels, so it falls in that day's periods.
 */
export function visitInstant(visitedAt: string): string {
  if (visitedAt.length !== 10) return visitedAt;
  let start = dayStarts.get(visitedAt);
  if (start === undefined) {
    start = periodStart('day', new Date(`${visitedAt}T12:00:00Z`)).toISOString();
    if (dayStarts.size > 10_000) dayStarts.clear();
    dayStarts.set(visitedAt, start);
  }
  return start;
}

/**
 * The keys a file has listed so far and the line each was first on, in 12 bytes per key (a
 * 53-bit fingerprint and the line) instead of the keys themselves: a million-row file costs
 * about 24 MB. Two different keys share a fingerprint with odds of about n / 2^53 (1 in 9
 * billion at a million rows); the import would then call the second a duplicate.
 */
export class SeenKeys {
  private fingerprints = new Float64Array(1024);
  private lines = new Uint32Array(1024);
  private count = 0;

  /** The line the key was first listed on, or 0 when it was not. */
  lineOf(key: string): number {
    const fingerprint = fingerprintOf(key);
    const mask = this.fingerprints.length - 1;
    for (let slot = fingerprint % (mask + 1); ; slot = (slot + 1) & mask) {
      const found = this.fingerprints[slot]!;
      if (found === 0) return 0;
      if (found === fingerprint) return this.lines[slot]!;
    }
  }

  /** Remembers the key's first line (a key already remembered keeps its line). */
  add(key: string, line: number): void {
    if ((this.count + 1) * 2 > this.fingerprints.length) this.grow();
    this.place(fingerprintOf(key), line);
  }

  get size(): number {
    return this.count;
  }

  private place(fingerprint: number, line: number) {
    const mask = this.fingerprints.length - 1;
    for (let slot = fingerprint % (mask + 1); ; slot = (slot + 1) & mask) {
      const found = this.fingerprints[slot]!;
      if (found === fingerprint) return;
      if (found === 0) {
        this.fingerprints[slot] = fingerprint;
        this.lines[slot] = line;
        this.count++;
        return;
      }
    }
  }

  private grow() {
    const fingerprints = this.fingerprints;
    const lines = this.lines;
    this.fingerprints = new Float64Array(fingerprints.length * 2);
    this.lines = new Uint32Array(lines.length * 2);
    this.count = 0;
    for (let slot = 0; slot < fingerprints.length; slot++) {
      if (fingerprints[slot] !== 0) this.place(fingerprints[slot]!, lines[slot]!);
    }
  }
}

/** Two 32-bit FNV-1a hashes with different seeds, as one positive integer below 2^53. */
function fingerprintOf(key: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 0x200000 + ((b >>> 11) & 0x1fffff) + 1;
}
