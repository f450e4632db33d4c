import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  getMunicipality,
  setRegisteredHouseholds,
} from '../../src/modules/tenancy/tenancy.service.js';
import type { FixedClock } from '../../src/shared/clock.js';
import { type LaunchedBrowser, launchBrowser, requireBrowser } from '../support/browser.js';
import { makeActivity, setEarningSettings } from '../support/earning.js';
import { signInResident } from '../support/residents.js';
import { freePort, startTestServer, testContext } from '../support/server.js';
import { type SignedInUser, signInUser } from '../support/users.js';
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  plain,
  prepareScreenshots,
  screenshot,
  text,
  waitForHeading,
} from './page-checks.js';
import { chooseLanguage } from './resident-steps.js';
import { ensureWebBuild } from './web-build.js';

// The participation figures in Chromium: residents of Pelt claim over four months (through the
// API, as the resident app does), then an analyst opens the dashboard, the public opens the
// transparency page and an operator compares the region. Pelt's register is set to 40 households,
// so December's 4 taking part are 10 %. Staff sign-in is someone else's page: the session cookie
// from the API sign-in is put into the browser directly.

const hasBrowser = requireBrowser('dashboard browser tests');
const en = (key: string, values: Record<string, string> = {}) =>
  Object.entries(values).reduce((s, [k, v]) => s.replace(`{{${k}}}`, v), text('en', key));

