import { type ChildProcess, spawn } from 'node:child_process';
import { sql } from 'kysely';
import type { JobDefinition, ScheduledPayload } from '../../src/jobs/jobs.types.js';
import { packageRoot } from '../../src/shared/package-info.js';
import type { Db } from '../../src/storage/database.js';
import { nodeArgsFor } from './compiled-scripts.js';

/**
 * Jobs for the job system's tests, and runner processes that work them: each run writes a row
 * into `test_job_runs` (queue, key, attempt, pid, event), so a test counts runs per slot or sees
 * which process took a job.
 */

export interface JobRunRow {
  queue: string;
  key: string;
  attempt: number;
  pid: number;
  event: string;
}

/** Creates `test_job_runs` in the test's database (or schema). */
export async function createRunsTable(db: Db): Promise<void> {
  await sql`create table test_job_runs (
    queue text not null, key text not null, attempt integer not null,
    pid integer not null, event text not null)`.execute(db);
}

export async function listRuns(db: Db): Promise<JobRunRow[]> {
  const { rows } = await sql<JobRunRow>`
    select queue, key, attempt, pid, event from test_job_runs order by key, attempt`.execute(db);
  return rows;
}

const record = (db: Db, row: JobRunRow) =>
  sql`insert into test_job_runs (queue, key, attempt, pid, event)
      values (${row.queue}, ${row.key}, ${row.attempt}, ${row.pid}, ${row.event})`.execute(db);

/** Every second: records its slot. */
export const recordJob: JobDefinition<ScheduledPayload> = {
  name: 'test.record',
  schedule: '* * * * * *',
  retryLimit: 0,
  retryDelaySeconds: 0,
  retryBackoff: false,
  expireInSeconds: 30,
  run: async (ctx, payload, job) => {
    await record(ctx.db, {
      queue: 'test.record',
      key: payload.slot,
      attempt: job.attempt,
      pid: process.pid,
      event: 'run',
    });
  },
};

/** Records that it started; in a process with JOB_TEST_HANG=1 it then never finishes. */
export const hangJob: JobDefinition<{ key: string }> = {
  name: 'test.hang',
  retryLimit: 2,
  retryDelaySeconds: 0,
  retryBackoff: false,
  expireInSeconds: 2,
  run: async (ctx, payload, job) => {
    const row = { queue: 'test.hang', key: payload.key, attempt: job.attempt, pid: process.pid };
    await record(ctx.db, { ...row, event: 'started' });
    if (process.env.JOB_TEST_HANG === '1') await new Promise(() => {});
    await record(ctx.db, { ...row, event: 'finished' });
  },
};

export const testJobs: JobDefinition[] = [recordJob as JobDefinition, hangJob as JobDefinition];

export interface RunnerProcess {
  child: ChildProcess;
  output(): string;
}

/**
 * Starts test/support/job-runner-process.ts on the database, working `queues`;
 * resolves once its runner has started.
 */
export function startRunnerProcess(
  databaseUrl: string,
  queues: string[],
  env: Record<string, string> = {},
): Promise<RunnerProcess> {
  const child = spawn(process.execPath, nodeArgsFor('test/support/job-runner-process.ts'), {
    cwd: packageRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      JOB_TEST_QUEUES: queues.join(','),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`the runner process exited (${code}) before starting:\n${output}`));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('runner started')) {
        child.off('exit', onExit);
        resolve({ child, output: () => output });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', onExit);
  });
}

/** Sends the signal and waits for the process to end. */
export function endProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}

/** Waits until `check` returns something truthy (polling every 50 ms); fails after `ms`. */
export async function waitFor<T>(check: () => Promise<T>, what: string, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
