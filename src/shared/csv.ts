/**
 * CSV for downloads (RFC 4180, CRLF line ends) that spreadsheets open safely: a field is quoted
 * when it holds a quote, comma, semicolon or line break, and a leading `= + - @` or tab is
 * prefixed with `'` so it is never run as a formula.
 */

export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV line of the values (null and undefined as empty fields). */
export function csvRow(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map((value) => csvField(value === null || value === undefined ? '' : String(value))).join(',')}\r\n`;
}