describe.skipIf(!hasBrowser)('participation figures in Chromium', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let desktop: LaunchedBrowser;
  let phone: LaunchedBrowser;
  let page: Page;
  let small: Page;
  const pageErrors: string[] = [];
  const watch = (p: Page) => {
    p.on('pageerror', (error) => pageErrors.push(error.message));
    return p;
  };

  /** Puts a signed-in user's session cookies (from the API sign-in) into both browsers. */
  async function actAs(user: SignedInUser | null) {
    for (const browser of [desktop, phone]) {
      await browser.context.clearCookies();
      if (!user) continue;
      const cookies = user.headers.cookie!.split('; ').map((pair) => {
        const [name, ...value] = pair.split('=');
        return { name: name!, value: value.join('='), url: server.url };
      });
      await browser.context.addCookies(cookies);
    }
  }

  beforeAll(async () => {
    prepareScreenshots();
    ensureWebBuild();
    server = await startTestServer({ seedDemo: true, port: await freePort() });
    const { app } = server;
    const clock = app.deps.clock as FixedClock;
    const cli = { ...testContext(app), actor: { kind: 'operator_cli' as const } };
    const pelt = await getMunicipality(cli, 'pelt');
    await setRegisteredHouseholds(cli, pelt.id, 40);
    await setEarningSettings(app, 'pelt');

    clock.set('2026-09-01T08:00:00Z');
    const litter = await makeActivity(app, 'pelt', 'e2e-litter');
    const paper = await makeActivity(app, 'pelt', 'e2e-paper', {
      names: { nl: 'Oud papier', fr: 'Vieux papiers', de: 'Altpapier', en: 'Old paper' },
      points: { mode: 'per_unit', unit: 'kg', pointsPerUnit: 2, maxPointsPerClaim: 100 },
      impactKey: 'paper',
      budget: { period: 'month', points: 200 },
    });
    const volunteer = await makeActivity(app, 'pelt', 'e2e-volunteer', {
      names: { nl: 'Helpen', fr: 'Aider', de: 'Helfen', en: 'Help out' },
      points: { mode: 'per_unit', unit: 'hour', pointsPerUnit: 10, maxPointsPerClaim: 80 },
      impactKey: 'volunteer_hours',
    });
    const claim = async (resident: number, activityId: string, quantity?: number) => {
      const { headers } = await signInResident(app, 'pelt', `e2e.${resident}@example.be`);
      const response = await app.inject({
        method: 'POST',
        url: '/api/me/claims',
        headers,
        payload: { activityId, ...(quantity !== undefined && { quantity }) },
      });
      expect(response.statusCode, response.body).toBe(201);
    };
    // Ten households of one resident each, and two residents without a household.
    for (let resident = 0; resident < 10; resident++) {
      const { headers } = await signInResident(app, 'pelt', `e2e.${resident}@example.be`);
      const created = await app.inject({
        method: 'POST',
        url: '/api/me/household',
        headers,
        payload: { address: `Markt ${resident + 1}` },
      });
      expect(created.statusCode, created.body).toBe(201);
    }
    const months: [string, [number, 'litter' | 'paper' | 'volunteer', number?][]][] = [
      [
        '2026-09-15T10:00:00Z',
        [
          [0, 'litter'],
          [1, 'paper', 4],
          [2, 'volunteer', 2],
        ],
      ],
      [
        '2026-10-15T10:00:00Z',
        [
          [0, 'paper', 6],
          [3, 'litter'],
          [4, 'litter'],
          [5, 'volunteer', 3],
          [10, 'litter'],
        ],
      ],
      [
        '2026-11-15T10:00:00Z',
        [
          [1, 'paper', 8],
          [2, 'litter'],
          [6, 'litter'],
          [7, 'volunteer', 4],
          [8, 'paper', 5],
          [9, 'litter'],
          [11, 'litter'],
        ],
      ],
      [
        '2026-12-01T08:00:00Z',
        [
          [0, 'litter'],
          [3, 'paper', 10],
          [6, 'volunteer', 1],
          [11, 'litter'],
        ],
      ],
    ];
    const ids = { litter: litter.id, paper: paper.id, volunteer: volunteer.id };
    for (const [at, claims] of months) {
      clock.set(at);
      for (const [resident, kind, quantity] of claims) await claim(resident, ids[kind], quantity);
    }
    clock.set('2026-12-01T09:00:00Z');

    desktop = await launchBrowser({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    phone = await launchBrowser({
      locale: 'en-GB',
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    page = watch(await desktop.context.newPage());
    small = watch(await phone.context.newPage());
  }, 240_000);

  afterAll(async () => {
    await desktop?.close();
    await phone?.close();
    await server?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  it('shows the participation rate on the dashboard, with charts and their tables', async () => {
    await actAs(
      await signInUser(
        server.app,
        { kind: 'staff', slug: 'pelt', roles: ['analyst'] },
        'analyst@pelt.example.be',
      ),
    );
    await page.goto(`${server.url}/staff`);
    await waitForHeading(page, en('staffArea.home.title'));
    const summary = page.getByTestId('participation-summary');
    await summary.getByText('10%').waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'staff-home-figures');

    await summary.getByRole('link', { name: en('figures.dashboard.open') }).click();
    await waitForHeading(page, en('figures.dashboard.title'));
    const rate = page.getByTestId('rate-month');
    await rate.waitFor();
    expect(plain(await rate.textContent())).toContain('10%');
    expect(plain(await rate.textContent())).toContain(
      en('figures.householdsOf', { households: '4', registered: '40' }),
    );
    // This year all 12 took part: 10 households, and 2 residents without one who count as one each.
    expect(plain(await page.getByTestId('rate-year').textContent())).toContain(
      en('figures.householdsOf', { households: '12', registered: '40' }),
    );
    const change = page.getByTestId('change-table');
    const householdsRow = change
      .getByRole('row')
      .filter({ hasText: en('figures.participation.households') });
    expect(plain(await householdsRow.textContent())).toContain('7');
    expect(plain(await householdsRow.textContent())).toMatch(/[-−]3$/);
    await page.getByTestId('participation-chart').locator('svg').first().waitFor();
    await page.getByTestId('points-chart').locator('svg').first().waitFor();
    await page.getByTestId('impact-chart-kg').locator('svg').first().waitFor();
    const budget = page
      .getByTestId('activity-figures')
      .getByRole('row')
      .filter({ hasText: 'Old paper' });
    expect(plain(await budget.textContent())).toContain(
      en('figures.activities.budgetUse.month', { used: '20', points: '200', left: '180' }),
    );
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'dashboard');

    // The chart's text alternative: the same months as a table, on screen at a click.
    const chart = page.getByTestId('participation-chart');
    await chart.getByRole('button', { name: en('figures.showTable') }).click();
    const december = chart.getByRole('row').filter({ hasText: 'December 2026' });
    await december.waitFor();
    expect(plain(await december.textContent())).toContain('10%');
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'dashboard-table');

    const csv = await page.getByTestId('participation-csv').getAttribute('href');
    const download = await page.evaluate(async (href) => {
      const response = await fetch(href!);
      return { status: response.status, body: await response.text() };
    }, csv);
    expect(download.status).toBe(200);
    expect(download.body).toContain('pelt,2026-12,participation_rate,,0.1,ratio');

    await small.goto(`${server.url}/staff/dashboard`);
    await waitForHeading(small, en('figures.dashboard.title'));
    await small.getByTestId('rate-month').getByText('10%').waitFor();
    await small.getByTestId('participation-chart').locator('svg').first().waitFor();
    await expectNoSeriousAxeViolations(small);
    await expectNoHorizontalScroll(small);
    await screenshot(small, 'dashboard-phone');

    await chooseLanguage(page, 'nl');
    await waitForHeading(page, text('nl', 'figures.dashboard.title'));
    await page.getByTestId('rate-month').getByText('10%').waitFor();
    await screenshot(page, 'dashboard-nl');
    await chooseLanguage(page, 'en');
  });

  it('shows the public figures and the open data on the transparency page', async () => {
    await actAs(null);
    await page.goto(`${server.url}/public`);
    await waitForHeading(page, en('areas.public.name'));
    await page
      .getByRole('navigation', { name: en('figures.public.listLabel') })
      .getByRole('link', { name: en('figures.public.title', { name: 'Lommel' }) })
      .waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'transparency-index');
    await page.goto(`${server.url}/municipalities/pelt`);
    await page.getByTestId('transparency-link').click();
    await waitForHeading(page, en('figures.public.title', { name: 'Pelt' }));
    expect(new URL(page.url()).pathname).toBe('/municipalities/pelt/transparency');
    const rate = page.getByTestId('public-rate-month');
    await rate.getByText('10%').waitFor();
    await page.getByTestId('impact-totals').getByText('33 kg').waitFor();
    await page.getByTestId('participation-chart').locator('svg').first().waitFor();
    const main = plain(await page.locator('main').textContent());
    expect(main).toContain(en('figures.public.openData'));
    expect(main).not.toContain('e2e.');
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'transparency');

    const href = await page.getByTestId('open-data-csv').getAttribute('href');
    expect(href).toBe('/api/public/municipalities/pelt/figures.csv');
    const open = await fetch(`${server.url}${href}`);
    expect(open.status).toBe(200);
    const body = await open.text();
    expect(body).toContain('pelt,2026-12,participating_households,,4,households');
    expect(body).not.toMatch(/res_|hh_|@/);

    await small.goto(`${server.url}/municipalities/pelt/transparency`);
    await waitForHeading(small, en('figures.public.title', { name: 'Pelt' }));
    await small.getByTestId('public-rate-month').getByText('10%').waitFor();
    await small.getByTestId('points-chart').locator('svg').first().waitFor();
    await expectNoSeriousAxeViolations(small);
    await expectNoHorizontalScroll(small);
    await screenshot(small, 'transparency-phone');
  });

  it('compares the municipalities side by side for operators', async () => {
    await actAs(await signInUser(server.app, { kind: 'operator' }, 'op@region.example.be'));
    await page.goto(`${server.url}/staff/region`);
    await waitForHeading(page, en('figures.region.title'));
    const row = page.getByTestId('region-table').getByRole('row').filter({ hasText: 'Pelt' });
    await row.waitFor();
    expect(plain(await row.textContent())).toContain('10%');
    await page.getByTestId('region-table').getByRole('row').filter({ hasText: 'Lommel' }).waitFor();
    await page.getByTestId('region-rates').locator('svg').first().waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'region');

    await small.goto(`${server.url}/staff/region`);
    await waitForHeading(small, en('figures.region.title'));
    await small.getByTestId('region-table').waitFor();
    await expectNoSeriousAxeViolations(small);
    await expectNoHorizontalScroll(small);
    await screenshot(small, 'region-phone');
  });
});
