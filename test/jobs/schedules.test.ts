import { afterEach, expect, it } from 'vitest';
import { latestSlot } from '../../src/jobs/schedules.js';
import { openStorage, type Storage } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { describeEachBackend } from '../support/backends.js';
import { databaseUrl } from '../support/cli.js';
import {
  createRunsTable,
  endProcess,
  listRuns,
  type RunnerProcess,
  startRunnerProcess,
  waitFor,
} from '../support/test-jobs.js';

/**
 * A scheduled job runs once per slot however many processes run the schedules: three runner
 * processes on one database with a schedule every second; each slot's job runs exactly once.
 */

describeEachBackend('job schedules across processes', (backend) => {
  let storage: Storage;
  let processes: RunnerProcess[] = [];
  afterEach(async () => {
    await Promise.all(processes.map((p) => endProcess(p.child, 'SIGKILL')));
    processes = [];
    await storage?.close();
  });

  it('run a scheduled job once per slot with three processes', async () => {
    const config = await backend.freshDatabase();
    storage = openStorage(config);
    await migrateToLatest(storage.db);
    await createRunsTable(storage.db);

    processes = await Promise.all(
      [1, 2, 3].map(() => startRunnerProcess(databaseUrl(config), ['test.record'])),
    );
    // Until three slots (seconds) have run after all three processes were running.
    const startedAt = new Date().toISOString();
    await waitFor(
      async () =>
        new Set((await listRuns(storage.db)).filter((r) => r.key > startedAt).map((r) => r.key))
          .size >= 3,
      'three slots run',
      20_000,
    );
    await Promise.all(processes.map((p) => endProcess(p.child, 'SIGTERM')));
    for (const p of processes) expect(p.child.exitCode, p.output()).toBe(0);

    const runs = await listRuns(storage.db);
    const perSlot = new Map<string, number>();
    for (const run of runs) perSlot.set(run.key, (perSlot.get(run.key) ?? 0) + 1);
    expect(
      [...perSlot.values()].every((count) => count === 1),
      JSON.stringify(runs),
    ).toBe(true);
    // Each slot taken once, and what was taken ran (the last one may not have run yet).
    const slots = await storage.db.selectFrom('job_schedule_slots').selectAll().execute();
    expect(slots.every((s) => s.schedule === 'test.record' && s.job_id)).toBe(true);
    expect(slots.length - runs.length).toBeLessThanOrEqual(1);
  }, 60_000);
});

it('takes the latest slot at or before now (UTC)', () => {
  const at = (iso: string) => new Date(iso);
  expect(latestSlot('* * * * *', at('2026-12-01T09:00:00.000Z')).toISOString()).toBe(
    '2026-12-01T09:00:00.000Z',
  );
  expect(latestSlot('* * * * *', at('2026-12-01T09:00:59.999Z')).toISOString()).toBe(
    '2026-12-01T09:00:00.000Z',
  );
  expect(latestSlot('17 * * * *', at('2026-12-01T09:16:00.000Z')).toISOString()).toBe(
    '2026-12-01T08:17:00.000Z',
  );
  expect(() => latestSlot('not cron', new Date())).toThrow();
});
