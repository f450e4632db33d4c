import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { changeReportStatus } from '../../src/modules/reports/inbox.service.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { requireBrowser } from '../support/browser.js';
import { jpegWithExif } from '../support/exif-jpeg.js';
import { testContext } from '../support/server.js';
import { waitForSignInLink } from '../support/smtp.js';
import { PELT_MARKET } from '../support/tasks.js';
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  screenshot,
  text,
  waitForHeading,
} from './page-checks.js';
import {
  checkEachLanguage,
  type ResidentRig,
  reviewerOfPelt,
  signUpInPelt,
  startMapRig,
} from './resident-steps.js';
import { fillAndSaveTask } from './staff-steps.js';

// Reporting problems in Chromium against the real reports API, with no map tiles
// (MAP_TILE_URL points at a 127.0.0.1 port nobody listens on). A visitor reports a pothole at
// the Pelt market and confirms it from the email; a resident at the same spot is offered it
// ("Me too") before sending, follows it, then reports a broken streetlight with a photo and
// the category's questions of every datatype; staff answer; "My reports" shows both with
// their updates. Screenshots go to test-results/screenshots.

const hasBrowser = requireBrowser('reports browser tests');

const BROWSER_TIME = new Date('2026-12-01T10:00:00Z');
const VISITOR = 'vera.visitor@example.org';
const NOTE = 'A crew fills it on Thursday.';

