import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchBrowser, requireBrowser } from '../support/browser.js';
import { startTestServer } from '../support/server.js';
import {
  ENDONYMS,
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  LOCALES,
  type Locale,
  plain,
  prepareScreenshots,
  screenshot,
  text,
  waitForHeading,
} from './page-checks.js';
import { ensureWebBuild } from './web-build.js';

// The web app as a resident sees it: the real server with the demo region, in Chromium, in each
// of the four languages, at desktop and phone size. Screenshots go to test-results/screenshots.

const hasBrowser = requireBrowser('browser tests');

const outlineLabel = (locale: Locale, name: string) =>
  text(locale, 'municipality.boundaryLabel').replace('{{name}}', name);

const DEMO_NAMES = ['Pelt', 'Lommel', 'Hamont-Achel'];

// Written out by hand rather than with Intl, so the test does not share the app's assumptions.
const GROUP_SEPARATOR: Record<Locale, string> = { nl: '.', fr: ' ', de: '.', en: ',' };
const grouped = (n: number, locale: Locale) =>
  String(n).replace(/\B(?=(\d{3})+(?!\d))/g, GROUP_SEPARATOR[locale]);

interface ApiMunicipality {
  slug: string;
  names: Record<Locale, string>;
  registeredHouseholds: number;
  pointValueCents: number;
}

const languageLabel = new RegExp(`^(${LOCALES.map((l) => text(l, 'language.label')).join('|')})$`);
const languageSwitch = (page: Page) => page.getByRole('combobox', { name: languageLabel });

async function expectHomeIn(page: Page, locale: Locale, items: ApiMunicipality[]): Promise<void> {
  await waitForHeading(page, text(locale, 'home.title'));
  expect(await page.locator('html').getAttribute('lang')).toBe(locale);
  expect(await languageSwitch(page).inputValue()).toBe(locale);
  expect(plain(await page.getByTestId('demo-notice').textContent())).toContain(
    text(locale, 'demo.notice'),
  );
  const list = page.getByTestId('municipality-list');
  await list.waitFor({ timeout: 10_000 });
  for (const municipality of items) {
    const card = list.getByRole('listitem').filter({
      has: page.getByRole('heading', { name: municipality.names[locale], exact: true }),
    });
    expect(await card.count(), `one card for ${municipality.names[locale]}`).toBe(1);
    expect(plain(await card.getByTestId('households').textContent())).toBe(
      grouped(municipality.registeredHouseholds, locale),
    );
  }
}

describe.skipIf(!hasBrowser)('web app in Chromium', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let desktop: LaunchedBrowser;
  let page: Page;
  let municipalities: ApiMunicipality[];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    prepareScreenshots();
    ensureWebBuild();
    server = await startTestServer({ seedDemo: true });
    const response = await fetch(`${server.url}/api/municipalities`);
    municipalities = ((await response.json()) as { items: ApiMunicipality[] }).items;
    // The browser asks for Belgian French: a first visit must follow it.
    desktop = await launchBrowser({ locale: 'fr-BE', viewport: { width: 1280, height: 900 } });
    page = await desktop.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await desktop?.close();
    await server?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  it('serves the demo region with its three municipalities', () => {
    expect(municipalities.map((m) => m.names.en).sort()).toEqual([...DEMO_NAMES].sort());
  });

  it('follows the browser language on a first visit', async () => {
    await page.goto(`${server.url}/`);
    await expectHomeIn(page, 'fr', municipalities);
    expect(await page.evaluate("localStorage.getItem('civicpoints.locale')")).toBeNull();
  });

  for (const locale of LOCALES) {
    it(`switches to ${ENDONYMS[locale]} and remembers it`, async () => {
      await languageSwitch(page).selectOption({ label: ENDONYMS[locale] });
      await expectHomeIn(page, locale, municipalities);
      for (const name of DEMO_NAMES) {
        await page.getByRole('link', { name, exact: true }).waitFor();
      }
      await expectNoSeriousAxeViolations(page);
      await screenshot(page, `home-${locale}`);

      await page.reload();
      await expectHomeIn(page, locale, municipalities);
    });
  }

  it('opens the page of Pelt with its figures and boundary outline', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Pelt', exact: true }).click();
    await waitForHeading(page, 'Pelt');
    expect(new URL(page.url()).pathname).toBe('/municipalities/pelt');

    const pelt = municipalities.find((m) => m.slug === 'pelt')!;
    expect(plain(await page.getByTestId('households').textContent())).toBe(
      grouped(pelt.registeredHouseholds, 'en'),
    );
    expect(plain(await page.getByTestId('point-value').textContent())).toBe(
      `€${(pelt.pointValueCents / 100).toFixed(2)}`,
    );
    const outline = page.getByRole('img', { name: outlineLabel('en', 'Pelt') });
    await outline.waitFor();
    const box = await outline.boundingBox();
    expect(box!.width).toBeGreaterThan(150);
    expect(box!.height).toBeGreaterThan(150);
    const d = (await outline.locator('path[data-part="edge"]').getAttribute('d')) ?? '';
    expect(d.match(/L/g)?.length ?? 0, 'outline has the boundary vertices').toBeGreaterThan(50);
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'municipality-pelt-en');

    // A shared link opens the same page directly (the server falls back to the app).
    await page.goto(`${server.url}/municipalities/pelt`);
    await waitForHeading(page, 'Pelt');
    await outline.waitFor();
  });

  it('says so plainly when a municipality does not exist', async () => {
    await page.goto(`${server.url}/municipalities/atlantis`);
    await waitForHeading(page, text('en', 'error.notFoundTitle'));
    await page.getByRole('link', { name: text('en', 'error.backToList') }).waitFor();
    await expectNoSeriousAxeViolations(page);
  });

  it('has a landing page for each area that opens later', async () => {
    for (const area of ['resident', 'staff', 'pos', 'partner', 'public']) {
      await page.goto(`${server.url}/${area}`);
      await waitForHeading(page, text('en', `areas.${area}.name`));
    }
    await expectNoSeriousAxeViolations(page);
  });

  it('fits a 360 px phone screen without sideways scrolling', async () => {
    const phone = await launchBrowser({
      locale: 'nl-BE',
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    try {
      const small = await phone.context.newPage();
      small.on('pageerror', (error) => pageErrors.push(error.message));
      await small.goto(`${server.url}/`);
      await expectHomeIn(small, 'nl', municipalities);
      await expectNoHorizontalScroll(small);
      await expectNoSeriousAxeViolations(small);
      await screenshot(small, 'home-phone-nl');

      await small.goto(`${server.url}/municipalities/pelt`);
      await waitForHeading(small, 'Pelt');
      await small.getByRole('img', { name: outlineLabel('nl', 'Pelt') }).waitFor();
      await expectNoHorizontalScroll(small);
      await expectNoSeriousAxeViolations(small);
      await screenshot(small, 'municipality-pelt-phone-nl');
    } finally {
      await phone.close();
    }
  });
});
