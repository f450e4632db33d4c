import type { Page } from 'playwright-core';
import { text } from './page-checks.js';

/** A task's name in the four languages, as the task manager's form asks for them. */
export type TaskNames = Record<'Dutch' | 'French' | 'German' | 'English', string>;

/**
 * Fills the task manager's form (opened from a report's "Make a task of it", so already placed):
 * names and descriptions in the four languages, a safety note, the window and the volunteer
 * statement; then saves it as a draft.
 */
export async function fillAndSaveTask(
  page: Page,
  names: TaskNames,
  window: { start: string; end: string },
): Promise<void> {
  for (const [language, title] of Object.entries(names)) {
    await page.getByLabel(`Name (${language})`, { exact: true }).fill(title);
    await page
      .getByLabel(`Description (${language})`, { exact: true })
      .fill(`${title}: with gravel from the depot.`);
    await page.getByLabel(`Safety notes (${language})`, { exact: true }).fill('Wear a vest.');
  }
  await page.getByLabel(text('en', 'staffTasks.start'), { exact: true }).fill(window.start);
  await page.getByLabel(text('en', 'staffTasks.end'), { exact: true }).fill(window.end);
  await page.getByLabel(text('en', 'staffTasks.volunteer')).check();
  await page.getByRole('button', { name: text('en', 'staffTasks.save') }).click();
}
