import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoStaffEmail } from '../../src/demo/seed-demo.js';
import type { Activity } from '../../src/modules/catalog/catalog.types.js';
import { REJECT_REASON_TEXTS } from '../../src/modules/claims/reject-reasons.js';
import { TEMPLATES } from '../../src/modules/notifications/notifications.templates.js';
import { type LaunchedBrowser, launchBrowser, requireBrowser } from '../support/browser.js';
import { makeActivity } from '../support/earning.js';
import { jpegWithExif } from '../support/exif-jpeg.js';
import { signInResident } from '../support/residents.js';
import { waitForSignInLink } from '../support/smtp.js';
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  plain,
  screenshot,
  text,
  waitForHeading,
} from './page-checks.js';
import { chooseLanguage, type ResidentRig, startResidentRig } from './resident-steps.js';

// Issue 5's way through the browser: a resident signs up in Dutch on a phone and claims an
// activity that needs a reviewer, with a photo; a second resident sends the same photo. The demo
// reviewer signs in by the emailed link, opens the queue, sees the photos, the map and the flags,
// moves with j/k, rejects the copy with a reason and approves the first with the keyboard. The
// resident's balance shows the points and the approval email reached the real SMTP peer in
// Dutch. Then the demo admin opens the catalogue, adds an activity (the API's field error shows
// next to its field), announces a change, and reads the queue with who decided. Screenshots go
// to test-results/screenshots.

const hasBrowser = requireBrowser('review browser tests');

const en = (key: string, values: Record<string, string | number> = {}) =>
  Object.entries(values).reduce(
    (s, [k, v]) => s.replaceAll(`{{${k}}}`, String(v)),
    text('en', key),
  );
const nl = (key: string, values: Record<string, string | number> = {}) =>
  Object.entries(values).reduce(
    (s, [k, v]) => s.replaceAll(`{{${k}}}`, String(v)),
    text('nl', key),
  );

const RESIDENT = 'an.peeters@example.be';
const SECOND = 'copy.cat@example.be';
const REVIEWER = demoStaffEmail('reviewer', 'pelt');
const ADMIN = demoStaffEmail('admin', 'pelt');
/** The demo shop in the centre of Pelt; the activity happens there. */
const SITE = { latitude: 51.2249, longitude: 5.4276, radiusMeters: 300 };
/** About 2.2 km north of the site: outside its circle, inside Pelt. */
const FAR = { latitude: 51.2449, longitude: 5.4276 };
const NAMES = {
  nl: 'Een boom planten',
  fr: 'Planter un arbre',
  de: 'Einen Baum pflanzen',
  en: 'Plant a tree',
};

