import type { ServiceContext } from '../shared/context.js';

/**
 * The job API every module codes against (issue 8). Two engines implement it: pg-boss 10 on
 * PostgreSQL and a table-backed runner on SQLite (src/jobs). A module declares its jobs as
 * `JobDefinition`s and enqueues them with `enqueueJob(ctx, name, payload)` (src/jobs/enqueue.ts),
 * which writes the job in `ctx.db`: inside a transaction the job exists exactly when the
 * transaction commits.
 */
export interface JobDefinition<Payload = unknown> {
  /** The queue name, `module.verb` (`webhooks.deliver`, `vouchers.expire`). */
  name: string;
  /** How many times a failed run is tried again before the job is parked as failed. */
  retryLimit: number;
  /** Seconds before the first retry; doubled each time when `retryBackoff` is set. */
  retryDelaySeconds: number;
  retryBackoff: boolean;
  /** A run taking longer than this counts as failed (its process died or hung) and is retried. */
  expireInSeconds: number;
  /** Does the work; throwing fails this attempt. Must be idempotent: a run may happen twice. */
  run(ctx: ServiceContext, payload: Payload, job: JobRun): Promise<void>;
}

export interface JobRun {
  id: string;
  /** 1 for the first run, 2 for the first retry, … */
  attempt: number;
}

/** A job enqueued by the clock: `cron` (5 fields, UTC) says when; each slot runs once region-wide. */
export interface JobSchedule {
  name: string;
  cron: string;
}

export interface EnqueueOptions {
  /** Not before this many seconds from now. */
  startAfterSeconds?: number;
  /** At most one queued (not yet finished) job with this key per queue. */
  singletonKey?: string;
}
