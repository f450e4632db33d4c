import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { changeActivity, findActivityByCode } from '../../src/modules/catalog/catalog.service.js';
import { REJECT_REASON_TEXTS } from '../../src/modules/claims/reject-reasons.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { type LaunchedBrowser, requireBrowser } from '../support/browser.js';
import { setEarningSettings } from '../support/earning.js';
import { jpegWithExif } from '../support/exif-jpeg.js';
import { testContext } from '../support/server.js';
import { waitForSignInLink } from '../support/smtp.js';
import { signInUser } from '../support/users.js';
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

// Earning points as a resident of Pelt does it in Chromium: the ways to earn, the claim form
// (a photo through the camera input, the device's location), the answer, a refusal, and
// "My claims" with a rejection, an appeal and a withdrawal. The browsers' clocks stand at the
// server's test time, and their location is in Pelt. Screenshots go to test-results/screenshots.

const hasBrowser = requireBrowser('earning browser tests');

// The test server's clock stands at 2026-12-01T09:00Z; the browsers' a little later.
const BROWSER_TIME = new Date('2026-12-01T10:00:00Z');
const IN_PELT = { latitude: 51.2249, longitude: 5.4276 };
const LITTER = {
  en: 'Pick up litter',
  nl: 'Zwerfvuil opruimen',
  fr: 'Ramasser des déchets sauvages',
};

/** A catalogue text with its {{placeholders}} filled in. */
function say(locale: Locale, key: string, values: Record<string, string> = {}): string {
  return Object.entries(values).reduce(
    (result, [name, value]) => result.replace(`{{${name}}}`, value),
    text(locale, key),
  );
}

/** A photo of the spot, taken a few minutes before, with the place in its EXIF data. */
function litterPhoto(seed: number) {
  return jpegWithExif({ seed, takenAt: '2026-12-01T08:55:00Z', ...IN_PELT });
}

