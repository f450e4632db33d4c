/**
 * Calendar periods where the municipalities are (Europe/Brussels, ISO weeks from Monday),
 * whatever the server's zone: limits of claims and purchases, budgets, monthly statements. Pure.
 */

/** A calendar period; `lifetime` (no period) is accepted where a limit may have none. */
export type CalendarPeriod = 'day' | 'week' | 'month' | 'year';

export const CALENDAR_TIME_ZONE = 'Europe/Brussels';

/** A calendar date in the earning zone; month is 1–12. */
interface LocalDate {
  year: number;
  month: number;
  day: number;
}

// Creating a DateTimeFormat is costly; one instance serves every call.
const wallClock = new Intl.DateTimeFormat('en-US', {
  timeZone: CALENDAR_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** The wall-clock time in the earning zone at an instant, as if it were UTC (ms), by Intl. */
function formattedWallClockMs(instantMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of wallClock.formatToParts(instantMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

const HOUR_MS = 3_600_000;
/** The zone's offset per UTC hour: Brussels (CET/CEST) only ever changes it on the hour. */
const offsetByHour = new Map<number, number>();

/**
 * The wall-clock time in the earning zone at an instant, as if it were UTC (ms). Every claim asks
 * this several times and Intl formatting is slow, so the offset is kept per hour.
 */
function wallClockMs(instantMs: number): number {
  const hour = Math.floor(instantMs / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    offset = formattedWallClockMs(hour * HOUR_MS) - hour * HOUR_MS;
    if (offsetByHour.size > 100_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return Math.floor((instantMs + offset) / 1000) * 1000;
}

function localDateAt(instantMs: number): LocalDate {
  const wall = new Date(wallClockMs(instantMs));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/**
 * The instant of local midnight starting a date. Brussels changes clocks at 02:00/03:00, so
 * midnight exists exactly once; the offset is read again at the answer so this stays right if the
 * zone ever changes within hours of midnight (then the UTC guess sits on the other side).
 */
function localMidnight(date: LocalDate): Date {
  const asUtc = Date.UTC(date.year, date.month - 1, date.day);
  const firstOffset = wallClockMs(asUtc) - asUtc;
  let instant = asUtc - firstOffset;
  const secondOffset = wallClockMs(instant) - instant;
  if (secondOffset !== firstOffset) instant = asUtc - secondOffset;
  return new Date(instant);
}

/** Date.UTC normalises overflowing days and months, which does the calendar arithmetic. */
function shiftDate(date: LocalDate, months: number, days: number): LocalDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1 + months, date.day + days));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  };
}

function firstDateOfPeriod(period: CalendarPeriod, date: LocalDate): LocalDate {
  switch (period) {
    case 'day':
      return date;
    case 'week': {
      const weekday = (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
      return shiftDate(date, 0, -weekday);
    }
    case 'month':
      return { year: date.year, month: date.month, day: 1 };
    case 'year':
      return { year: date.year, month: 1, day: 1 };
  }
}

function nextFirstDate(period: CalendarPeriod, first: LocalDate): LocalDate {
  switch (period) {
    case 'day':
      return shiftDate(first, 0, 1);
    case 'week':
      return shiftDate(first, 0, 7);
    case 'month':
      return shiftDate(first, 1, 0);
    case 'year':
      return shiftDate(first, 12, 0);
  }
}

/** Start of the calendar period (Brussels time, ISO weeks) containing `at`; null for lifetime. */
export function periodStart(period: CalendarPeriod, at: Date): Date;
export function periodStart(period: CalendarPeriod | 'lifetime', at: Date): Date | null;
export function periodStart(period: CalendarPeriod | 'lifetime', at: Date): Date | null {
  if (period === 'lifetime') return null;
  return localMidnight(firstDateOfPeriod(period, localDateAt(at.getTime())));
}

/** Start of the period after the one containing `at` (when the limit resets); null for lifetime. */
export function periodEnd(period: CalendarPeriod, at: Date): Date;
export function periodEnd(period: CalendarPeriod | 'lifetime', at: Date): Date | null;
export function periodEnd(period: CalendarPeriod | 'lifetime', at: Date): Date | null {
  if (period === 'lifetime') return null;
  const first = firstDateOfPeriod(period, localDateAt(at.getTime()));
  return localMidnight(nextFirstDate(period, first));
}

/** The calendar month containing `at`, as `YYYY-MM` (Brussels time). */
export function monthOf(at: Date): string {
  const date = localDateAt(at.getTime());
  return `${date.year}-${String(date.month).padStart(2, '0')}`;
}

/** The calendar year containing `at` (Brussels time). */
export function yearOf(at: Date): number {
  return localDateAt(at.getTime()).year;
}

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The instants a month `YYYY-MM` starts and ends (the next one's start); undefined when malformed. */
export function monthBounds(month: string): { start: Date; end: Date } | undefined {
  const match = MONTH_PATTERN.exec(month);
  if (!match) return undefined;
  const first = { year: Number(match[1]), month: Number(match[2]), day: 1 };
  return { start: localMidnight(first), end: localMidnight(shiftDate(first, 1, 0)) };
}

/** The instants a calendar year starts and ends (the next one's start). */
export function yearBounds(year: number): { start: Date; end: Date } {
  return {
    start: localMidnight({ year, month: 1, day: 1 }),
    end: localMidnight({ year: year + 1, month: 1, day: 1 }),
  };
}
