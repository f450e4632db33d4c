import type { FastifyBaseLogger } from 'fastify';
import { expirePendingTransfers } from '../modules/ledger/ledger.service.js';
import { purgeUnconfirmedReports } from '../modules/reports/reports.service.js';
import { lapseDueClaims } from '../modules/tasks/tasks.service.js';
import { expireDueVouchers } from '../modules/vouchers/expiry.service.js';
import type { Clock } from '../shared/clock.js';
import { createContext } from '../shared/context.js';
import type { Storage } from '../storage/database.js';

/**
 * The sweeps a serving process runs every minute until the job system (issue 8: pg-boss on
 * PostgreSQL, a table-backed runner on SQLite) takes them over: vouchers past their expiry are
 * expired (points back, the resident emailed), holds past their timeout are expired, task
 * slots claimed but not completed within their hold lapse (the slot is free again), and
 * visitors' reports never confirmed are deleted a week after their link expired. Each is
 * idempotent — a voucher, hold or slot expires once whoever gets there first — so several processes
 * sweeping at once do no harm; one failing sweep is logged and tried again next time.
 */

export const SWEEP_INTERVAL_MS = 60_000;

export interface Sweeps {
  /** Runs every sweep once now (tests, the CLI); resolves when done. */
  runOnce(): Promise<{
    vouchersExpired: number;
    holdsExpired: number;
    taskClaimsLapsed: number;
    reportsPurged: number;
  }>;
  stop(): void;
}

/** Starts the sweeps on a timer that does not keep the process alive. */
export function startSweeps(
  storage: Storage,
  options: { clock: Clock; logger: FastifyBaseLogger; intervalMs?: number },
): Sweeps {
  const ctx = createContext(storage, {
    clock: options.clock,
    actor: { kind: 'system', name: 'sweeps' },
  });
  let running: Promise<unknown> | null = null;
  const runOnce = async () => {
    const vouchersExpired = await expireDueVouchers(ctx);
    const holdsExpired = await expirePendingTransfers(ctx);
    const taskClaimsLapsed = await lapseDueClaims(ctx);
    const reportsPurged = await purgeUnconfirmedReports(ctx);
    if (vouchersExpired + holdsExpired + taskClaimsLapsed + reportsPurged > 0) {
      options.logger.info(
        { vouchersExpired, holdsExpired, taskClaimsLapsed, reportsPurged },
        'sweeps expired vouchers and holds, lapsed task slots, purged unconfirmed reports',
      );
    }
    return { vouchersExpired, holdsExpired, taskClaimsLapsed, reportsPurged };
  };
  const timer = setInterval(() => {
    if (running) return;
    running = runOnce()
      .catch((error: unknown) =>
        options.logger.error({ err: error }, 'a sweep failed; trying again later'),
      )
      .finally(() => {
        running = null;
      });
  }, options.intervalMs ?? SWEEP_INTERVAL_MS);
  timer.unref();
  return {
    runOnce,
    stop: () => clearInterval(timer),
  };
}
