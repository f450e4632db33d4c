import { alertsJobs } from '../modules/alerts/alerts.jobs.js';
import { identityJobs } from '../modules/identity/identity.jobs.js';
import { ledgerJobs } from '../modules/ledger/ledger.jobs.js';
import { notificationsJobs } from '../modules/notifications/notifications.jobs.js';
import { payoutsJobs } from '../modules/payouts/payouts.jobs.js';
import { reportsJobs } from '../modules/reports/reports.jobs.js';
import { tasksJobs } from '../modules/tasks/tasks.jobs.js';
import { vouchersJobs } from '../modules/vouchers/vouchers.jobs.js';
import { webhookJobs } from '../modules/webhooks/webhooks.jobs.js';
import type { JobDefinition, JobSchedule } from './jobs.types.js';

/**
 * Every job the application knows, one list that modules contribute to: a module declares its
 * jobs in `<module>.jobs.ts` and its list is added here once. Adding a job to a module that
 * already has jobs is a change to that one file (a `schedule` makes it periodic).
 */
let applicationJobList: readonly JobDefinition[] | undefined;

// Read on first use, not when this module loads: services import enqueueJob, which imports this
// registry, which imports every module's jobs — a cycle in which a module may still be loading.
function applicationJobs(): readonly JobDefinition[] {
  applicationJobList ??= [
    ...vouchersJobs,
    ...ledgerJobs,
    ...tasksJobs,
    ...reportsJobs,
    ...alertsJobs,
    ...identityJobs,
    ...notificationsJobs,
    ...(webhookJobs as JobDefinition[]),
    ...(payoutsJobs as JobDefinition[]),
  ];
  return applicationJobList;
}

/** Jobs added at run time (tests, tools): known to enqueueJob and to runners started after. */
const extraJobs = new Map<string, JobDefinition>();

/** Queue names pg-boss and the table runner both accept, `module.verb`. */
const QUEUE_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/** Every registered job definition (the application's, then any added at run time). */
export function jobDefinitions(): JobDefinition[] {
  const all = new Map<string, JobDefinition>();
  for (const definition of [...applicationJobs(), ...extraJobs.values()]) {
    if (!QUEUE_NAME.test(definition.name)) {
      throw new Error(`job name "${definition.name}" is not module.verb`);
    }
    all.set(definition.name, definition);
  }
  return [...all.values()];
}

/** The definition of a queue, or undefined when no job has that name. */
export function findJobDefinition(name: string): JobDefinition | undefined {
  return extraJobs.get(name) ?? applicationJobs().find((definition) => definition.name === name);
}

/** The jobs the clock enqueues, with their cron expressions. */
export function jobSchedules(
  definitions: readonly JobDefinition[] = jobDefinitions(),
): JobSchedule[] {
  return definitions.flatMap((d) => (d.schedule ? [{ name: d.name, cron: d.schedule }] : []));
}

/** Adds jobs at run time (tests and tools; the application lists its own above). */
export function registerJobs(definitions: readonly JobDefinition[]): void {
  for (const definition of definitions) {
    if (!QUEUE_NAME.test(definition.name)) {
      throw new Error(`job name "${definition.name}" is not module.verb`);
    }
    extraJobs.set(definition.name, definition);
  }
}
