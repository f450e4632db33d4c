import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoPartnerUserEmail, demoStaffEmail } from '../../src/demo/seed-demo.js';
import { registerResident } from '../../src/modules/identity/identity.service.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { type LaunchedBrowser, launchBrowser, requireBrowser } from '../support/browser.js';
import { freePort, startTestServer, testContext } from '../support/server.js';
import { type SignedInUser, signInExistingUser } from '../support/users.js';
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  plain,
  prepareScreenshots,
  screenshot,
  text,
  waitForHeading,
} from './page-checks.js';
import { ensureWebBuild } from './web-build.js';

// A recycling centre's confirmer uploads a visits file in the partner portal, follows the
// import to its end and reads the rows with a problem by line; a reviewer imports the same
// file for the centre in the staff area and sees that nothing new was given; a file with the
// wrong columns is refused with the reason. On a desktop and at 360 px.

const hasBrowser = requireBrowser('visit import browser tests');
const en = (key: string) => text('en', key);
const ROWS = 4000;
/** Lines (the header is line 1) of the rows made bad, and why. */
const BAD: Record<number, string> = {
  5: 'bad_number',
  11: 'unknown_resident',
  40: 'bad_date',
  77: 'unknown_stream',
  1500: 'bad_number',
};

describe.skipIf(!hasBrowser)('visit imports in Chromium', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let desktop: LaunchedBrowser;
  let phone: LaunchedBrowser;
  let page: Page;
  let dir: string;
  let file: string;
  const pageErrors: string[] = [];

  async function actAs(browser: LaunchedBrowser, user: SignedInUser) {
    await browser.context.clearCookies();
    const cookies = user.headers.cookie!.split('; ').map((pair) => {
      const [name, ...value] = pair.split('=');
      return { name: name!, value: value.join('='), url: server.url };
    });
    await browser.context.addCookies(cookies);
  }

  beforeAll(async () => {
    prepareScreenshots();
    ensureWebBuild();
    server = await startTestServer({ seedDemo: true, port: await freePort() });
    desktop = await launchBrowser({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    phone = await launchBrowser({
      locale: 'en-GB',
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    page = await desktop.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));

    const ctx = testContext(server.app);
    const pelt = await getMunicipality(ctx, 'pelt');
    const codes: string[] = [];
    for (let i = 0; i < 25; i++) {
      codes.push(
        (await registerResident(ctx, { email: null, municipalityId: pelt.id, locale: 'nl' }))
          .memberCode,
      );
    }
    dir = mkdtempSync(path.join(tmpdir(), 'civicpoints-visits-e2e-'));
    file = path.join(dir, 'november.csv');
    const lines = ['visit_id;member_code;visited_at;stream;kg'];
    for (let row = 0; row < ROWS; row++) {
      const line = row + 2;
      const stream = BAD[line] === 'unknown_stream' ? 'asbestos' : row % 2 ? 'paper' : 'glass';
      const code = BAD[line] === 'unknown_resident' ? 'ABCDE-FGHJK-0' : codes[row % codes.length];
      const when =
        BAD[line] === 'bad_date'
          ? '31/11/2026'
          : `2026-${String(1 + (row % 11)).padStart(2, '0')}-${String(1 + (row % 28)).padStart(2, '0')}`;
      const kg = BAD[line] === 'bad_number' ? 'veel' : `${1 + (row % 9)},5`;
      lines.push(`V-${Math.floor(row / 2)};${code};${when};${stream};${kg}`);
    }
    writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  }, 180_000);

  afterAll(async () => {
    await desktop?.close();
    await phone?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  const finishedRun = async (p: Page) => {
    const run = p.locator('[data-testid="visits-run"][data-status="done"]');
    await run.waitFor({ timeout: 60_000 });
    return run;
  };

  it('lets a recycling centre send its visits file and see the rows with a problem', async () => {
    const confirmer = await signInExistingUser(
      server.app,
      demoPartnerUserEmail('recycling', 'confirmer', 'pelt'),
    );
    await actAs(desktop, confirmer);
    await page.goto(`${server.url}/partner/visit-imports`);
    await waitForHeading(page, en('visitImports.partnerTitle'));
    await page.getByText(en('visitImports.recentNone')).waitFor();
    await expectNoSeriousAxeViolations(page);

    await page.locator('input[type="file"]').setInputFiles(file);
    await page.getByRole('button', { name: en('visitImports.start'), exact: true }).click();
    // Spread over the year, the rows stay within the demo's monthly and yearly caps.
    // The progress bar is there while it runs and at the end.
    await page.getByRole('progressbar', { name: en('visitImports.progressLabel') }).waitFor();
    const run = await finishedRun(page);
    expect(plain(await run.getByTestId('visits-progress').textContent())).toBe(
      `${ROWS.toLocaleString('en-GB')} of ${ROWS.toLocaleString('en-GB')} rows (100%)`,
    );
    expect(
      await page
        .getByRole('progressbar', { name: en('visitImports.progressLabel') })
        .getAttribute('aria-valuenow'),
    ).toBe('100');
    const summary = plain(await run.getByTestId('visits-summary').textContent());
    expect(summary).toContain(
      `${en('visitImports.summary.awarded')}${(ROWS - 5).toLocaleString('en-GB')}`,
    );
    expect(summary).toContain(`${en('visitImports.summary.problems')}5`);
    const problems = run.getByTestId('visits-problems');
    const lines = await problems
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-line'))));
    expect(lines).toEqual(Object.keys(BAD).map(Number));
    for (const [line, reason] of Object.entries(BAD)) {
      expect(plain(await problems.locator(`tr[data-line="${line}"]`).textContent())).toContain(
        en(`visitImports.reasons.${reason}`),
      );
    }
    await page.getByTestId('visits-recent').getByText('november.csv').waitFor();
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'partner-visit-imports');

    const small = await phone.context.newPage();
    small.on('pageerror', (error) => pageErrors.push(error.message));
    await actAs(phone, confirmer);
    await small.goto(`${server.url}/partner/visit-imports`);
    await waitForHeading(small, en('visitImports.partnerTitle'));
    await small
      .getByRole('button', { name: en('visitImports.show') })
      .first()
      .click();
    await finishedRun(small);
    await expectNoSeriousAxeViolations(small);
    await expectNoHorizontalScroll(small);
    await screenshot(small, 'partner-visit-imports-phone');
    await small.close();
  });

  it('lets a reviewer import a file for the centre: the same file gives nothing new', async () => {
    const reviewer = await signInExistingUser(server.app, demoStaffEmail('reviewer', 'pelt'));
    await actAs(desktop, reviewer);
    await page.goto(`${server.url}/staff/imports`);
    await waitForHeading(page, en('staffArea.nav.imports'));
    await page.getByTestId('visits-recent').waitFor();
    await expectNoSeriousAxeViolations(page);

    const wrong = path.join(dir, 'wrong.csv');
    writeFileSync(wrong, 'visit;member;date;stream;kg\nV1;ABCDE-FGHJK-0;2026-11-01;paper;3\n');
    await page
      .getByLabel(en('visitImports.partner'))
      .selectOption({ label: 'Recyclagepark Pelt (demo)' });
    await page.locator('input[type="file"]').setInputFiles(wrong);
    await page.getByRole('button', { name: en('visitImports.start'), exact: true }).click();
    const refused = page.getByTestId('visits-refused');
    await refused.waitFor();
    expect(plain(await refused.textContent())).toContain(en('visitImports.fileErrors.csv_columns'));

    await page.locator('input[type="file"]').setInputFiles(file);
    await page.getByRole('button', { name: en('visitImports.start'), exact: true }).click();
    const run = await finishedRun(page);
    const summary = plain(await run.getByTestId('visits-summary').textContent());
    expect(summary).toContain(`${en('visitImports.summary.awarded')}0`);
    expect(summary).toContain(
      `${en('visitImports.summary.already')}${(ROWS - 5).toLocaleString('en-GB')}`,
    );
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'staff-imports');

    const small = await phone.context.newPage();
    small.on('pageerror', (error) => pageErrors.push(error.message));
    await actAs(phone, reviewer);
    await small.goto(`${server.url}/staff/imports`);
    await waitForHeading(small, en('staffArea.nav.imports'));
    await small.getByTestId('visits-recent').waitFor();
    await expectNoSeriousAxeViolations(small);
    await expectNoHorizontalScroll(small);
    await screenshot(small, 'staff-imports-phone');
    await small.close();
  });
});
