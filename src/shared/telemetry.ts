import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Process-wide operational metrics that code below the HTTP layer feeds (the ledger, email,
 * webhooks, jobs). They live in one registry for the whole process, which every app's
 * GET /metrics merges with its own (src/http/metrics.ts): a process is one Prometheus target, and
 * several apps in one process (tests) then share these figures — tests compare before and after.
 *
 * Labels stay bounded and impersonal: outcomes from a fixed list, queue names as jobs define
 * them (anything else becomes `other`), never an address, id or URL. docs/observability.md
 * describes every metric.
 */

export const telemetryRegistry = new Registry();

/** What happened to one email: delivered over SMTP, refused or unreachable, or kept in the outbox (no SMTP). */
export type EmailOutcome = 'sent' | 'failed' | 'outbox';
/** What happened to one webhook delivery attempt. */
export type WebhookOutcome = 'delivered' | 'failed';
/** How a job run ended: done; failed and to be tried again; failed for the last time (parked). */
export type JobOutcome = 'completed' | 'failed' | 'parked';
/** A job's state as queue depth counts it. */
export type JobState = 'queued' | 'retry' | 'active' | 'failed';
/** Which commit path wrote ledger transfers (see observeLedgerCommit). */
export type LedgerCommitPath = 'writer' | 'batch' | 'transaction' | 'grouped';

const EMAIL_OUTCOMES: readonly EmailOutcome[] = ['sent', 'failed', 'outbox'];
const WEBHOOK_OUTCOMES: readonly WebhookOutcome[] = ['delivered', 'failed'];
const JOB_OUTCOMES: readonly JobOutcome[] = ['completed', 'failed', 'parked'];
const JOB_STATES: readonly JobState[] = ['queued', 'retry', 'active', 'failed'];