describe.skipIf(!hasBrowser)('claims, review and the catalogue in Chromium', () => {
  let rig: ResidentRig;
  let admin: LaunchedBrowser;
  let activity: Activity;
  let photo: Buffer;
  let resident: Page;
  let reviewer: Page;
  let residentCookies: Awaited<ReturnType<LaunchedBrowser['context']['cookies']>>;

  const url = (path: string) => `${rig.server.url}${path}`;
  const nav = (page: Page, locale: 'en' | 'nl' = 'en') =>
    page.getByRole('navigation', { name: text(locale, 'staffArea.navLabel') });
  const pane = (page: Page) => page.getByTestId('claim-pane');

  /** Signs a staff member in the way they do it: the form, then the link in the email. */
  async function signInAtWork(page: Page, email: string): Promise<void> {
    const before = rig.received.filter((m) => m.to.includes(email)).length;
    await page.goto(url('/work/sign-in'));
    await waitForHeading(page, en('workSignIn.title'));
    await page.getByLabel(en('workSignIn.email')).fill(email);
    await page.getByRole('button', { name: en('signIn.submit') }).click();
    await waitForHeading(page, en('signIn.sentTitle'));
    await page.goto(await waitForSignInLink(rig.received, email, before, '/work/sign-in'));
    await waitForHeading(page, en('staffArea.home.title'));
  }

  /** The newest message to `address`, parsed. */
  async function lastMailTo(address: string) {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const mails = rig.received.filter((m) => m.to.includes(address));
      if (mails.length > 0) return simpleParser(mails[mails.length - 1]!.raw);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no email to ${address} within 10 s`);
  }

  /** Waits until every photo in the open claim has loaded (drawn with a width). */
  async function photosShown(page: Page): Promise<void> {
    await pane(page).getByTestId('claim-photo').first().waitFor();
    await page.waitForFunction(
      `[...document.querySelectorAll('[data-testid=claim-photo]')].every((img) => img.complete && img.naturalWidth > 0)`,
    );
  }

  beforeAll(async () => {
    rig = await startResidentRig();
    for (const browser of [rig.desktop, rig.phone]) browser.context.setDefaultTimeout(10_000);
    // The resident's phone: its clock at the server's test time, its position 2.2 km from the site.
    await rig.phone.context.clock.setFixedTime(new Date('2026-12-01T09:00:00Z'));
    await rig.phone.context.grantPermissions(['geolocation'], { origin: rig.server.url });
    await rig.phone.context.setGeolocation({ ...FAR, accuracy: 10 });
    admin = await launchBrowser({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    admin.context.setDefaultTimeout(10_000);
    activity = await makeActivity(rig.server.app, 'pelt', 'plant-a-tree', {
      names: NAMES,
      descriptions: {
        nl: 'Plant een boom in je tuin of in het park en stuur een foto.',
        fr: 'Plantez un arbre dans votre jardin ou au parc et envoyez une photo.',
        de: 'Pflanzen Sie einen Baum im Garten oder im Park und schicken Sie ein Foto.',
        en: 'Plant a tree in your garden or the park and send a photo.',
      },
      category: 'nature',
      points: { mode: 'fixed', points: 40 },
      verificationMethods: ['staff_review'],
      evidence: { photo: true, location: true, site: false },
      site: SITE,
    });
    // Taken half an hour before the test clock's "now" (2026-12-01T09:00Z), 2.2 km away.
    photo = await jpegWithExif({ seed: 7, takenAt: '2026-12-01T08:30:00Z', ...FAR });
  }, 180_000);

  afterAll(async () => {
    await admin?.close();
    await rig?.close();
  });

  afterEach(() => {
    expect(rig.pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
  });

  it('lets a resident sign up in Dutch on a phone and claim the activity with a photo', async () => {
    resident = rig.watch(await rig.phone.context.newPage());
    await resident.goto(url('/sign-in'));
    await chooseLanguage(resident, 'nl');
    await waitForHeading(resident, nl('signIn.title'));
    await resident.getByLabel(nl('signIn.email')).fill(RESIDENT);
    await resident.getByLabel(nl('signIn.municipality')).selectOption({ label: 'Pelt' });
    await resident.getByRole('button', { name: nl('signIn.submit') }).click();
    await waitForHeading(resident, nl('signIn.sentTitle'));
    await resident.goto(await waitForSignInLink(rig.received, RESIDENT, 0));
    await waitForHeading(resident, nl('household.welcomeTitle'));
    await resident.getByRole('link', { name: nl('household.skip') }).click();
    await waitForHeading(resident, nl('resident.title'));
    expect(plain(await resident.getByTestId('points').textContent())).toBe('0');

    // The claim through the resident's own pages: the photo from the camera input, the phone's
    // location, a note; the form says it waits for a reviewer.
    await resident.goto(url('/resident/earn'));
    await waitForHeading(resident, nl('earn.title'));
    await resident.getByRole('link', { name: nl('earn.claimNamed', { name: NAMES.nl }) }).click();
    await waitForHeading(resident, NAMES.nl);
    await resident.getByTestId('photo-camera').setInputFiles({
      name: 'eik.jpg',
      mimeType: 'image/jpeg',
      buffer: photo,
    });
    await resident.getByTestId('photo-added').waitFor();
    await resident.getByRole('button', { name: nl('earn.form.location.use') }).click();
    await resident.getByTestId('location-added').waitFor();
    await resident.getByTestId('claim-note').fill('Een eik in het park achter de school.');
    await expectNoSeriousAxeViolations(resident);
    await screenshot(resident, 'review-resident-claim-form-nl-phone');
    await resident.getByTestId('claim-send').click();
    await waitForHeading(resident, nl('earn.result.waiting.title'));
    await screenshot(resident, 'review-resident-claim-sent-nl-phone');
    const mine = (await resident.evaluate(`fetch('/api/me/claims').then((r) => r.json())`)) as {
      items: { status: string; photoIds: string[]; flags: { code: string }[] }[];
    };
    const sent = { claim: mine.items[0]! };
    expect(mine.items).toHaveLength(1);
    expect(sent.claim.photoIds).toHaveLength(1);
    expect(sent.claim.status).toBe('submitted');
    expect(sent.claim.flags.map((f) => f.code).sort()).toEqual([
      'device_location_far',
      'new_account',
      'photo_location_far',
    ]);
    residentCookies = await rig.phone.context.cookies();
  });

  it('flags a second resident who sends the same photo', async () => {
    const second = await signInResident(rig.server.app, 'pelt', SECOND);
    const upload = await rig.server.app.inject({
      method: 'POST',
      url: '/api/me/claim-photos',
      headers: { ...second.headers, 'content-type': 'image/jpeg' },
      payload: photo,
    });
    expect(upload.statusCode).toBe(201);
    const claim = await rig.server.app.inject({
      method: 'POST',
      url: '/api/me/claims',
      headers: second.headers,
      payload: { activityId: activity.id, photoIds: [upload.json().id], ...FAR },
    });
    expect(claim.statusCode).toBe(201);
    expect(claim.json().risk).toBe('high');
    expect(claim.json().flags.map((f: { code: string }) => f.code)).toContain('duplicate_photo');
  });

  it('lets the reviewer sign in by the emailed link and open the queue with photo, map and flags', async () => {
    reviewer = rig.watch(await rig.desktop.context.newPage());
    // Dialogs open without their fade, so that axe reads their colours as they end up.
    await reviewer.emulateMedia({ reducedMotion: 'reduce' });
    await signInAtWork(reviewer, REVIEWER);
    const links = await nav(reviewer).getByRole('link').allTextContents();
    expect(links).toContain(en('staffArea.nav.review'));
    expect(links).not.toContain(en('staffArea.nav.activities'));
    await nav(reviewer)
      .getByRole('link', { name: en('staffArea.nav.review') })
      .click();
    await waitForHeading(reviewer, en('staffArea.nav.review'));
    await reviewer
      .getByTestId('queue-count')
      .getByText(en('review.queue.waiting.other', { number: 2 }))
      .waitFor();
    await reviewer.getByTestId('key-hint').waitFor();
    expect(plain(await reviewer.getByTestId('key-hint').textContent())).toContain(
      en('review.keys.approve'),
    );

    // Highest risk first: the copied photo leads.
    await reviewer
      .getByTestId('filter-sort')
      .selectOption({ label: en('review.queue.sorts.risk') });
    const rows = reviewer.getByTestId('review-queue').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(plain(await rows.first().textContent())).toContain(
      en('review.flags.duplicate_photo.name'),
    );
    await pane(reviewer).getByText(en('review.flags.duplicate_photo.name')).waitFor();
    await photosShown(reviewer);
    expect(await pane(reviewer).getByTestId('no-history').textContent()).toBe(
      en('review.history.none'),
    );
    await expectNoSeriousAxeViolations(reviewer);
    await screenshot(reviewer, 'review-queue-duplicate');

    // j opens the next claim: the Dutch resident's, with its map and place flags.
    await reviewer.keyboard.press('j');
    const flags = pane(reviewer).getByTestId('claim-flags');
    await flags.getByText(en('review.flags.photo_location_far.name')).waitFor();
    await flags.getByText(en('review.flags.device_location_far.name')).waitFor();
    await flags.getByText(en('review.flags.new_account.name')).waitFor();
    expect(plain(await flags.textContent())).toMatch(/2\.2 km from the place of the activity/);
    await photosShown(reviewer);
    const map = pane(reviewer).getByTestId('claim-map');
    await map.locator('[data-part=claim]').waitFor();
    await map.locator('[data-part=site]').waitFor();
    expect(await map.locator('path').count()).toBeGreaterThan(0);
    expect(plain(await map.getByTestId('map-distance').textContent())).toBe(
      en('review.map.outside', { distance: '2.2 km' }),
    );
    expect(plain(await pane(reviewer).getByTestId('resident-facts').textContent())).toMatch(
      /^Member code [0-9A-Z]{5}-[0-9A-Z]{5}-.+, signed up on 1 December 2026\.$/,
    );
    await pane(reviewer).getByText('Een eik in het park achter de school.').waitFor();
    await expectNoSeriousAxeViolations(reviewer);
    await screenshot(reviewer, 'review-queue');

    // k goes back; the photo opens large.
    await reviewer.keyboard.press('k');
    await pane(reviewer).getByText(en('review.flags.duplicate_photo.name')).waitFor();
    await photosShown(reviewer);
    await pane(reviewer)
      .getByRole('button', { name: en('review.photos.open', { number: 1 }) })
      .click();
    await reviewer.getByRole('dialog').locator('img').waitFor();
    await expectNoSeriousAxeViolations(reviewer);
    await reviewer.keyboard.press('Escape');
    await reviewer.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('keeps the queue usable on a phone', async () => {
    await rig.phone.context.clearCookies();
    await rig.phone.context.addCookies(await rig.desktop.context.cookies());
    const small = rig.watch(await rig.phone.context.newPage());
    // The phone's language is still the resident's Dutch.
    await small.goto(url('/staff/review'));
    await waitForHeading(small, nl('staffArea.nav.review'));
    await small.getByTestId('claim-pane').waitFor();
    await photosShown(small);
    await expectNoSeriousAxeViolations(small);
    await expectNoHorizontalScroll(small);
    await screenshot(small, 'review-queue-phone-nl');
    await small.close();
    await rig.phone.context.clearCookies();
    await rig.phone.context.addCookies(residentCookies);
  });

  it('rejects the copy with a reason and approves the first claim, all from the keyboard', async () => {
    await reviewer.bringToFront();
    await pane(reviewer).getByText(en('review.flags.duplicate_photo.name')).waitFor();
    await reviewer.locator('body').click({ position: { x: 5, y: 5 } });

    // r opens the reasons; the arrows choose one; the text the resident will read shows.
    await reviewer.keyboard.press('r');
    const dialog = reviewer.getByRole('dialog');
    await dialog.getByTestId('reject-form').waitFor();
    await expect
      .poll(() => reviewer.evaluate('document.activeElement?.getAttribute("type")'))
      .toBe('radio');
    await reviewer.keyboard.press('ArrowDown');
    await reviewer.keyboard.press('ArrowDown');
    await reviewer.keyboard.press('ArrowDown');
    expect(plain(await dialog.getByTestId('reject-preview').textContent())).toBe(
      REJECT_REASON_TEXTS.duplicate.en,
    );
    await expectNoSeriousAxeViolations(reviewer);
    await screenshot(reviewer, 'review-reject-dialog');
    await reviewer.keyboard.press('Enter');
    await reviewer
      .getByTestId('queue-status')
      .getByText(en('review.done.rejected', { activity: NAMES.en }), { exact: false })
      .waitFor();

    // The first claim takes its place; a approves it.
    await pane(reviewer).getByText(en('review.flags.photo_location_far.name')).waitFor();
    await expect.poll(() => reviewer.evaluate('document.activeElement?.tagName')).toBe('H2');
    await reviewer.keyboard.press('a');
    await reviewer
      .getByTestId('queue-status')
      .getByText(en('review.done.approved', { points: 40, activity: NAMES.en }), { exact: false })
      .waitFor();
    await reviewer.getByText(en('review.queue.empty')).waitFor();
    expect(plain(await reviewer.getByTestId('queue-count').textContent())).toBe(
      en('review.queue.waiting.other', { number: 0 }),
    );
    await expectNoSeriousAxeViolations(reviewer);
    await screenshot(reviewer, 'review-queue-empty');

    // Decided claims say who decided.
    await reviewer
      .getByTestId('filter-status')
      .selectOption({ label: en('review.statuses.approved') });
    await pane(reviewer).getByTestId('decided-by').waitFor();
    expect(plain(await pane(reviewer).getByTestId('decided-by').textContent())).toMatch(
      /^Approved by you on 1 Dec 2026, \d\d:\d\d: 40 points\.$/,
    );
    await expectNoSeriousAxeViolations(reviewer);
    await screenshot(reviewer, 'review-approved');
  });

  it("shows the points in the resident's balance and emails them in Dutch", async () => {
    await resident.bringToFront();
    await resident.goto(url('/resident'));
    await waitForHeading(resident, nl('resident.title'));
    expect(plain(await resident.getByTestId('points').textContent())).toBe('40');
    await expectNoSeriousAxeViolations(resident);
    await screenshot(resident, 'review-resident-balance-phone-nl');

    const approved = await lastMailTo(RESIDENT);
    const template = TEMPLATES.claim_approved.texts.nl;
    expect(approved.subject).toBe(
      template.subject.replace('{{points}}', '40').replace('{{activity}}', NAMES.nl),
    );
    expect(approved.text).toContain('Er staan 40 punten bij op je rekening.');

    const rejected = await lastMailTo(SECOND);
    expect(rejected.subject).toBe(
      TEMPLATES.claim_rejected.texts.en.subject.replace('{{activity}}', NAMES.en),
    );
    expect(rejected.text).toContain(REJECT_REASON_TEXTS.duplicate.en);
  });

  it('lets the admin add an activity, see the field error from the API, and announce a change', async () => {
    const page = rig.watch(await admin.context.newPage());
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await signInAtWork(page, ADMIN);
    await nav(page)
      .getByRole('link', { name: en('staffArea.nav.activities') })
      .click();
    await waitForHeading(page, en('staffArea.nav.activities'));
    const table = page.getByTestId('activities-table');
    await table.getByRole('link', { name: NAMES.en }).waitFor();
    await table.getByRole('link', { name: 'Pick up litter' }).waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'catalogue');

    await page.getByRole('link', { name: en('catalogue.list.new') }).click();
    await waitForHeading(page, en('catalogue.editor.newTitle'));
    const form = page.getByTestId('activity-form');
    await form.getByLabel(en('catalogue.form.code'), { exact: true }).fill('repair-cafe');
    const names = {
      nl: ['Dutch', 'Iets laten herstellen in het repair café'],
      fr: ['French', 'Faire réparer au repair café'],
      de: ['German', 'Im Repair-Café reparieren lassen'],
      en: ['English', 'Get something repaired at the repair café'],
    } as const;
    for (const [language, name] of Object.values(names)) {
      await form.getByLabel(en('catalogue.form.name', { language })).fill(name);
    }
    await form
      .getByLabel(en('catalogue.form.category'))
      .selectOption({ label: en('catalogue.categories.reuse') });
    await form.getByLabel(en('catalogue.form.points')).fill('15');
    await form.getByRole('checkbox', { name: en('catalogue.methods.photo_geo') }).check();
    await form.getByRole('checkbox', { name: en('catalogue.form.evidencePhoto') }).check();
    await form.getByRole('button', { name: en('catalogue.form.addLimit') }).click();
    await form.getByLabel(en('catalogue.form.limitMaxCount', { number: 1 })).fill('2');
    await form
      .getByLabel(en('catalogue.form.limitPeriod', { number: 1 }))
      .selectOption({ label: en('catalogue.periods.month') });
    await form.getByRole('button', { name: en('catalogue.form.create') }).click();
    // Photo and place checks need a place too: the API says so, next to the proof.
    const evidenceError = page.getByTestId('error-activity-evidence');
    await evidenceError.waitFor();
    expect(plain(await evidenceError.textContent())).toBe(en('catalogue.errors.photo_geo'));
    await page.getByTestId('form-errors').waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'catalogue-new-error');

    await form.getByRole('checkbox', { name: en('catalogue.form.evidenceLocation') }).check();
    await form.getByRole('button', { name: en('catalogue.form.create') }).click();
    await waitForHeading(page, names.en[1]);
    await page
      .getByTestId('action-done')
      .getByText(en('catalogue.editor.created', { name: names.en[1] }))
      .waitFor();
    expect(plain(await page.getByTestId('activity-summary').textContent())).toContain(
      en('catalogue.editor.noUpcoming'),
    );

    // A change from 1 January: 20 points; claims made before keep 15.
    await page.getByText(en('catalogue.editor.keepTerms')).first().waitFor();
    const change = page.getByTestId('activity-form');
    await change.getByLabel(en('catalogue.form.points')).fill('20');
    await change.getByRole('radio', { name: en('catalogue.form.effectiveDate') }).check();
    await change.getByLabel(en('catalogue.form.effectiveFrom')).fill('2027-01-01T00:00');
    await change.getByRole('button', { name: en('catalogue.form.saveChange') }).click();
    await page.getByTestId('upcoming-changes').waitFor();
    expect(plain(await page.getByTestId('upcoming-changes').textContent())).toMatch(
      /^From 1 Jan 2027, 00:00: 20 points$/,
    );
    expect(plain(await page.getByTestId('action-done').textContent())).toContain(
      'The change is announced.',
    );
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'catalogue-change-announced');

    await page.getByRole('link', { name: en('catalogue.editor.back') }).click();
    const row = page
      .getByTestId('activities-table')
      .getByRole('row')
      .filter({ hasText: 'repair-cafe' });
    expect(plain(await row.textContent())).toContain('From 1 Jan 2027, 00:00: 20 points');

    // Archive and restore: undone as easily as done, so no question asked.
    await row
      .getByRole('button', { name: en('catalogue.list.archiveOf', { name: names.en[1] }) })
      .click();
    await page
      .getByTestId('action-done')
      .getByText(en('catalogue.list.archived', { name: names.en[1] }))
      .waitFor();
    await row
      .getByRole('button', { name: en('catalogue.list.restoreOf', { name: names.en[1] }) })
      .click();
    await page
      .getByTestId('action-done')
      .getByText(en('catalogue.list.restored', { name: names.en[1] }))
      .waitFor();
    await page.close();
  });

  it('shows the admin the earning settings and the queue read-only, with who decided', async () => {
    const page = rig.watch(await admin.context.newPage());
    await page.goto(url('/staff/settings'));
    await waitForHeading(page, en('staffArea.nav.settings'));
    await page.getByRole('heading', { name: en('earningSettings.title') }).waitFor();
    const cap = page.getByTestId('setting-yearlyCapPoints');
    expect(await cap.inputValue()).toBe('2500');
    await cap.fill('3000');
    await page.getByRole('button', { name: en('earningSettings.save') }).click();
    await page.getByTestId('earning-settings-saved').waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'earning-settings');

    await page.goto(url('/staff/review'));
    await waitForHeading(page, en('staffArea.nav.review'));
    await page.getByText(en('review.queue.introReadOnly')).waitFor();
    await page.getByTestId('filter-status').selectOption({ label: en('review.queue.anyStatus') });
    const rows = page.getByTestId('review-queue').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    for (const row of await rows.all()) {
      expect(plain(await row.textContent())).toContain('Pelt reviewer (demo)');
    }
    await pane(page).getByTestId('decided-by').waitFor();
    expect(await page.getByTestId('approve').count()).toBe(0);
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'review-queue-admin');
  });
});
