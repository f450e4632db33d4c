import { expect, it } from 'vitest';
import { registerResident } from '../../src/modules/identity/identity.service.js';
import { sendPointsExpiryNotices } from '../../src/modules/identity/points-expiry-notices.service.js';
import * as ledger from '../../src/modules/ledger/ledger.service.js';
import { ensureSystemAccounts, openAccount } from '../../src/modules/ledger/ledger.service.js';
import { listOutbox } from '../../src/modules/notifications/notifications.service.js';
import { describeEachBackend } from '../support/backends.js';
import { createMunicipality } from '../support/factories.js';
import { useServiceContext } from '../support/storage-context.js';

const DAY = 24 * 3600 * 1000;
const PUBLIC_URL = 'https://punten.example.be/';

describeEachBackend('points expiry notices', (backend) => {
  const t = useServiceContext(backend);

  async function residentWithPoints(email: string | null, locale: 'nl' | 'fr' | 'de' | 'en') {
    const municipality = await createMunicipality(t.ctx, { pointsExpiryMonths: 1 });
    const { issuance } = await ensureSystemAccounts(t.ctx, municipality.id);
    const resident = await registerResident(t.ctx, {
      email,
      municipalityId: municipality.id,
      locale,
    });
    const wallet = await openAccount(t.ctx, {
      municipalityId: municipality.id,
      kind: 'wallet',
      ownerId: resident.id,
    });
    let n = 0;
    const earn = (amount: number) =>
      ledger.createTransfer(t.ctx, {
        id: `earn-${resident.id}-${n++}`,
        municipalityId: municipality.id,
        code: 'earn',
        debitAccountId: issuance.id,
        creditAccountId: wallet.id,
        amount,
      });
    return { municipality, resident, wallet, earn };
  }

  it('tells each resident once, in their language, 30 days before their points expire', async () => {
    t.clock.set('2026-12-01T10:00:00Z');
    const an = await residentWithPoints('an@pelt.be', 'nl');
    const desk = await residentWithPoints(null, 'fr'); // no address: nobody to tell
    await an.earn(40); // expire 2027-01-02 (end of 1 January, Brussels)
    await desk.earn(10);
    t.clock.advance(DAY);
    await an.earn(2); // another day, another expiry date: a notice of its own

    // More than 30 days ahead: nothing yet.
    expect(await sendPointsExpiryNotices(t.ctx, { publicUrl: PUBLIC_URL })).toBe(0);

    t.clock.set('2026-12-04T06:00:00Z');
    expect(await sendPointsExpiryNotices(t.ctx, { publicUrl: PUBLIC_URL })).toBe(2);
    const mails = (await listOutbox(t.ctx, { limit: 10 })).filter(
      (m) => m.template === 'points_expiring',
    );
    expect(mails.map((m) => [m.recipient, m.locale, m.subject]).sort()).toEqual([
      ['an@pelt.be', 'nl', '2 punten vervallen op 3 januari 2027'],
      ['an@pelt.be', 'nl', '40 punten vervallen op 2 januari 2027'],
    ]);
    expect(mails[0]?.bodyText).toContain('https://punten.example.be/resident/rewards');

    // Every later run, from any process, sends nothing more.
    expect(await sendPointsExpiryNotices(t.ctx, { publicUrl: PUBLIC_URL })).toBe(0);
    t.clock.advance(DAY);
    expect(await sendPointsExpiryNotices(t.ctx, { publicUrl: PUBLIC_URL })).toBe(0);
  });

  it('says nothing about points already spent or expired, or that never expire', async () => {
    t.clock.set('2026-12-01T10:00:00Z');
    const bea = await residentWithPoints('bea@pelt.be', 'en');
    await bea.earn(5);
    t.clock.set('2027-01-03T00:00:00Z'); // past their expiry
    expect(await ledger.expirePoints(t.ctx)).toBe(1);
    expect(await sendPointsExpiryNotices(t.ctx, { publicUrl: PUBLIC_URL })).toBe(0);

    const forever = await createMunicipality(t.ctx, { pointsExpiryMonths: null });
    const resident = await registerResident(t.ctx, {
      email: 'cas@pelt.be',
      municipalityId: forever.id,
      locale: 'de',
    });
    expect(resident.id).toBeTruthy();
    expect(await sendPointsExpiryNotices(t.ctx, { publicUrl: PUBLIC_URL })).toBe(0);
  });
});