const emailDeliveries = new Counter({
  name: 'civicpoints_email_deliveries_total',
  help: 'Emails by outcome: sent (SMTP accepted), failed (refused or unreachable; kept in the outbox), outbox (no SMTP configured).',
  labelNames: ['outcome'] as const,
  registers: [telemetryRegistry],
});
const webhookDeliveries = new Counter({
  name: 'civicpoints_webhook_deliveries_total',
  help: 'Webhook delivery attempts by outcome: delivered (2xx) or failed (error status, timeout, unreachable).',
  labelNames: ['outcome'] as const,
  registers: [telemetryRegistry],
});
const jobRuns = new Counter({
  name: 'civicpoints_job_runs_total',
  help: 'Job runs by queue and outcome: completed, failed (will be retried), parked (failed for the last time).',
  labelNames: ['queue', 'outcome'] as const,
  registers: [telemetryRegistry],
});
const ledgerVerifications = new Counter({
  name: 'civicpoints_ledger_verifications_total',
  help: 'Ledger chain verifications by outcome: ok, or broken (a hash chain or balance did not add up).',
  labelNames: ['outcome'] as const,
  registers: [telemetryRegistry],
});
const ledgerCommitTransfers = new Histogram({
  name: 'civicpoints_ledger_commit_transfers',
  help: "Ledger transfers written per durable commit, by commit path: writer (group commit of single transfers), batch (a batch in its own transaction), transaction (a use case's transaction), grouped (several use cases sharing one SQLite transaction).",
  labelNames: ['path'] as const,
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 8190],
  registers: [telemetryRegistry],
});
const ledgerCommitSeconds = new Histogram({
  name: 'civicpoints_ledger_commit_duration_seconds',
  help: 'Time from the start of a transaction that writes ledger transfers to its durable commit, by commit path.',
  labelNames: ['path'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [telemetryRegistry],
});
const groupedCommitUnits = new Histogram({
  name: 'civicpoints_storage_grouped_commit_units',
  help: 'Units of work (claims, purchases, redemptions, task steps) sharing one SQLite transaction.',
  buckets: [1, 2, 4, 8, 16, 32, 64],
  registers: [telemetryRegistry],
});
const overloadRejections = new Counter({
  name: 'civicpoints_http_overload_rejections_total',
  help: 'Requests shed with 503 overloaded, by the pressure that was over its threshold.',
  labelNames: ['reason'] as const,
  registers: [telemetryRegistry],
});

/** A job runner's view of its queues, read at scrape time: one entry per queue and state. */
export type JobQueueDepthSource = () =>
  | Promise<readonly { queue: string; state: JobState; count: number }[]>
  | readonly { queue: string; state: JobState; count: number }[];

const depthSources = new Set<JobQueueDepthSource>();

new Gauge({
  name: 'civicpoints_job_queue_depth',
  help: 'Jobs per queue and state (queued, retry, active, failed = parked), read from the job runner at scrape time.',
  labelNames: ['queue', 'state'] as const,
  registers: [telemetryRegistry],
  // Every process with a runner reads the same queues: across a cluster's workers, not a sum.
  aggregator: 'max',
  async collect() {
    this.reset();
    const totals = new Map<string, { queue: string; state: JobState; count: number }>();
    for (const source of depthSources) {
      let rows: Awaited<ReturnType<JobQueueDepthSource>>;
      try {
        rows = await source();
      } catch {
        // A scrape must not fail because one database hiccuped; the gauge is absent this time.
        continue;
      }
      for (const row of rows) {
        if (!JOB_STATES.includes(row.state) || !Number.isFinite(row.count)) continue;
        const queue = queueLabel(row.queue);
        const key = `${queue}\u0000${row.state}`;
        const total = totals.get(key) ?? { queue, state: row.state, count: 0 };
        total.count += row.count;
        totals.set(key, total);
      }
    }
    for (const { queue, state, count } of totals.values()) this.set({ queue, state }, count);
  },
});

const QUEUE_NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const MAX_QUEUES = 100;
const seenQueues = new Set<string>();

/** A queue name as a label: job names are a fixed set; anything unexpected becomes `other`. */
function queueLabel(queue: string): string {
  if (typeof queue !== 'string' || !QUEUE_NAME.test(queue)) return 'other';
  if (seenQueues.has(queue)) return queue;
  if (seenQueues.size >= MAX_QUEUES) return 'other';
  seenQueues.add(queue);
  return queue;
}

function oneOf<T extends string>(value: T, allowed: readonly T[]): T | undefined {
  return allowed.includes(value) ? value : undefined;
}

/** Counts one email by outcome (notifications call this for every message). */
export function recordEmailDelivery(outcome: EmailOutcome): void {
  if (oneOf(outcome, EMAIL_OUTCOMES)) emailDeliveries.inc({ outcome });
}

/** Counts one webhook delivery attempt by outcome. */
export function recordWebhookDelivery(outcome: WebhookOutcome): void {
  if (oneOf(outcome, WEBHOOK_OUTCOMES)) webhookDeliveries.inc({ outcome });
}

/** Counts one finished job run of a queue by outcome. */
export function recordJobRun(queue: string, outcome: JobOutcome): void {
  if (oneOf(outcome, JOB_OUTCOMES)) jobRuns.inc({ queue: queueLabel(queue), outcome });
}

/** Counts one failed job run: `parked` when it will not be tried again. */
export function recordJobFailure(queue: string, options: { parked?: boolean } = {}): void {
  recordJobRun(queue, options.parked ? 'parked' : 'failed');
}

/**
 * Adds a source of queue depths that GET /metrics reads at scrape time (one per job runner;
 * several in one process are summed per queue and state). Returns the function that removes it,
 * for the runner's stop.
 */
export function setJobQueueDepthSource(source: JobQueueDepthSource): () => void {
  depthSources.add(source);
  return () => {
    depthSources.delete(source);
  };
}

/** Counts one ledger verification by outcome. */
export function recordLedgerVerification(outcome: 'ok' | 'broken'): void {
  if (outcome === 'ok' || outcome === 'broken') ledgerVerifications.inc({ outcome });
}

/** Records one durable commit that wrote `transfers` ledger transfers and took `seconds`. */
export function observeLedgerCommit(
  transfers: number,
  seconds: number,
  path: LedgerCommitPath = 'writer',
): void {
  if (transfers <= 0) return;
  ledgerCommitTransfers.observe({ path }, transfers);
  ledgerCommitSeconds.observe({ path }, seconds);
}

/** Records one SQLite grouped transaction holding `units` units of work. */
export function observeGroupedCommit(units: number): void {
  groupedCommitUnits.observe(units);
}

/** Counts one request shed because the process is overloaded, by the pressure type. */
export function recordOverloadRejection(reason: string): void {
  const known = [
    'eventLoopDelay',
    'eventLoopUtilization',
    'heapUsedBytes',
    'rssBytes',
    'databaseWaiting',
  ];
  overloadRejections.inc({ reason: known.includes(reason) ? reason : 'other' });
}

// Transfers written inside a caller's transaction are counted against that transaction, and
// observed once it commits (src/storage/grouped-transaction.ts).
const transfersInTransaction = new WeakMap<object, number>();

/** Notes `count` ledger transfers written inside the open transaction `trx`. */
export function noteTransfersInTransaction(trx: object, count: number): void {
  if (count <= 0) return;
  transfersInTransaction.set(trx, (transfersInTransaction.get(trx) ?? 0) + count);
}

/** How many ledger transfers were noted in `trx` so far. */
export function transfersNotedIn(trx: object): number {
  return transfersInTransaction.get(trx) ?? 0;
}

/** Sets the count noted in `trx` back to `count` (a savepoint rolled back). */
export function resetTransfersNoted(trx: object, count: number): void {
  transfersInTransaction.set(trx, count);
}

/**
 * Runs `work` in a new transaction of `db` and, once it committed, records the ledger transfers
 * written inside it (if any) as one commit of `path`.
 */
export async function observedTransaction<Trx extends object, T>(
  begin: (work: (trx: Trx) => Promise<T>) => Promise<T>,
  work: (trx: Trx) => Promise<T>,
  path: LedgerCommitPath,
): Promise<T> {
  const start = process.hrtime.bigint();
  let transfers = 0;
  const value = await begin(async (trx) => {
    const result = await work(trx);
    transfers = transfersNotedIn(trx);
    return result;
  });
  observeLedgerCommit(transfers, secondsSince(start), path);
  return value;
}

/** Seconds since a `process.hrtime.bigint()` reading. */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
