import jsqr from 'jsqr';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatCount, formatEuroCents } from '../../web/src/i18n/format.js';
import { type LaunchedBrowser, requireBrowser } from '../support/browser.js';
import { waitForSignInLink } from '../support/smtp.js';
import { givePoints, spendable } from '../support/spending.js';
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  type Locale,
  plain,
  screenshot,
  text,
  waitForHeading,
} from './page-checks.js';
import {
  askForLink,
  checkEachLanguage,
  chooseLanguage,
  type ResidentRig,
  startResidentRig,
} from './resident-steps.js';

// Spending points as residents of Pelt do it in Chromium: the rewards with their filters, the
// confirmation, buying (also when the answer is lost), the voucher with its QR code — decoded
// from the screen and compared with the API's token — and the vouchers opening offline from the
// service worker's cache, cancelling, and the refusals. Screenshots go to test-results/screenshots.

const hasBrowser = requireBrowser('spending browser tests');

// jsqr is CommonJS: its function is module.exports and, as the types say, also its `default`.
const jsQR = jsqr.default;

// The test server's clock stands at 2026-12-01T09:00Z; the browsers' a little later.
const BROWSER_TIME = new Date('2026-12-01T10:00:00Z');

/** A catalogue text with its {{placeholders}} filled in, spaces made plain. */
function say(locale: Locale, key: string, values: Record<string, string> = {}): string {
  return plain(
    Object.entries(values).reduce(
      (result, [name, value]) => result.replaceAll(`{{${name}}}`, value),
      text(locale, key),
    ),
  );
}

interface MyVoucher {
  id: string;
  status: string;
  token: string | null;
  shortCode: string | null;
  rewardCode: string;
}

