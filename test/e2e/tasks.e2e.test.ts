import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireBrowser } from '../support/browser.js';
import { jpegWithExif } from '../support/exif-jpeg.js';
import { makeTask, PELT_MARKET } from '../support/tasks.js';
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  plain,
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

// Public tasks in Chromium against the real tasks API, with no map tiles (MAP_TILE_URL points
// at a 127.0.0.1 port nobody listens on): the task list and map, a task's page, a resident who
// claims a place, downloads the .ics, completes it with an "after" photo and the device's
// location, and finds the bounty in the wallet; another who gives a place back.

const hasBrowser = requireBrowser('tasks browser tests');

// The test server's clock stands at 2026-12-01T09:00Z; the browsers' a little later.
const BROWSER_TIME = new Date('2026-12-01T10:00:00Z');

const LITTER = {
  en: 'Pick up litter on the market square',
  nl: 'Zwerfvuil rapen op de markt',
  fr: 'Ramasser les déchets sur la place du marché',
  de: 'Müll auf dem Marktplatz sammeln',
};

describe.skipIf(!hasBrowser)('tasks in Chromium', () => {
  let rig: ResidentRig;
  let visitor: Page;
  let cleo: Page;
  let taskId: string;
  let otherTaskId: string;

  beforeAll(async () => {
    rig = await startMapRig({ at: BROWSER_TIME, where: PELT_MARKET });
    const task = await makeTask(rig.server.app, 'pelt', {
      title: LITTER,
      bountyPoints: 40,
      slots: 3,
      proofRequired: { beforePhoto: false, afterPhoto: true, location: true },
    });
    taskId = task.id;
    const other = await makeTask(rig.server.app, 'pelt', {
      title: {
        en: 'Sweep the cycle path',
        nl: 'Het fietspad vegen',
        fr: 'Balayer la piste cyclable',
        de: 'Den Radweg fegen',
      },
      location: { latitude: 51.231, longitude: 5.415, radiusMeters: 200 },
      bountyPoints: 25,
      estimatedMinutes: 90,
    });
    otherTaskId = other.id;
    visitor = rig.watch(await rig.desktop.context.newPage());
    cleo = await signUpInPelt(rig, rig.phone, 'cleo.tasks@example.org');
  }, 240_000);

  afterAll(async () => {
    await rig?.close();
  });

  afterEach(() => {
    expect(rig.pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  it('lists the open tasks beside the map, filters them, in each language', async () => {
    await visitor.goto(`${rig.server.url}/tasks?municipality=pelt`);
    await waitForHeading(visitor, text('en', 'tasks.list.title'));
    const list = visitor.getByTestId('place-list');
    await list.locator(`[data-place="task:${taskId}"]`).waitFor();
    await list.locator(`[data-place="task:${otherTaskId}"]`).waitFor();
    await visitor
      .getByRole('region', { name: text('en', 'tasks.list.map') })
      .getByRole('button', { name: `${text('en', 'map.kind.task')}: ${LITTER.en}` })
      .waitFor();
    await expectNoSeriousAxeViolations(visitor);
    await screenshot(visitor, 'tasks-list');

    // At most 60 minutes leaves out the 90-minute task (the demo's own tasks may stay).
    const sweep = list.locator(`[data-place="task:${otherTaskId}"]`);
    await visitor.getByLabel(text('en', 'tasks.list.maxMinutes')).selectOption('60');
    await expect.poll(() => sweep.count()).toBe(0);
    await list.locator(`[data-place="task:${taskId}"]`).waitFor();
    await visitor.getByLabel(text('en', 'tasks.list.maxMinutes')).selectOption('');
    await sweep.waitFor();

    // The public map shows the same tasks from the GeoJSON feed.
    await visitor.goto(`${rig.server.url}/map?municipality=pelt`);
    await waitForHeading(visitor, text('en', 'map.title'));
    await visitor.locator(`[data-place="task:${taskId}"]`).waitFor();

    await cleo.goto(`${rig.server.url}/tasks?municipality=pelt`);
    await checkEachLanguage({ desktop: visitor, phone: cleo }, 'tasks', async (page, locale) => {
      if (page === visitor) await waitForHeading(page, text(locale, 'map.title'));
      else await waitForHeading(page, text(locale, 'tasks.list.title'));
      await page.getByText(LITTER[locale]).first().waitFor();
    });
  }, 120_000);

  it("shows a task's page; a visitor is asked to sign in", async () => {
    await visitor.goto(`${rig.server.url}/tasks?municipality=pelt`);
    await visitor.getByRole('link', { name: LITTER.en }).click();
    await waitForHeading(visitor, LITTER.en);
    await visitor.getByText(text('en', 'tasks.detail.signIn')).waitFor();
    expect(plain(await visitor.locator('main').textContent())).toContain('40 points');
    await expectNoSeriousAxeViolations(visitor);
    await screenshot(visitor, 'task-detail-visitor');
  });

  it('a resident claims a place, gets the .ics, completes it with proof and is paid', async () => {
    const points = async () =>
      (await (await cleo.request.get(`${rig.server.url}/api/me/wallet`)).json()).points as number;
    const before = await points();
    await cleo.goto(`${rig.server.url}/tasks/${taskId}`);
    await waitForHeading(cleo, LITTER.en);
    await cleo.getByRole('button', { name: text('en', 'tasks.detail.claim') }).click();
    await cleo.getByTestId('task-held').waitFor();
    await expectNoSeriousAxeViolations(cleo);
    await expectNoHorizontalScroll(cleo);
    await screenshot(cleo, 'task-claimed-phone');

    const calendar = cleo.getByRole('link', { name: text('en', 'tasks.detail.calendar') });
    const href = await calendar.getAttribute('href');
    const ics = await cleo.request.get(`${rig.server.url}${href}`);
    expect(ics.status()).toBe(200);
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');

    // Finishing without the proof says what is missing.
    await cleo.getByRole('button', { name: text('en', 'tasks.complete.submit') }).click();
    await cleo.getByText(text('en', 'tasks.complete.missing')).waitFor();

    await cleo.getByTestId('after-photo-camera').setInputFiles({
      name: 'after.jpg',
      mimeType: 'image/jpeg',
      buffer: await jpegWithExif({ seed: 71, takenAt: '2026-12-01T09:55:00Z', ...PELT_MARKET }),
    });
    await cleo.getByTestId('after-photo-added').waitFor();
    await cleo.getByRole('button', { name: text('en', 'earn.form.location.use') }).click();
    await cleo.getByTestId('location-added').waitFor();
    await screenshot(cleo, 'task-proof-phone');
    await cleo.getByRole('button', { name: text('en', 'tasks.complete.submit') }).click();
    const result = cleo.getByTestId('task-claim-result');
    await result.waitFor();
    expect(await result.textContent()).toBe(text('en', 'tasks.claimStatus.approved'));
    await expectNoSeriousAxeViolations(cleo);
    await screenshot(cleo, 'task-done-phone');

    expect(await points()).toBe(before + 40);

    await cleo.goto(`${rig.server.url}/resident/tasks`);
    await waitForHeading(cleo, text('en', 'tasks.mine.title'));
    await cleo.getByTestId('my-tasks').getByText(LITTER.en).waitFor();
    await expectNoSeriousAxeViolations(cleo);
    await screenshot(cleo, 'my-tasks-phone');
  }, 60_000);

  it('a resident gives a claimed place back', async () => {
    await cleo.goto(`${rig.server.url}/tasks/${otherTaskId}`);
    await cleo.getByRole('button', { name: text('en', 'tasks.detail.claim') }).click();
    await cleo.getByTestId('task-held').waitFor();
    await cleo.getByRole('button', { name: text('en', 'tasks.detail.release') }).click();
    await cleo.getByText(text('en', 'tasks.claimStatus.released')).waitFor();
    await cleo.getByRole('button', { name: text('en', 'tasks.detail.claim') }).waitFor();
  });

  it('a completion outside the place goes to review, and a reviewer approves it', async () => {
    const points = async () =>
      (await (await cleo.request.get(`${rig.server.url}/api/me/wallet`)).json()).points as number;
    const before = await points();
    // Cleo is at the market, about a kilometre from the cycle path's 200 m.
    await cleo.goto(`${rig.server.url}/tasks/${otherTaskId}`);
    await cleo.getByRole('button', { name: text('en', 'tasks.detail.claim') }).click();
    await cleo.getByTestId('task-held').waitFor();
    await cleo.getByRole('button', { name: text('en', 'earn.form.location.use') }).click();
    await cleo.getByTestId('location-added').waitFor();
    await cleo.getByRole('button', { name: text('en', 'tasks.complete.submit') }).click();
    const result = cleo.getByTestId('task-claim-result');
    await result.waitFor();
    expect(await result.textContent()).toBe(text('en', 'tasks.claimStatus.review'));

    const { browser: staff, page } = await reviewerOfPelt(rig, 'ravi.reviewer@example.org');
    try {
      await page.goto(`${rig.server.url}/staff/tasks`);
      await waitForHeading(page, text('en', 'staffTasks.title'));
      await page
        .getByTestId('staff-tasks')
        .getByRole('row', { name: /Sweep the cycle path/ })
        .getByRole('button', {
          name: text('en', 'staffTasks.claims.open').replace('{{count}}', '1'),
        })
        .click();
      const claims = page.getByTestId('task-claims');
      await claims.getByText(text('en', 'staffTasks.flags.outside_area')).waitFor();
      await expectNoSeriousAxeViolations(page);
      await screenshot(page, 'staff-task-claims');
      await claims.getByRole('button', { name: text('en', 'staffTasks.claims.approve') }).click();
      await claims.getByText(text('en', 'staffTasks.claimStatus.approved')).waitFor();
    } finally {
      await staff.close();
    }
    expect(await points()).toBe(before + 25);
  }, 60_000);
});
