import { availableParallelism } from 'node:os';

/**
 * The `--workers` option of `civicpoints serve`, apart from the cluster code so that reading the
 * command line (and `--help`) does not load the whole server.
 */

/** The most workers `--workers` accepts. */
export const MAX_WORKERS = 64;

/** `--workers`: a whole number from 1 to MAX_WORKERS, or `auto` (one per CPU); undefined when bad. */
export function parseWorkers(raw: string): number | undefined {
  if (raw === 'auto') return Math.min(MAX_WORKERS, availableParallelism());
  if (!/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= MAX_WORKERS ? n : undefined;
}
