import cronParser from 'cron-parser';
import type { Clock } from '../shared/clock.js';
import { createContext, withDb } from '../shared/context.js';
import type { Storage } from '../storage/database.js';
import { inTransaction } from '../storage/transaction.js';
import { enqueueJob } from './enqueue.js';
import type { JobLogger, JobSchedule, ScheduledPayload } from './jobs.types.js';

/**
 * Schedules: every few seconds each process looks at each schedule's latest slot (the last time
 * its cron expression matched, by the app's Clock). The process whose insert of the slot's row
 * into `job_schedule_slots` (primary key: schedule and slot time) succeeds enqueues the job in
 * the same transaction; the others find the row and do nothing. So each slot is enqueued once
 * across all processes, and a slot missed while no process ran is caught up once (only the
 * latest; the jobs look at what is due, not at the slot).
 */

const KEEP_SLOTS_MS = 2 * 86_400_000;
const CLEANUP_EVERY_MS = 3_600_000;

/** The latest slot of a cron expression (UTC) at or before `now`; throws on a bad expression. */
export function latestSlot(cron: string, now: Date): Date {
  return cronParser
    .parseExpression(cron, { utc: true, currentDate: new Date(now.getTime() + 1) })
    .prev()
    .toDate();
}

/** Throws naming the schedule when its cron expression does not parse. */
export function assertValidSchedules(schedules: readonly JobSchedule[]): void {
  for (const schedule of schedules) {
    try {
      latestSlot(schedule.cron, new Date());
    } catch (error) {
      throw new Error(
        `job ${schedule.name}: schedule "${schedule.cron}" is not a cron expression (${String(error)})`,
      );
    }
  }
}

export interface Scheduler {
  /** Looks at every schedule once now; resolves with the slots this process enqueued. */
  tick(): Promise<{ name: string; slot: string; jobId: string | null }[]>;
  stop(): Promise<void>;
}

/** Starts ticking every `tickMs` (the first tick at once). */
export function startScheduler(options: {
  storage: Storage;
  clock: Clock;
  schedules: readonly JobSchedule[];
  tickMs: number;
  log: JobLogger;
}): Scheduler {
  const { storage, clock, schedules, log } = options;
  assertValidSchedules(schedules);
  const ctx = createContext(storage, { clock, actor: { kind: 'system', name: 'schedules' } });
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<unknown> | null = null;
  let lastCleanup = 0;
  // The latest slot of each schedule this process has seen taken (by itself or another): later
  // ticks in the same slot write nothing.
  const seen = new Map<string, string>();

  const tick = async () => {
    const now = clock.now();
    const taken: { name: string; slot: string; jobId: string | null }[] = [];
    for (const schedule of schedules) {
      const slot = latestSlot(schedule.cron, now).toISOString();
      if (seen.get(schedule.name) === slot) continue;
      const jobId = await inTransaction(storage.db, async (db) => {
        const inserted = await db
          .insertInto('job_schedule_slots')
          .values({ schedule: schedule.name, slot_at: slot, created_at: now.toISOString() })
          .onConflict((conflict) => conflict.doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return undefined;
        const payload: ScheduledPayload = { slot };
        const id = await enqueueJob(withDb(ctx, db), schedule.name, payload);
        await db
          .updateTable('job_schedule_slots')
          .set({ job_id: id })
          .where('schedule', '=', schedule.name)
          .where('slot_at', '=', slot)
          .execute();
        return id;
      });
      seen.set(schedule.name, slot);
      if (jobId !== undefined) taken.push({ name: schedule.name, slot, jobId });
    }
    if (now.getTime() - lastCleanup >= CLEANUP_EVERY_MS) {
      lastCleanup = now.getTime();
      await storage.db
        .deleteFrom('job_schedule_slots')
        .where('slot_at', '<', new Date(now.getTime() - KEEP_SLOTS_MS).toISOString())
        .execute();
    }
    return taken;
  };

  const loop = () => {
    if (stopped) return;
    const run = tick().catch((error: unknown) =>
      log.warn({ err: error }, 'the job schedules could not be checked; trying again'),
    );
    ticking = run.finally(() => {
      ticking = null;
      if (!stopped) {
        timer = setTimeout(loop, options.tickMs);
        timer.unref();
      }
    });
  };
  if (schedules.length > 0) loop();

  return {
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await ticking;
    },
  };
}
