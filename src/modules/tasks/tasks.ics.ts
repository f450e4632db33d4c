import type { Locale } from '../../shared/locales.js';
import type { Task, TaskClaim } from './tasks.types.js';

/**
 * A claimed slot as an iCalendar file (RFC 5545), written by hand: CRLF line ends, text values
 * escaped (backslash, semicolon, comma, newline), lines folded at 75 octets without splitting a
 * UTF-8 character. The event spans the time the resident holds the slot within the task's window;
 * an alarm an hour before the hold lapses. Pure.
 */

/** Escapes a TEXT value (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds one content line into pieces of at most 75 octets, continuation lines led by a space. */
export function foldLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  let limit = 75;
  for (const char of line) {
    const length = Buffer.byteLength(char, 'utf8');
    if (size + length > limit) {
      parts.push(current);
      current = '';
      size = 0;
      // A continuation line's leading space counts towards its 75 octets.
      limit = 74;
    }
    current += char;
    size += length;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** A UTC DATE-TIME value: 20261205T090000Z. */
export function icsDateTime(iso: string): string {
  return new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

const LABELS: Record<
  Locale,
  { safety: string; materials: string; minutes: string; lapses: string }
> = {
  nl: {
    safety: 'Veiligheid',
    materials: 'Materiaal ophalen',
    minutes: 'Geschatte duur (minuten)',
    lapses: 'Je plaats vervalt om',
  },
  fr: {
    safety: 'Sécurité',
    materials: 'Matériel à retirer',
    minutes: 'Durée estimée (minutes)',
    lapses: 'Votre place expire le',
  },
  de: {
    safety: 'Sicherheit',
    materials: 'Material abholen',
    minutes: 'Geschätzte Dauer (Minuten)',
    lapses: 'Ihr Platz verfällt am',
  },
  en: {
    safety: 'Safety',
    materials: 'Collect materials',
    minutes: 'Estimated time (minutes)',
    lapses: 'Your slot lapses at',
  },
};

/** The calendar file of a resident's claimed slot, in their language. */
export function taskClaimCalendar(input: {
  task: Task;
  claim: TaskClaim;
  locale: Locale;
  now: string;
  url?: string;
}): string {
  const { task, claim, locale } = input;
  const labels = LABELS[locale];
  // ISO instants in UTC compare as strings.
  const start = [claim.claimedAt, task.windowStart].sort()[1]!;
  let end = [claim.expiresAt, task.windowEnd].sort()[0]!;
  if (end <= start) {
    end = new Date(Date.parse(start) + task.estimatedMinutes * 60_000).toISOString();
  }
  const description = [
    task.description[locale],
    `${labels.minutes}: ${task.estimatedMinutes}`,
    task.safetyNotes ? `${labels.safety}: ${task.safetyNotes[locale]}` : null,
    task.materials ? `${labels.materials}: ${task.materials[locale]}` : null,
    `${labels.lapses} ${claim.expiresAt}`,
  ]
    .filter((line) => line !== null)
    .join('\n');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//CivicPoints//Tasks//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${claim.id}@civicpoints`,
    `DTSTAMP:${icsDateTime(input.now)}`,
    `DTSTART:${icsDateTime(start)}`,
    `DTEND:${icsDateTime(end)}`,
    `SUMMARY:${escapeText(task.title[locale])}`,
    `DESCRIPTION:${escapeText(description)}`,
    `LOCATION:${escapeText(`${task.latitude.toFixed(6)}, ${task.longitude.toFixed(6)}`)}`,
    `GEO:${task.latitude.toFixed(6)};${task.longitude.toFixed(6)}`,
    ...(input.url ? [`URL:${input.url}`] : []),
    'STATUS:CONFIRMED',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    `DESCRIPTION:${escapeText(task.title[locale])}`,
    'TRIGGER;RELATED=END:-PT1H',
    'END:VALARM',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