describe.skipIf(!hasBrowser)('earning points in Chromium', () => {
  let rig: ResidentRig;
  let anna: Page;
  let bram: Page;

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

  async function openClaimForm(page: Page): Promise<void> {
    await page.goto(`${rig.server.url}/resident/earn`);
    await waitForHeading(page, text('en', 'earn.title'));
    await page
      .getByRole('link', { name: say('en', 'earn.claimNamed', { name: LITTER.en }) })
      .click();
    await waitForHeading(page, LITTER.en);
  }

  /** Adds a photo through the camera input and the device's location, and waits for both. */
  async function addEvidence(page: Page, seed: number, input = 'photo-camera'): Promise<void> {
    await page.getByTestId(input).setInputFiles({
      name: `litter-${seed}.jpg`,
      mimeType: 'image/jpeg',
      buffer: await litterPhoto(seed),
    });
    await page.getByTestId('photo-added').waitFor();
    await page.getByRole('button', { name: text('en', 'earn.form.location.use') }).click();
    await page.getByTestId('location-added').waitFor();
  }

  beforeAll(async () => {
    rig = await startResidentRig();
    for (const browser of [rig.desktop, rig.phone]) {
      browser.context.setDefaultTimeout(10_000);
      await browser.context.clock.setFixedTime(BROWSER_TIME);
      await browser.context.grantPermissions(['geolocation'], { origin: rig.server.url });
      await browser.context.setGeolocation({ ...IN_PELT, accuracy: 12 });
    }
    // An announced change: picking up litter earns 30 points from 1 January.
    const ctx = { ...testContext(rig.server.app), actor: { kind: 'operator_cli' as const } };
    const pelt = await getMunicipality(ctx, 'pelt');
    const litter = (await findActivityByCode(ctx, pelt.id, 'pick-up-litter'))!;
    const { id, activityId, effectiveFrom, createdAt, ...terms } = litter.current;
    await changeActivity(ctx, pelt.id, litter.id, {
      terms: { ...terms, points: { mode: 'fixed', points: 30 } },
      effectiveFrom: '2027-01-01T00:00:00Z',
    });
    anna = await signUp(rig.phone, 'anna.earns@example.org');
    bram = await signUp(rig.desktop, 'bram.earns@example.org');
  }, 180_000);

  afterAll(() => rig?.close());

  afterEach(() => {
    expect(rig.pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  it('suggests what to do next on the home page, in each language', async () => {
    await checkEachLanguage({ desktop: bram, phone: anna }, 'earn-home', async (page, locale) => {
      await waitForHeading(page, text(locale, 'resident.title'));
      await page.getByTestId('suggestion').first().waitFor();
      expect(await page.getByTestId('suggestion').count()).toBe(2);
      await page.getByRole('link', { name: text(locale, 'earn.allWays') }).waitFor();
      await page.getByRole('link', { name: text(locale, 'myClaims.link') }).waitFor();
    });
  }, 120_000);

  it('lists the ways to earn by theme, with how, how often and what changes', async () => {
    for (const page of [anna, bram]) {
      await page.getByTestId('earn-link').click();
      await waitForHeading(page, text('en', 'earn.title'));
    }
    await checkEachLanguage({ desktop: bram, phone: anna }, 'earn', async (page, locale) => {
      await waitForHeading(page, text(locale, 'earn.title'));
      await page
        .getByRole('heading', { level: 2, name: text(locale, 'earn.category.waste') })
        .waitFor();
      const litter = plain(await page.getByTestId('activity-pick-up-litter').textContent());
      expect(litter).toContain(say(locale, 'earn.points.fixed.other', { points: '25' }));
      expect(litter).toContain(text(locale, 'earn.how.photo_geo'));
      expect(litter).toContain(text(locale, 'earn.limits.once.resident.day'));
      expect(litter).toContain(text(locale, 'earn.limits.budget.month'));
      const paper = plain(await page.getByTestId('activity-recycling-paper').textContent());
      expect(paper).toContain(text(locale, 'earn.how.import.recycling_centre'));
      expect(paper).toContain(text(locale, 'earn.partnerOnly.memberCode'));
      const report = plain(await page.getByTestId('activity-report-problem').textContent());
      expect(report).toContain(text(locale, 'earn.how.report'));
      const energy = plain(await page.getByTestId('activity-green-energy').textContent());
      expect(energy).toContain(text(locale, 'earn.limits.once.household.lifetime'));
      expect(energy).toContain(text(locale, 'earn.how.partner.energy_provider'));
    });
    // In English, exactly: the announced change, and who can press "Claim".
    const upcoming = plain(
      await anna
        .getByTestId('activity-pick-up-litter')
        .getByTestId('activity-upcoming')
        .textContent(),
    );
    expect(upcoming).toBe('From 1 January 2027: 30 points');
    expect(
      plain(
        await anna.getByTestId('activity-volunteer').getByTestId('activity-points').textContent(),
      ),
    ).toBe('10 points per hour, up to 80');
    for (const code of ['recycling-paper', 'report-problem', 'volunteer']) {
      expect(
        await anna
          .getByTestId(`activity-${code}`)
          .getByRole('link', { name: /^Claim/ })
          .count(),
      ).toBe(0);
    }
    await anna
      .getByTestId('activity-recycling-paper')
      .getByRole('link', { name: text('en', 'earn.partnerOnly.card') })
      .waitFor();
  }, 120_000);

  it('claims picking up litter on a phone with a camera photo and the location, and says it waits', async () => {
    await openClaimForm(anna);
    // Nothing added yet: each missing piece is said at its place, and nothing is sent.
    await anna.getByTestId('claim-send').click();
    expect(plain(await anna.getByTestId('photo-error').textContent())).toBe(
      text('en', 'earn.form.fieldErrors.photo'),
    );
    expect(plain(await anna.getByTestId('location-error').textContent())).toBe(
      text('en', 'earn.form.fieldErrors.location'),
    );
    await expectNoSeriousAxeViolations(anna);
    await expectNoHorizontalScroll(anna);
    await screenshot(anna, 'claim-form-missing-phone-en');

    const camera = anna.getByTestId('photo-camera');
    expect(await camera.getAttribute('capture')).toBe('environment');
    expect(await camera.getAttribute('accept')).toBe('image/*');
    await anna.getByLabel(text('en', 'earn.form.note.label')).fill('Two bags along the canal');
    await addEvidence(anna, 1);
    await anna.waitForFunction(
      "document.querySelector('[data-testid=photo-preview]')?.naturalWidth > 0",
    );

    // A reload (or a dropped connection) keeps what was typed and added.
    await anna.reload();
    await waitForHeading(anna, LITTER.en);
    expect(await anna.getByLabel(text('en', 'earn.form.note.label')).inputValue()).toBe(
      'Two bags along the canal',
    );
    await anna.getByTestId('photo-added').waitFor();
    await anna.getByTestId('location-added').waitFor();
    await anna.waitForFunction(
      "document.querySelector('[data-testid=photo-preview]')?.naturalWidth > 0",
    );
    for (const locale of ['nl', 'en'] as const) {
      await chooseLanguage(anna, locale);
      await waitForHeading(anna, LITTER[locale]);
      await expectNoSeriousAxeViolations(anna);
      await expectNoHorizontalScroll(anna);
      await screenshot(anna, `claim-form-phone-${locale}`);
    }

    // A new account's claim waits for a reviewer.
    await anna.getByTestId('claim-send').click();
    await anna.getByTestId('claim-waiting').waitFor();
    await waitForHeading(anna, text('en', 'earn.result.waiting.title'));
    for (const locale of ['en', 'nl'] as const) {
      await chooseLanguage(anna, locale);
      await waitForHeading(anna, text(locale, 'earn.result.waiting.title'));
      await expectNoSeriousAxeViolations(anna);
      await expectNoHorizontalScroll(anna);
      await screenshot(anna, `claim-waiting-phone-${locale}`);
    }
    await chooseLanguage(anna, 'en');

    await anna.getByRole('link', { name: text('en', 'myClaims.link') }).click();
    await waitForHeading(anna, text('en', 'myClaims.title'));
    const first = anna.getByTestId('my-claim').first();
    expect(plain(await first.getByTestId('claim-status').textContent())).toBe('Waiting');
    expect(plain(await first.getByTestId('claim-points').textContent())).toBe('25 points');
    expect(plain(await first.textContent())).toContain('Sent on 1 December 2026');

    // Claiming it again while the first waits is refused, plainly, and the form is kept.
    await openClaimForm(anna);
    expect(await anna.getByLabel(text('en', 'earn.form.note.label')).inputValue()).toBe('');
    await addEvidence(anna, 2);
    await anna.getByTestId('claim-send').click();
    const failure = anna.getByTestId('claim-failure');
    await failure.waitFor();
    expect(plain(await failure.textContent())).toContain(
      text('en', 'earn.refusal.claim_waiting.title'),
    );
    await failure.getByRole('link', { name: text('en', 'myClaims.link') }).waitFor();
    await anna.getByTestId('photo-added').waitFor();
    await expectNoSeriousAxeViolations(anna);
    await expectNoHorizontalScroll(anna);
    await screenshot(anna, 'claim-refused-waiting-phone-en');
  }, 120_000);

  it('pays at once when no check doubts the claim, then says when the limit resets', async () => {
    // Accounts count as new for no days: the automatic checks approve Bram's claim at once.
    await setEarningSettings(rig.server.app, 'pelt', { yearlyCapPoints: 2500 });
    await openClaimForm(bram);
    await expectNoSeriousAxeViolations(bram);
    await screenshot(bram, 'claim-form-en');
    await addEvidence(bram, 3, 'photo-file');
    // The first send reaches the server, but its answer is lost on the way back.
    let lost = 0;
    await bram.route('**/api/me/claims', async (route) => {
      if (route.request().method() !== 'POST' || lost > 0) return route.fallback();
      lost += 1;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await bram.getByTestId('claim-send').click();
    const dropped = bram.getByTestId('claim-failure');
    await dropped.waitFor();
    expect(plain(await dropped.textContent())).toContain(text('en', 'earn.form.errors.network'));
    await screenshot(bram, 'claim-network-dropped-en');
    // Sending again finds the claim the first send made (by its clientClaimId, or by its photo,
    // which the API says is already on a claim): shown once, paid once.
    await bram.getByTestId('claim-send').click();
    await bram.getByTestId('claim-approved').waitFor();
    await bram.unroute('**/api/me/claims');
    expect(lost).toBe(1);
    await waitForHeading(bram, 'You got 25 points!');
    expect(plain(await bram.getByTestId('claim-balance').textContent())).toBe(
      'You now have 25 points.',
    );
    for (const locale of ['en', 'fr'] as const) {
      await chooseLanguage(bram, locale);
      await waitForHeading(bram, say(locale, 'earn.result.approved.other', { points: '25' }));
      await expectNoSeriousAxeViolations(bram);
      await screenshot(bram, `claim-approved-${locale}`);
    }
    await chooseLanguage(bram, 'en');

    await openClaimForm(bram);
    await addEvidence(bram, 4);
    await bram.getByTestId('claim-send').click();
    const failure = bram.getByTestId('claim-failure');
    await failure.waitFor();
    expect(plain(await failure.textContent())).toContain(
      text('en', 'earn.refusal.limit_reached.title'),
    );
    expect(plain(await failure.textContent())).toContain(
      'You can claim it again from 2 December 2026.',
    );
    await expectNoSeriousAxeViolations(bram);
    await screenshot(bram, 'claim-refused-limit-en');

    await bram.goto(`${rig.server.url}/resident`);
    await waitForHeading(bram, text('en', 'resident.title'));
    expect(plain(await bram.getByTestId('points').textContent())).toBe('25');
  }, 120_000);

  it('shows my claims with what was decided and why; a "no" can be appealed once, a wait withdrawn', async () => {
    const reviewer = await signInUser(
      rig.server.app,
      { kind: 'staff', slug: 'pelt', roles: ['reviewer'] },
      'reviewer.earn@pelt.example.org',
    );
    const waiting = await rig.server.app.inject({
      method: 'GET',
      url: '/api/municipalities/pelt/claims?status=submitted',
      headers: reviewer.headers,
    });
    const [annasClaim] = waiting.json().items;
    const rejected = await rig.server.app.inject({
      method: 'POST',
      url: `/api/municipalities/pelt/claims/${annasClaim.id}/reject`,
      headers: reviewer.headers,
      payload: { reason: 'evidence_unclear', note: 'The photo is too dark.' },
    });
    expect(rejected.statusCode).toBe(200);

    for (const page of [anna, bram]) {
      await page.goto(`${rig.server.url}/resident`);
      await page.getByTestId('my-claims-link').click();
      await waitForHeading(page, text('en', 'myClaims.title'));
      await page.getByTestId('my-claim').first().waitFor();
    }
    const annas = anna.getByTestId('my-claim').first();
    expect(plain(await annas.getByTestId('claim-status').textContent())).toBe('Not approved');
    expect(plain(await annas.getByTestId('claim-reason').textContent())).toBe(
      `Why: ${REJECT_REASON_TEXTS.evidence_unclear.en}`,
    );
    expect(plain(await annas.textContent())).toContain(
      'Note from the municipality: The photo is too dark.',
    );
    expect(await bram.getByTestId('my-claim').count()).toBe(1);
    const brams = bram.getByTestId('my-claim').first();
    expect(plain(await brams.getByTestId('claim-status').textContent())).toBe('Approved');
    expect(plain(await brams.getByTestId('claim-points').textContent())).toBe('+25 points');

    await checkEachLanguage({ desktop: bram, phone: anna }, 'my-claims', async (page, locale) => {
      await waitForHeading(page, text(locale, 'myClaims.title'));
      await page.getByTestId('claim-status').first().waitFor();
      if (page === anna) {
        // The reviewer's reason, in the resident's language.
        expect(plain(await annas.getByTestId('claim-reason').textContent())).toBe(
          say(locale, 'myClaims.reason', { reason: REJECT_REASON_TEXTS.evidence_unclear[locale] }),
        );
      }
    });

    // Appeal once: an empty reason is explained at the field; then it waits again.
    await annas.getByRole('button', { name: text('en', 'myClaims.appeal') }).click();
    const why = annas.getByLabel(text('en', 'myClaims.appealLabel'));
    await annas.getByRole('button', { name: text('en', 'myClaims.appealSend') }).click();
    await annas.getByText(text('en', 'myClaims.appealRequired')).waitFor();
    expect(await why.getAttribute('aria-invalid')).toBe('true');
    await expectNoSeriousAxeViolations(anna);
    await screenshot(anna, 'my-claims-appeal-phone-en');
    await why.fill('It was dark already; the bags are next to the bench.');
    await annas.getByRole('button', { name: text('en', 'myClaims.appealSend') }).click();
    await annas.getByTestId('claim-status').getByText('Waiting').waitFor();
    expect(plain(await annas.textContent())).toContain(
      'You asked us to look again on 1 December 2026.',
    );
    expect(await annas.getByRole('button', { name: text('en', 'myClaims.appeal') }).count()).toBe(
      0,
    );

    // Withdraw while it waits, after saying yes.
    await annas.getByRole('button', { name: text('en', 'myClaims.withdraw') }).click();
    await annas.getByText(text('en', 'myClaims.withdrawConfirm')).waitFor();
    await annas.getByRole('button', { name: text('en', 'myClaims.withdrawYes') }).click();
    await annas.getByTestId('claim-status').getByText('Withdrawn').waitFor();
    await expectNoSeriousAxeViolations(anna);
    await expectNoHorizontalScroll(anna);
    await screenshot(anna, 'my-claims-withdrawn-phone-en');
  }, 120_000);
});
