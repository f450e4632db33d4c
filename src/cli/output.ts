import { ConfigError } from '../config.js';
import { DomainError } from '../shared/errors.js';

/** Exit codes: 0 done, 1 failed, 2 the input or the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export class UsageError extends Error {}

/** Writes an error for a person to standard error and returns the exit code it deserves. */
export function reportError(error: unknown): number {
  if (error instanceof ConfigError) {
    process.stderr.write(`civicpoints: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`civicpoints: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof DomainError) {
    process.stderr.write(`civicpoints: ${error.message} (${error.code})\n`);
    for (const field of error.fieldErrors) {
      process.stderr.write(`  - ${field.field}: ${field.message}\n`);
    }
    return error.kind === 'invalid' ? EXIT.usage : EXIT.failed;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`civicpoints: ${message}\n`);
  return EXIT.failed;
}

/** Prints rows as an aligned plain-text table. */
export function printTable(headers: string[], rows: string[][]) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${[line(headers), ...rows.map(line)].join('\n')}\n`);
}
