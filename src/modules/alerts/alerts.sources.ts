import { reportsAlertSource } from '../reports/reports.alerts.js';
import { tasksAlertSource } from '../tasks/tasks.alerts.js';
import type { AlertSource } from './alerts.types.js';

/**
 * Where digests look for new items. The tasks and reports modules each offer a source; they are
 * listed here so the alerts module depends on them, not the other way round.
 */
export const ALERT_SOURCES: readonly AlertSource[] = [tasksAlertSource, reportsAlertSource];
