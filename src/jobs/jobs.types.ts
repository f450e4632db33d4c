import type { Config } from '../config.js';
import type { ServiceContext } from '../shared/context.js';

/**
 * The job API every module codes against (issue 8). Two engines implement it: pg-boss 10 on
 * PostgreSQL and a table-backed runner on SQLite (src/jobs). A module declares its jobs as
 * `JobDefinition`s (listed in src/jobs/registry.ts) and enqueues them with
 * `enqueueJob(ctx, name, payload)` (src/jobs/enqueue.ts), which writes the job in `ctx.db`:
 * inside a transaction the job exists exactly when the transaction commits.
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
  /**
   * When the clock enqueues this job by itself: a cron expression in UTC (5 fields, or 6 with
   * seconds first). Each slot runs once across all processes; the payload is `{ slot }` (ISO time).
   */
  schedule?: string;
  /** Does the work; throwing fails this attempt. Must be idempotent: a run may happen twice. */
  run(ctx: ServiceContext, payload: Payload, job: JobRun): Promise<void>;
}

export interface JobRun {
  id: string;
  /** 1 for the first run, 2 for the first retry, … */
  attempt: number;
  /** What the serving process was configured with (public URL for links, mail settings, …). */
  config: Config;
  log: JobLogger;
}

/** The payload of a job the schedule enqueued: the slot (ISO time) it runs for. */
export interface ScheduledPayload {
  slot: string;
}

/** A job enqueued by the clock: `cron` (UTC) says when; each slot runs once region-wide. */
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

/** The part of a pino logger jobs use. */
export interface JobLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** One queue's jobs by state, as `civicpoints jobs` and the metrics show them. */
export interface QueueStats {
  queue: string;
  /** Waiting for their first run (including those not due yet). */
  queued: number;
  active: number;
  /** Failed at least once, waiting for their next try. */
  retrying: number;
  /** Failed after their last retry: parked until `civicpoints jobs retry ID`. */
  failed: number;
  /** Finished in the last 24 hours. */
  completedRecently: number;
}

/** A parked job (failed after its retries) with what went wrong the last time. */
export interface JobFailure {
  id: string;
  queue: string;
  attempts: number;
  lastError: string;
  failedAt: string | null;
  payload: unknown;
}

/** Reading and repairing the jobs in the database; works whether or not a runner is started. */
export interface JobStore {
  engine: 'table' | 'pg-boss';
  stats(): Promise<QueueStats[]>;
  failures(options?: { queue?: string; limit?: number }): Promise<JobFailure[]>;
  /** Puts a parked job back for one more run; `job_not_found`, `job_not_failed`. */
  retry(id: string): Promise<void>;
  /** Resolves when the store answers. */
  ping(): Promise<void>;
}

/** A started runner: takes jobs from the queues, runs them, and enqueues scheduled slots. */
export interface JobRunner extends JobStore {
  /** `running` once started, `stopped` after stop(), `failed` when its store stopped answering. */
  status(): 'running' | 'stopped' | 'failed';
  /** Stops taking jobs, waits (a while) for running ones, releases connections. */
  stop(): Promise<void>;
}
