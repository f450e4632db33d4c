import type { Page } from 'playwright-core';
import { type LaunchedBrowser, launchBrowser } from '../support/browser.js';
import { freePort, startTestServer } from '../support/server.js';
import { type ReceivedMail, startSmtpPeer, waitForSignInLink } from '../support/smtp.js';
import { signInUser } from '../support/users.js';
import {
  ENDONYMS,
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  LOCALES,
  type Locale,
  prepareScreenshots,
  screenshot,
  text,
  waitForHeading,
} from './page-checks.js';
import { ensureWebBuild } from './web-build.js';

/**
 * What several resident browser tests share: the app with its mail and two browsers, and the
 * steps a resident takes (ask for a link, read it, pick a language).
 */

/** Picks a language in the header's language switch and waits for the page to follow. */
export async function chooseLanguage(page: Page, locale: Locale): Promise<void> {
  const label = new RegExp(`^(${LOCALES.map((l) => text(l, 'language.label')).join('|')})$`);
  await page.getByRole('combobox', { name: label }).selectOption({ label: ENDONYMS[locale] });
  await page.waitForFunction(`document.documentElement.lang === '${locale}'`);
}

/** Fills and sends the sign-in form at `baseUrl`/sign-in (English), then waits for "Check your email". */
export async function askForLink(
  page: Page,
  baseUrl: string,
  email: string,
  municipality?: string,
): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await waitForHeading(page, text('en', 'signIn.title'));
  await page.getByLabel(text('en', 'signIn.email')).fill(email);
  if (municipality) {
    await page.getByLabel(text('en', 'signIn.municipality')).selectOption({ label: municipality });
  }
  await page.getByRole('button', { name: text('en', 'signIn.submit') }).click();
  await waitForHeading(page, text('en', 'signIn.sentTitle'));
}

/** What a resident browser test runs against: the app, its mail, a desktop and a phone browser. */
export interface ResidentRig {
  /** Every message the SMTP peer received, oldest first. */
  received: ReceivedMail[];
  server: Awaited<ReturnType<typeof startTestServer>>;
  desktop: LaunchedBrowser;
  /** 360 × 740, touch. */
  phone: LaunchedBrowser;
  /** Uncaught errors of the pages given to `watch`; a test ends by checking it is empty. */
  pageErrors: string[];
  watch(page: Page): Page;
  close(): Promise<void>;
}

/**
 * Starts the app (demo region) at http://localhost:PORT delivering email over SMTP to a real
 * peer, and a desktop and a phone-sized Chromium; builds the web app first when it is stale.
 * `env` adds to (or overrides) the server's environment.
 */
export async function startResidentRig(
  options: { env?: Record<string, string> } = {},
): Promise<ResidentRig> {
  prepareScreenshots();
  ensureWebBuild();
  const received: ReceivedMail[] = [];
  const smtp = await startSmtpPeer(received);
  // The link in the email is PUBLIC_URL/sign-in#token=…: the app must know its own address, so
  // its port is chosen before it starts. localhost, not 127.0.0.1: a passkey's relying party
  // is a host name.
  const port = await freePort();
  const server = await startTestServer({
    seedDemo: true,
    port,
    env: {
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      PUBLIC_URL: `http://localhost:${port}`,
      ...options.env,
    },
  });
  const desktop = await launchBrowser({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const phone = await launchBrowser({
    locale: 'en-GB',
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
  });
  const pageErrors: string[] = [];
  return {
    received,
    server,
    desktop,
    phone,
    pageErrors,
    watch(page) {
      page.on('pageerror', (error) => pageErrors.push(error.message));
      return page;
    },
    async close() {
      await desktop.close();
      await phone.close();
      await server.close();
      await smtp.close();
    },
  };
}

/**
 * The rig for the map's pages: no map tiles can load (MAP_TILE_URL points at a 127.0.0.1 port
 * nobody listens on, so the pages must work without them); both browsers' clocks stand at `at`,
 * they may use the device's location, and stand at `where` (the phone at `phoneWhere` if given).
 */
export async function startMapRig(options: {
  at: Date;
  where: { latitude: number; longitude: number };
  phoneWhere?: { latitude: number; longitude: number };
}): Promise<ResidentRig> {
  const refused = await freePort();
  const rig = await startResidentRig({
    env: { MAP_TILE_URL: `http://127.0.0.1:${refused}/{z}/{x}/{y}.png` },
  });
  for (const browser of [rig.desktop, rig.phone]) {
    browser.context.setDefaultTimeout(10_000);
    await browser.context.clock.setFixedTime(options.at);
    await browser.context.grantPermissions(['geolocation'], { origin: rig.server.url });
    const where = browser === rig.phone ? (options.phoneWhere ?? options.where) : options.where;
    await browser.context.setGeolocation({ ...where, accuracy: 10 });
  }
  return rig;
}

/**
 * For each language, on the desktop page and on the phone page: switches to it, runs `check`,
 * then checks accessibility (and, on the phone, that nothing scrolls sideways) and takes the
 * screenshot `<name>[-phone]-<locale>`. Ends with both pages back in English.
 */
export async function checkEachLanguage(
  pages: { desktop: Page; phone: Page },
  name: string,
  check: (page: Page, locale: Locale) => Promise<void>,
): Promise<void> {
  const both = [
    [pages.desktop, ''],
    [pages.phone, '-phone'],
  ] as const;
  for (const locale of LOCALES) {
    for (const [page, suffix] of both) {
      await chooseLanguage(page, locale);
      await check(page, locale);
      await expectNoSeriousAxeViolations(page);
      if (suffix) await expectNoHorizontalScroll(page);
      await screenshot(page, `${name}${suffix}-${locale}`);
    }
  }
  for (const [page] of both) await chooseLanguage(page, 'en');
}

/** Signs a new resident of Pelt up by the emailed link, skips the household step, and returns the page. */
export async function signUpInPelt(
  rig: ResidentRig,
  browser: LaunchedBrowser,
  email: string,
): Promise<Page> {
  const page = rig.watch(await browser.context.newPage());
  await askForLink(page, rig.server.url, email, 'Pelt');
  await page.goto(await waitForSignInLink(rig.received, email, 0));
  await waitForHeading(page, text('en', 'household.welcomeTitle'));
  await page.getByRole('link', { name: text('en', 'household.skip') }).click();
  await waitForHeading(page, text('en', 'resident.title'));
  return page;
}

/**
 * A desktop Chromium signed in as a new reviewer of Pelt (invited and signed in through the
 * API, the session cookies put into the browser); close it with `browser.close()`.
 */
export async function reviewerOfPelt(
  rig: ResidentRig,
  email: string,
): Promise<{ browser: LaunchedBrowser; page: Page }> {
  const reviewer = await signInUser(
    rig.server.app,
    { kind: 'staff', slug: 'pelt', roles: ['reviewer'] },
    email,
  );
  const browser = await launchBrowser({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
  await browser.context.addCookies(
    reviewer.headers.cookie!.split('; ').map((pair) => {
      const [name, ...value] = pair.split('=');
      return { name: name!, value: value.join('='), url: rig.server.url };
    }),
  );
  const page = rig.watch(await browser.context.newPage());
  page.setDefaultTimeout(10_000);
  return { browser, page };
}