describe.skipIf(!hasBrowser)('spending points in Chromium', () => {
  let rig: ResidentRig;
  /** Ria, on a phone (360 × 740): 1,000 points. */
  let ria: Page;
  /** Sam, on a desktop: 600 points. */
  let sam: Page;

  /** Signs a new resident of Pelt up by the emailed link and skips the household step. */
  async function signUp(browser: LaunchedBrowser, email: string): Promise<Page> {
    const page = rig.watch(await browser.context.newPage());
    await askForLink(page, rig.server.url, email, 'Pelt');
    await page.goto(await waitForSignInLink(rig.received, email, 0));
    await waitForHeading(page, text('en', 'household.welcomeTitle'));
    await page.getByRole('link', { name: text('en', 'household.skip') }).click();
    await waitForHeading(page, text('en', 'resident.title'));
    return page;
  }

  /** What the API says about the signed-in resident of `page` (its own session). */
  function apiGet<T>(page: Page, path: string): Promise<T> {
    return page.evaluate(
      async (url) => (await fetch(url, { headers: { accept: 'application/json' } })).json(),
      path,
    ) as Promise<T>;
  }

  /** POSTs to the API with the page's session (and its CSRF token), as the resident's other phone would. */
  async function apiPost(page: Page, path: string, body: unknown): Promise<number> {
    return page.evaluate(
      async ({ path, body }) => {
        const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
        const response = await fetch(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
          body: JSON.stringify(body),
        });
        return response.status;
      },
      { path, body },
    );
  }

  async function rewardId(code: string): Promise<string> {
    const response = await rig.server.app.inject({ url: '/api/municipalities/pelt/rewards' });
    return response.json().items.find((r: { code: string }) => r.code === code).id;
  }

  /** Reads the QR code shown on the page from a screenshot of it, as a till's scanner would. */
  async function decodeQr(page: Page): Promise<string | null> {
    const image = PNG.sync.read(await page.getByTestId('voucher-qr').screenshot());
    return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
  }

  async function openRewards(page: Page, locale: Locale = 'en'): Promise<void> {
    await page.goto(`${rig.server.url}/resident/rewards`);
    await waitForHeading(page, text(locale, 'rewards.title'));
    await page.getByTestId('reward-pool-ticket').waitFor();
  }

  async function chooseReward(page: Page, name: string): Promise<void> {
    await page.getByRole('link', { name: say('en', 'rewards.chooseNamed', { name }) }).click();
    await waitForHeading(page, say('en', 'buy.title', { name }));
  }

  beforeAll(async () => {
    rig = await startResidentRig();
    for (const browser of [rig.desktop, rig.phone]) {
      browser.context.setDefaultTimeout(10_000);
      await browser.context.clock.setFixedTime(BROWSER_TIME);
    }
    ria = await signUp(rig.phone, 'ria.spends@example.org');
    sam = await signUp(rig.desktop, 'sam.spends@example.org');
    const riaId = (await apiGet<{ id: string }>(ria, '/api/me')).id;
    const samId = (await apiGet<{ id: string }>(sam, '/api/me')).id;
    await givePoints(rig.server.app, 'pelt', riaId, 1000);
    await givePoints(rig.server.app, 'pelt', samId, 600);
  }, 180_000);

  afterAll(() => rig?.close());

  afterEach(() => {
    expect(rig.pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  it('leads from the home page to the rewards, with price, worth, places, stock and limits in each language', async () => {
    for (const page of [ria, sam]) {
      await page.goto(`${rig.server.url}/resident`);
      await waitForHeading(page, text('en', 'resident.title'));
      const card = page.getByTestId('spend-card');
      await card.getByRole('heading', { name: text('en', 'rewards.home.title') }).waitFor();
      // No vouchers yet: only the way to the rewards.
      expect(await card.getByTestId('vouchers-link').count()).toBe(0);
      await card.getByTestId('rewards-link').click();
      await waitForHeading(page, text('en', 'rewards.title'));
      await page.getByTestId('reward-pool-ticket').waitFor();
    }
    await checkEachLanguage({ desktop: sam, phone: ria }, 'spend-rewards', async (page, locale) => {
      await waitForHeading(page, text(locale, 'rewards.title'));
      const pool = plain(await page.getByTestId('reward-pool-ticket').textContent());
      expect(pool).toContain(say(locale, 'earn.points.fixed.other', { points: '300' }));
      expect(pool).toContain(
        say(locale, 'rewards.worth', { amount: formatEuroCents(300, locale) }),
      );
      expect(pool).toContain(say(locale, 'earn.limits.times.resident.month', { count: '4' }));
      expect(pool).toContain(say(locale, 'rewards.validity.other', { days: '90' }));
      // Any pool of the region: Lommel's and Hamont-Achel's too, with their addresses.
      expect(pool).toContain('Zwembad Lommel (demo)');
      expect(pool).toContain('Sportveld 2, 3920 Lommel');
      const bulb = plain(await page.getByTestId('reward-led-bulb').textContent());
      expect(bulb).toContain(say(locale, 'rewards.stock.left.other', { count: '200' }));
      expect(bulb).toContain(say(locale, 'earn.limits.times.household.year', { count: '4' }));
      expect(bulb).toContain('Recyclagepark Pelt (demo)');
      const composter = plain(await page.getByTestId('reward-composter').textContent());
      expect(composter).toContain(text(locale, 'earn.limits.once.household.lifetime'));
      const short = page === ria ? 1500 : 1900;
      expect(composter).toContain(
        say(locale, 'rewards.afford.short.other', { points: formatCount(short, locale) }),
      );
      expect(pool).toContain(text(locale, 'rewards.afford.yes'));
      const tax = plain(await page.getByTestId('reward-waste-tax').textContent());
      expect(tax).toContain(text(locale, 'rewards.where.tax'));
      expect(tax).toContain(
        say(locale, 'rewards.taxCap', { amount: formatEuroCents(5000, locale) }),
      );
      expect(plain(await page.getByTestId('rewards-count').textContent())).toBe(
        say(locale, 'rewards.count.other', { count: '7' }),
      );
    });
  }, 180_000);

  it('filters the rewards by what and by where', async () => {
    await openRewards(sam);
    const count = () => sam.getByTestId('rewards-count').textContent().then(plain);
    const shown = async () =>
      (
        await sam
          .locator('article[data-testid^="reward-"]')
          .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-testid')))
      ).sort();
    await sam.getByLabel(text('en', 'rewards.filter.what')).selectOption('energy');
    await sam.waitForURL(/\?what=energy$/);
    await expect.poll(count).toBe('2 rewards');
    await expect.poll(shown).toEqual(['reward-led-bulb', 'reward-rechargeable-batteries']);
    await sam
      .getByLabel(text('en', 'rewards.filter.where'))
      .selectOption({ label: 'Recyclagepark Pelt (demo)' });
    await sam.waitForURL(/\?what=energy&where=ptn_/);
    await expect.poll(count).toBe('2 rewards');
    await sam.getByLabel(text('en', 'rewards.filter.what')).selectOption('all');
    await expect
      .poll(shown)
      .toEqual(['reward-composter', 'reward-led-bulb', 'reward-rechargeable-batteries']);
    await expectNoSeriousAxeViolations(sam);
    await screenshot(sam, 'spend-rewards-where-en');
    // Pools of the other towns are listed under their town.
    await sam
      .getByLabel(text('en', 'rewards.filter.where'))
      .selectOption({ label: 'Zwembad Lommel (demo)' });
    await expect.poll(shown).toEqual(['reward-pool-ticket']);
    // Nothing to collect: the tax reduction and the donation.
    await sam
      .getByLabel(text('en', 'rewards.filter.where'))
      .selectOption({ label: text('en', 'rewards.filter.nowhere') });
    await expect.poll(shown).toEqual(['reward-donate-charity', 'reward-waste-tax']);
    // Leisure at the recycling centre: nothing; one button shows everything again.
    await sam
      .getByLabel(text('en', 'rewards.filter.where'))
      .selectOption({ label: 'Recyclagepark Pelt (demo)' });
    await sam.getByLabel(text('en', 'rewards.filter.what')).selectOption('leisure');
    await sam.getByTestId('rewards-none').waitFor();
    await expect.poll(count).toBe('0 rewards');
    await sam.getByRole('button', { name: text('en', 'rewards.filter.reset') }).click();
    await expect.poll(count).toBe('7 rewards');

    // On the phone, the filters stack above the list and nothing scrolls sideways.
    await openRewards(ria);
    await ria.getByLabel(text('en', 'rewards.filter.what')).selectOption('energy');
    await expect
      .poll(() => ria.getByTestId('rewards-count').textContent().then(plain))
      .toBe('2 rewards');
    await expectNoSeriousAxeViolations(ria);
    await expectNoHorizontalScroll(ria);
    await screenshot(ria, 'spend-rewards-filtered-phone-en');
  }, 120_000);

  it('confirms and buys a pool ticket on a phone, once even when the answer is lost, and shows its QR code', async () => {
    await openRewards(ria);
    await chooseReward(ria, 'Swimming-pool ticket');
    const summary = plain(await ria.getByTestId('buy-summary').textContent());
    expect(plain(await ria.getByTestId('buy-price').textContent())).toBe('300 pointsWorth €3.00');
    expect(plain(await ria.getByTestId('buy-balance').textContent())).toBe('1,000 points');
    expect(plain(await ria.getByTestId('buy-after').textContent())).toBe('700 points');
    expect(plain(await ria.getByTestId('buy-until').textContent())).toBe('1 March 2027');
    expect(summary).toContain('Zwembad Pelt (demo)');
    expect(summary).toContain('Zwembad Lommel (demo)Sportveld 2, 3920 Lommel');
    await ria.getByText(text('en', 'buy.canCancel')).waitFor();
    for (const locale of ['nl', 'fr', 'de', 'en'] as const) {
      await chooseLanguage(ria, locale);
      await ria.getByTestId('buy').waitFor();
      await expectNoSeriousAxeViolations(ria);
      await expectNoHorizontalScroll(ria);
      await screenshot(ria, `spend-confirm-phone-${locale}`);
    }

    // The first "Buy" reaches the server, but its answer is lost on the way back.
    let lost = 0;
    await ria.route('**/api/me/vouchers', async (route) => {
      if (route.request().method() !== 'POST' || lost > 0) return route.fallback();
      lost += 1;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await ria.getByTestId('buy').click();
    const problem = ria.getByTestId('buy-problem');
    await problem.waitFor();
    expect(plain(await problem.textContent())).toContain(text('en', 'buy.errors.network'));
    await expectNoSeriousAxeViolations(ria);
    await screenshot(ria, 'spend-buy-dropped-phone-en');
    // Pressing again sends the same clientPurchaseId: the API answers with the first voucher.
    await ria.getByTestId('buy').click();
    await ria.getByTestId('voucher-bought').waitFor();
    await ria.unroute('**/api/me/vouchers');
    expect(lost).toBe(1);
    const { items } = await apiGet<{ items: MyVoucher[] }>(ria, '/api/me/vouchers');
    expect(items.map((v) => v.rewardCode)).toEqual(['pool-ticket']);
    const [ticket] = items;

    // The voucher: a large QR code holding the signed token, the short code, what, where, until.
    await waitForHeading(ria, 'Swimming-pool ticket');
    expect(ria.url()).toBe(`${rig.server.url}/resident/vouchers/${ticket!.id}`);
    expect(plain(await ria.getByTestId('voucher-status').textContent())).toBe('Ready to use');
    expect(plain(await ria.getByTestId('voucher-when').textContent())).toBe(
      'Use it by 1 March 2027',
    );
    expect(plain(await ria.getByTestId('voucher-code').textContent())).toBe(ticket!.shortCode);
    const qr = await ria.getByTestId('voucher-qr').boundingBox();
    expect(qr!.width).toBeGreaterThanOrEqual(280);
    expect(await decodeQr(ria)).toBe(ticket!.token);
    const facts = plain(await ria.getByTestId('voucher-facts').textContent());
    expect(facts).toContain('One swim at a pool in the region. Show the voucher at the till.');
    expect(facts).toContain('Sportlaan 1, 3900 Pelt');
    for (const locale of ['en', 'nl', 'fr', 'de'] as const) {
      await chooseLanguage(ria, locale);
      await ria.getByTestId('voucher-qr').waitFor();
      await expectNoSeriousAxeViolations(ria);
      await expectNoHorizontalScroll(ria);
      await screenshot(ria, `spend-voucher-phone-${locale}`);
    }
    await chooseLanguage(ria, 'en');

    // A second voucher to cancel later: an LED bulb.
    await openRewards(ria);
    await chooseReward(ria, 'LED bulb');
    await ria.getByTestId('buy').click();
    await ria.getByTestId('voucher-bought').waitFor();
    await waitForHeading(ria, 'LED bulb');

    // Home says what is ready to use, and leads to it.
    await ria.goto(`${rig.server.url}/resident`);
    await waitForHeading(ria, text('en', 'resident.title'));
    expect(plain(await ria.getByTestId('open-vouchers-count').textContent())).toBe(
      'You have 2 vouchers ready to use.',
    );
    expect(plain(await ria.getByTestId('points').textContent())).toBe('550');
    await screenshot(ria, 'spend-home-phone-en');
    await ria.getByTestId('vouchers-link').click();
    await waitForHeading(ria, text('en', 'vouchers.title'));
    await ria.getByTestId('open-vouchers').waitFor();
    const open = ria.getByTestId('open-vouchers').getByTestId('voucher-item');
    expect(await open.count()).toBe(2);
    await expectNoSeriousAxeViolations(ria);
    await expectNoHorizontalScroll(ria);
    await screenshot(ria, 'spend-vouchers-phone-en');
  }, 180_000);

  it('opens the vouchers and the voucher with its QR code offline, then cancels another one back online', async () => {
    const { items } = await apiGet<{ items: MyVoucher[] }>(ria, '/api/me/vouchers');
    const ticket = items.find((v) => v.rewardCode === 'pool-ticket')!;
    const bulb = items.find((v) => v.rewardCode === 'led-bulb')!;
    // The service worker is installed and in charge of the page.
    await ria.waitForFunction('navigator.serviceWorker.controller !== null', undefined, {
      timeout: 60_000,
    });
    // Opened once online: the list and the ticket.
    await ria.goto(`${rig.server.url}/resident/vouchers`);
    await ria.getByTestId('voucher-item').first().waitFor();
    await ria.goto(`${rig.server.url}/resident/vouchers/${ticket.id}`);
    await ria.getByTestId('voucher-qr').waitFor();
    await ria.getByTestId('voucher-facts').getByText('Sportlaan 1, 3900 Pelt').waitFor();

    await rig.phone.context.setOffline(true);
    try {
      await ria.reload();
      await waitForHeading(ria, 'Swimming-pool ticket');
      await ria.getByTestId('offline-note').waitFor();
      expect(plain(await ria.getByTestId('voucher-code').textContent())).toBe(ticket.shortCode);
      expect(await decodeQr(ria)).toBe(ticket.token);
      await ria.getByTestId('voucher-facts').getByText('Sportlaan 1, 3900 Pelt').waitFor();
      await expectNoSeriousAxeViolations(ria);
      await expectNoHorizontalScroll(ria);
      await screenshot(ria, 'spend-voucher-offline-phone-en');
      // Cancelling needs the network: the page says so instead of failing.
      expect(
        await ria.getByRole('button', { name: text('en', 'voucher.cancel.button') }).isDisabled(),
      ).toBe(true);

      await ria.getByRole('link', { name: text('en', 'voucher.back') }).click();
      await waitForHeading(ria, text('en', 'vouchers.title'));
      await ria.getByTestId('open-vouchers').waitFor();
      expect(await ria.getByTestId('open-vouchers').getByTestId('voucher-item').count()).toBe(2);
      // Opened afresh offline, and the bulb, never opened alone, from the kept list.
      await ria.goto(`${rig.server.url}/resident/vouchers`);
      await waitForHeading(ria, text('en', 'vouchers.title'));
      await ria.getByTestId('offline-note').waitFor();
      await expectNoSeriousAxeViolations(ria);
      await screenshot(ria, 'spend-vouchers-offline-phone-en');
      await ria
        .getByRole('link', { name: say('en', 'vouchers.showNamed', { name: 'LED bulb' }) })
        .click();
      await waitForHeading(ria, 'LED bulb');
      expect(await decodeQr(ria)).toBe(bulb.token);
    } finally {
      await rig.phone.context.setOffline(false);
    }

    // Back online: cancel the bulb, after saying yes; the 150 points come back.
    await ria.reload();
    await waitForHeading(ria, 'LED bulb');
    await ria.getByRole('button', { name: text('en', 'voucher.cancel.button') }).click();
    expect(plain(await ria.getByTestId('cancel-confirm').textContent())).toBe(
      'Cancel this voucher? You get 150 points back. You cannot use the voucher after this.',
    );
    await expectNoSeriousAxeViolations(ria);
    await screenshot(ria, 'spend-cancel-confirm-phone-en');
    await ria.getByRole('button', { name: text('en', 'voucher.cancel.yes') }).click();
    await ria.getByTestId('voucher-cancelled').waitFor();
    expect(plain(await ria.getByTestId('voucher-cancelled').textContent())).toBe(
      'Voucher cancelledYour 150 points are back.You now have 700 points.',
    );
    expect(plain(await ria.getByTestId('voucher-status').textContent())).toBe('Cancelled');
    expect(await ria.getByTestId('voucher-qr').count()).toBe(0);
    await expectNoSeriousAxeViolations(ria);
    await expectNoHorizontalScroll(ria);
    await screenshot(ria, 'spend-cancelled-phone-en');
    const riaId = (await apiGet<{ id: string }>(ria, '/api/me')).id;
    expect(await spendable(rig.server.app, 'pelt', riaId)).toBe(700);

    await ria.getByRole('link', { name: text('en', 'voucher.back') }).click();
    await waitForHeading(ria, text('en', 'vouchers.title'));
    await ria.getByTestId('earlier-vouchers').waitFor();
    expect(await ria.getByTestId('open-vouchers').getByTestId('voucher-item').count()).toBe(1);
    const earlier = ria.getByTestId('earlier-vouchers').getByTestId('voucher-item');
    expect(plain(await earlier.getByTestId('voucher-status').textContent())).toBe('Cancelled');
    for (const locale of ['nl', 'fr', 'de', 'en'] as const) {
      await chooseLanguage(ria, locale);
      await waitForHeading(ria, text(locale, 'vouchers.title'));
      await expectNoSeriousAxeViolations(ria);
      await expectNoHorizontalScroll(ria);
      await screenshot(ria, `spend-vouchers-phone-${locale}`);
    }
  }, 180_000);

  it('says plainly why a purchase is refused, and what is done at once', async () => {
    // Not enough points for the composter: said before anything is sent, with the way to earn.
    await openRewards(sam);
    await chooseReward(sam, 'Composter');
    expect(plain(await sam.getByTestId('buy-short').textContent())).toContain(
      'You need 1,900 more points. Earn points first, then come back.',
    );
    expect(await sam.getByTestId('buy').isDisabled()).toBe(true);
    await sam
      .getByTestId('buy-short')
      .getByRole('link', { name: text('en', 'buy.next.earn') })
      .waitFor();
    await expectNoSeriousAxeViolations(sam);
    await screenshot(sam, 'spend-short-en');

    // Enough when the page opened, but meanwhile Sam's other phone bought an LED bulb.
    await openRewards(sam);
    await chooseReward(sam, '€5 off at local shops');
    expect(plain(await sam.getByTestId('buy-after').textContent())).toBe('100 points');
    const bulbId = await rewardId('led-bulb');
    expect(
      await apiPost(sam, '/api/me/vouchers', {
        rewardId: bulbId,
        clientPurchaseId: 'other-phone-1',
      }),
    ).toBe(201);
    await sam.getByTestId('buy').click();
    const problem = sam.getByTestId('buy-problem');
    await problem.waitFor();
    expect(plain(await problem.textContent())).toBe(
      `${text('en', 'buy.refusal.insufficient_points.title')}This costs 500 points and you have 450 points. You need 50 more. Earn points first, then come back.${text('en', 'buy.next.earn')}`,
    );
    for (const locale of ['en', 'nl', 'fr', 'de'] as const) {
      await chooseLanguage(sam, locale);
      await expectNoSeriousAxeViolations(sam);
      await screenshot(sam, `spend-refused-points-${locale}`);
    }
    await chooseLanguage(sam, 'en');

    // A tax reduction needs a household: said before buying, with the way to set one up.
    await openRewards(sam);
    await chooseReward(sam, 'Waste-tax reduction');
    await sam
      .getByTestId('buy-tax')
      .getByRole('link', { name: text('en', 'buy.next.household') })
      .waitFor();
    const tax = plain(await sam.getByTestId('buy-tax').textContent());
    expect(tax).toContain('€10.00 comes off your household’s tax, on this year’s bill.');
    expect(tax).toContain(text('en', 'buy.refusal.household_required.text'));
    await screenshot(sam, 'spend-tax-no-household-en');

    // A donation is done at once: no voucher, a thank-you and the new balance.
    await openRewards(sam);
    await chooseReward(sam, 'Donate to the volunteer centre');
    await sam.getByText(text('en', 'buy.final')).waitFor();
    await sam.getByTestId('buy').click();
    await sam.getByTestId('buy-done').waitFor();
    await waitForHeading(sam, text('en', 'buy.done.title'));
    expect(plain(await sam.getByTestId('buy-done').textContent())).toContain(
      'Thank you! €1.00 goes to the charity.',
    );
    expect(plain(await sam.getByTestId('buy-done-balance').textContent())).toBe(
      'You now have 350 points.',
    );
    await expectNoSeriousAxeViolations(sam);
    await screenshot(sam, 'spend-donated-en');
    await sam.getByRole('link', { name: text('en', 'vouchers.link') }).click();
    await waitForHeading(sam, text('en', 'vouchers.title'));
    const done = sam.getByTestId('earlier-vouchers').getByTestId('voucher-item');
    expect(plain(await done.getByTestId('voucher-status').textContent())).toBe('Done');
    await expectNoSeriousAxeViolations(sam);
    await screenshot(sam, 'spend-vouchers-en');

    // With a household and enough points, the tax reduction is credited at once.
    expect(await apiPost(sam, '/api/me/household', { address: 'Kerkstraat 1, 3900 Pelt' })).toBe(
      201,
    );
    const samId = (await apiGet<{ id: string }>(sam, '/api/me')).id;
    await givePoints(rig.server.app, 'pelt', samId, 1000);
    await openRewards(sam);
    await chooseReward(sam, 'Waste-tax reduction');
    await sam.getByText('Your household: Kerkstraat 1, 3900 Pelt').waitFor();
    await sam.getByTestId('buy').click();
    await sam.getByTestId('buy-done').waitFor();
    expect(plain(await sam.getByTestId('buy-done').textContent())).toContain(
      '€10.00 comes off your household’s tax, on this year’s bill.',
    );
    expect(plain(await sam.getByTestId('buy-done-balance').textContent())).toBe(
      'You now have 350 points.',
    );
    await expectNoSeriousAxeViolations(sam);
    await screenshot(sam, 'spend-tax-done-en');
  }, 180_000);

  it('is installable, and forgets the vouchers kept for offline use on sign-out', async () => {
    const manifest = await rig.server.app.inject({ url: '/manifest.webmanifest' });
    expect(manifest.headers['content-type']).toContain('application/manifest+json');
    expect(manifest.headers['cache-control']).toBe('no-cache');
    expect(manifest.json()).toMatchObject({ start_url: '/resident', display: 'standalone' });
    const worker = await rig.server.app.inject({ url: '/sw.js' });
    expect(worker.headers['cache-control']).toBe('no-cache');
    expect(String(worker.headers['content-security-policy'])).toContain("worker-src 'self'");

    await ria.goto(`${rig.server.url}/resident/vouchers`);
    await ria.getByTestId('voucher-item').first().waitFor();
    expect(await ria.evaluate("caches.has('civicpoints-personal')")).toBe(true);
    await ria.goto(`${rig.server.url}/resident`);
    await ria.getByRole('button', { name: text('en', 'resident.signOut'), exact: true }).click();
    await ria
      .getByRole('link', { name: text('en', 'nav.signIn') })
      .first()
      .waitFor();
    expect(await ria.evaluate("caches.has('civicpoints-personal')")).toBe(false);
  }, 60_000);
});