describe.skipIf(!hasBrowser)('reporting problems in Chromium', () => {
  let rig: ResidentRig;
  let visitor: Page;
  let dana: Page;
  let potholeId: string;

  async function placeAtMyLocation(page: Page): Promise<void> {
    await page.getByRole('button', { name: text('en', 'reports.form.location.useDevice') }).click();
    await page
      .getByTestId('place-status')
      .getByText(/^Place chosen: /)
      .waitFor();
  }

  beforeAll(async () => {
    rig = await startMapRig({
      at: BROWSER_TIME,
      where: PELT_MARKET,
      // The resident stands some 40 m away: within the 250 m of the duplicate suggestions.
      phoneWhere: {
        latitude: PELT_MARKET.latitude + 0.0003,
        longitude: PELT_MARKET.longitude + 0.0002,
      },
    });
    visitor = rig.watch(await rig.desktop.context.newPage());
    dana = await signUpInPelt(rig, rig.phone, 'dana.reports@example.org');
  }, 240_000);

  afterAll(async () => {
    await rig?.close();
  });

  afterEach(() => {
    expect(rig.pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  it('a visitor reports a pothole and confirms it from the email', async () => {
    await visitor.goto(`${rig.server.url}/map`);
    await visitor.getByRole('link', { name: text('en', 'reports.form.title') }).click();
    await waitForHeading(visitor, text('en', 'reports.form.title'));
    await visitor
      .getByLabel(text('en', 'reports.form.municipality'))
      .selectOption({ label: 'Pelt' });
    await visitor.getByLabel(text('en', 'reports.form.category')).selectOption('pothole');

    // Sent empty, it says what is missing and sends nothing.
    await visitor.getByRole('button', { name: text('en', 'reports.form.send') }).click();
    await visitor.getByText(text('en', 'reports.form.errors.check')).waitFor();
    await visitor.getByTestId('location-error').waitFor();
    await expectNoSeriousAxeViolations(visitor);

    await visitor.getByLabel('How big is it?').selectOption('medium');
    await visitor.getByLabel('How deep, in cm?').fill('8');
    await placeAtMyLocation(visitor);
    await visitor.getByLabel(text('en', 'reports.form.location.address')).fill('Market square 1');
    await visitor
      .getByLabel(text('en', 'reports.form.description'))
      .fill('A deep hole in front of the town hall; cyclists swerve around it.');
    await visitor.getByLabel(text('en', 'reports.form.email')).fill(VISITOR);
    await expectNoSeriousAxeViolations(visitor);
    await screenshot(visitor, 'report-form-visitor');
    await visitor.getByRole('button', { name: text('en', 'reports.form.send') }).click();
    await waitForHeading(visitor, text('en', 'reports.sent.confirmTitle'));

    await visitor.goto(await waitForSignInLink(rig.received, VISITOR, 0, '/reports/confirm'));
    await waitForHeading(visitor, text('en', 'reports.confirm.title'));
    await visitor.getByText(text('en', 'reports.confirm.done')).waitFor();
    expect(new URL(visitor.url()).hash).toBe('');
    await visitor.getByRole('link', { name: text('en', 'reports.sent.view') }).click();
    await waitForHeading(visitor, 'Pothole');
    potholeId = new URL(visitor.url()).pathname.split('/').pop()!;
    await visitor.getByText('A deep hole in front of the town hall', { exact: false }).waitFor();
    await expectNoSeriousAxeViolations(visitor);
    await screenshot(visitor, 'report-detail');

    // Confirmed, it is on the public map (the reports GeoJSON feed), linked to its page.
    await visitor.goto(`${rig.server.url}/map?municipality=pelt`);
    await waitForHeading(visitor, text('en', 'map.title'));
    await visitor
      .locator(`[data-place="report:${potholeId}"]`)
      .getByRole('link', { name: 'Pothole' })
      .waitFor();
  }, 60_000);

  it('offers a resident the nearby pothole ("Me too") before they send one', async () => {
    await dana.goto(`${rig.server.url}/report`);
    await waitForHeading(dana, text('en', 'reports.form.title'));
    await dana.getByLabel(text('en', 'reports.form.category')).selectOption('pothole');
    await placeAtMyLocation(dana);
    const nearby = dana.getByTestId('nearby-reports');
    await nearby.locator(`[data-nearby="${potholeId}"]`).waitFor();
    await expectNoSeriousAxeViolations(dana);
    await expectNoHorizontalScroll(dana);
    await screenshot(dana, 'report-nearby-phone');
    await nearby
      .getByRole('button', { name: `${text('en', 'reports.nearby.meToo')}: Pothole` })
      .click();
    await nearby.getByText(text('en', 'reports.nearby.following')).waitFor();
  });

  it('a resident reports a streetlight with every kind of question and a photo', async () => {
    await dana.getByLabel(text('en', 'reports.form.category')).selectOption('streetlight');
    const questions = dana.getByTestId('attribute-fields');
    const labels = await questions.locator('label').allTextContents();
    expect(labels.length).toBeGreaterThanOrEqual(3);
    await questions.getByLabel('Number on the pole').fill('LP-0412');
    await questions.getByLabel('Since when?').fill('2026-11-30T19:30');
    await questions.getByLabel('Anything else?').fill('It flickers, then goes out.');
    // A tap on the map moves the pin there.
    const status = dana.getByTestId('place-status');
    const before = await status.textContent();
    await dana
      .getByRole('region', { name: text('en', 'reports.form.location.map') })
      .click({ position: { x: 150, y: 120 } });
    await expect.poll(() => status.textContent()).not.toBe(before);
    await dana.getByLabel(text('en', 'reports.form.description')).fill('The street light is out.');
    await dana.getByTestId('photo-camera').setInputFiles({
      name: 'light.jpg',
      mimeType: 'image/jpeg',
      buffer: await jpegWithExif({ seed: 31, takenAt: '2026-12-01T09:50:00Z', ...PELT_MARKET }),
    });
    await dana.getByTestId('photo-added').waitFor();
    await dana.getByLabel(text('en', 'reports.form.showName')).check();
    await screenshot(dana, 'report-form-phone');
    await dana.getByRole('button', { name: text('en', 'reports.form.send') }).click();
    await waitForHeading(dana, text('en', 'reports.sent.title'));
    await expectNoSeriousAxeViolations(dana);
  });

  it("shows my reports and the ones I follow, with the municipality's update", async () => {
    const ctx = { ...testContext(rig.server.app), actor: { kind: 'operator_cli' as const } };
    const pelt = await getMunicipality(ctx, 'pelt');
    await changeReportStatus(
      ctx,
      pelt.id,
      potholeId,
      { subStatus: 'in_progress', note: NOTE },
      { publicUrl: rig.server.url },
    );
    await dana.getByRole('link', { name: text('en', 'reports.mine.title') }).click();
    await waitForHeading(dana, text('en', 'reports.mine.title'));
    await dana.getByTestId('reported-reports').locator('[data-report]').first().waitFor();
    expect(await dana.getByTestId('reported-reports').locator('[data-report]').count()).toBe(1);
    const followed = dana.getByTestId('followed-reports');
    await followed.locator(`[data-report="${potholeId}"]`).getByText(NOTE).waitFor();
    await followed.getByText(text('en', 'map.status.in_progress')).first().waitFor();
    await expectNoHorizontalScroll(dana);
    await checkEachLanguage({ desktop: visitor, phone: dana }, 'reports', async (page, locale) => {
      if (page === dana) await waitForHeading(page, text(locale, 'reports.mine.title'));
      else await page.getByRole('heading', { level: 1 }).waitFor();
    });
  }, 120_000);

  it('shows the report form in each language, on desktop and phone', async () => {
    await visitor.goto(`${rig.server.url}/report`);
    await dana.goto(`${rig.server.url}/report`);
    await checkEachLanguage(
      { desktop: visitor, phone: dana },
      'report-form',
      async (page, locale) => {
        await waitForHeading(page, text(locale, 'reports.form.title'));
        await page.getByLabel(text(locale, 'reports.form.category')).waitFor();
      },
    );
  }, 120_000);

  it('a reviewer answers the pothole in the inbox and makes a task of it', async () => {
    const { browser: staff, page } = await reviewerOfPelt(rig, 'rita.reviewer@example.org');
    try {
      await page.goto(`${rig.server.url}/staff`);
      await page
        .getByRole('navigation', { name: text('en', 'staffArea.navLabel') })
        .getByRole('link', { name: text('en', 'staffArea.nav.reports') })
        .click();
      await waitForHeading(page, text('en', 'staffReports.title'));
      const table = page.getByTestId('report-inbox');
      // Only what the map shows (the box around Pelt): the pothole is in it.
      await page.getByLabel(text('en', 'staffReports.filters.inView')).check();
      await table.getByRole('button', { name: 'Pothole' }).click();
      const panel = page.getByTestId('report-panel');
      await panel
        .getByRole('paragraph')
        .filter({ hasText: 'A deep hole in front of the town hall' })
        .waitFor();
      await panel.getByRole('button', { name: text('en', 'staffReports.assignMe') }).click();
      await panel.getByText(text('en', 'staffReports.done.assigned')).waitFor();
      await panel.getByLabel(text('en', 'staffReports.newStatus')).selectOption('in_progress');
      await panel
        .getByLabel(text('en', 'staffReports.note'))
        .fill('Volunteers will fill it this week.');
      await panel.getByRole('button', { name: text('en', 'staffReports.changeStatus') }).click();
      await panel.getByText(text('en', 'staffReports.done.status')).waitFor();
      await expectNoSeriousAxeViolations(page);
      await screenshot(page, 'staff-reports');

      await panel.getByRole('link', { name: text('en', 'staffReports.makeTask') }).click();
      await waitForHeading(page, text('en', 'staffTasks.title'));
      await page
        .getByTestId('task-place')
        .getByText(/^Placed at 51\.22/)
        .waitFor();
      await fillAndSaveTask(
        page,
        {
          Dutch: 'Put opvullen',
          French: 'Reboucher le trou',
          German: 'Loch auffüllen',
          English: 'Fill the hole',
        },
        { start: '2026-12-01T08:00', end: '2026-12-05T18:00' },
      );
      const tasks = page.getByTestId('staff-tasks');
      const row = tasks.getByRole('row', { name: /Fill the hole/ });
      await row.getByRole('button', { name: text('en', 'staffTasks.publish') }).click();
      await row
        .getByRole('cell', { name: text('en', 'staffTasks.status.open'), exact: true })
        .waitFor();
      // Changed once published: 30 points instead of 25.
      await row.getByRole('button', { name: text('en', 'staffTasks.change') }).click();
      await page.getByLabel(text('en', 'staffTasks.bounty'), { exact: true }).fill('30');
      await page.getByRole('button', { name: text('en', 'staffTasks.saveChanges') }).click();
      await row.getByRole('cell', { name: '30', exact: true }).waitFor();
      await expectNoSeriousAxeViolations(page);
      await screenshot(page, 'staff-tasks');
    } finally {
      await staff.close();
    }

    // The resident who followed it sees the answer; the task is on the public map.
    await dana.goto(`${rig.server.url}/reports/${potholeId}`);
    await dana.getByText('Volunteers will fill it this week.').waitFor();
    // She follows it already ("Me too" before): the page offers to stop.
    await dana.getByRole('button', { name: text('en', 'reports.detail.unfollow') }).waitFor();
    await dana.goto(`${rig.server.url}/tasks?municipality=pelt`);
    await dana.getByRole('link', { name: 'Fill the hole' }).first().click();
    await waitForHeading(dana, 'Fill the hole');
    await dana.getByText('Wear a vest.').waitFor();
  }, 90_000);
});
