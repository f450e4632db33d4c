import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { memberCheckCharacter } from '../../src/modules/identity/identity.rules.js';

/**
 * Recycling-centre visit files for tests and the import benchmark: any number of rows written
 * streaming (constant memory), the same file for the same options, with bad rows at known lines.
 */

export type GeneratedBadReason = 'bad_number' | 'bad_date' | 'unknown_resident';

export interface VisitsCsvOptions {
  rows: number;
  /** The residents the visits are for; an `unknown_resident` row uses a code not in this list. */
  memberCodes: readonly string[];
  /** Every this-many-th row is bad (100 → 1%), cycling through the bad reasons; none if left out. */
  badEvery?: number;
  seed?: number;
  /** `;` writes decimal commas, as Belgian Excel does; `,` (default) quotes a few of them. */
  delimiter?: ',' | ';';
}

export interface GeneratedVisitsCsv {
  rows: number;
  /** Physical lines (the header is line 1) of the bad rows, ascending. */
  badLines: number[];
  bad: { line: number; reason: GeneratedBadReason }[];
}

const STREAMS = ['paper', 'glass', 'green', 'wood', 'metal', 'plastic_film', 'textile', 'weee'];
const BAD_REASONS: GeneratedBadReason[] = ['bad_number', 'bad_date', 'unknown_resident'];
const MEMBER_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Writes a visits file to `path` and says which of its lines are bad and why. */
export async function writeVisitsCsv(
  path: string,
  options: VisitsCsvOptions,
): Promise<GeneratedVisitsCsv> {
  const { rows, memberCodes, badEvery, seed = 1, delimiter = ',' } = options;
  if (memberCodes.length === 0) throw new Error('writeVisitsCsv needs at least one member code');
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const known = new Set(memberCodes);
  const out = createWriteStream(path);
  const bad: GeneratedVisitsCsv['bad'] = [];
  let text = `${['visit_id', 'member_code', 'visited_at', 'stream', 'kg'].join(delimiter)}\n`;
  let visit = 0;
  let streamsLeft: string[] = [];
  let memberCode = '';
  let visitedAt = '';
  for (let row = 0; row < rows; row++) {
    if (streamsLeft.length === 0) {
      visit++;
      streamsLeft = shuffled(STREAMS, random).slice(0, 1 + Math.floor(random() * 3));
      memberCode = pick(memberCodes);
      const day = `2025-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}`;
      visitedAt =
        random() < 0.8
          ? day
          : `${day}T${pad(8 + Math.floor(random() * 9))}:${pad(Math.floor(random() * 60))}:00Z`;
    }
    const stream = streamsLeft.pop()!;
    const grams = 100 + Math.floor(random() * 80_000);
    let kg = `${Math.floor(grams / 1000)}.${String(grams % 1000).padStart(3, '0')}`.replace(
      /\.?0+$/,
      '',
    );
    if (delimiter === ';') kg = kg.replace('.', ',');
    else if (kg.includes('.') && random() < 0.05) kg = `"${kg.replace('.', ',')}"`;
    let code = memberCode;
    let when = visitedAt;
    if (badEvery && (row + 1) % badEvery === 0) {
      const reason = BAD_REASONS[bad.length % BAD_REASONS.length]!;
      bad.push({ line: row + 2, reason });
      if (reason === 'bad_number') kg = pick(['-3', 'abc', '12.5.1', '1e3', '0', '12.3456']);
      else if (reason === 'bad_date')
        when = pick(['2025-02-30', '31/05/2025', '2025-13-01', 'yesterday']);
      else code = unknownMemberCode(known, random);
    }
    text += `V${seed}-${visit}${delimiter}${code}${delimiter}${when}${delimiter}${stream}${delimiter}${kg}\n`;
    if (text.length >= 64 * 1024) {
      if (!out.write(text)) await once(out, 'drain');
      text = '';
    }
  }
  out.end(text);
  await once(out, 'finish');
  return { rows, badLines: bad.map((entry) => entry.line), bad };
}

/** A well-formed member code (its check character holds) that is not one of `known`. */
function unknownMemberCode(known: ReadonlySet<string>, random: () => number): string {
  for (;;) {
    let body = '';
    for (let i = 0; i < 10; i++) body += MEMBER_ALPHABET[Math.floor(random() * 32)];
    const code = `${body.slice(0, 5)}-${body.slice(5)}-${memberCheckCharacter(body)}`;
    if (!known.has(code)) return code;
  }
}

function shuffled<T>(list: readonly T[], random: () => number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** A small seeded generator: the same seed, the same file. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
