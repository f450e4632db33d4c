import { beforeEach, expect, it } from 'vitest';
import { describeEachBackend, openFreshStorage } from '../../../test/support/backends.js';
import { createMunicipality } from '../../../test/support/factories.js';
import { useServiceContext } from '../../../test/support/storage-context.js';
import { createContext } from '../../shared/context.js';
import { DomainError } from '../../shared/errors.js';
import { LOCALES } from '../../shared/locales.js';
import { migrateToLatest } from '../../storage/migrate.js';
import * as notifications from './notifications.service.js';
import type { EmailMessage } from './notifications.types.js';

const SUBJECTS = {
  nl: 'Je aanmeldlink voor CivicPoints',
  fr: 'Votre lien de connexion à CivicPoints',
  de: 'Ihr Anmeldelink für CivicPoints',
  en: 'Your sign-in link for CivicPoints',
} as const;

const LINK = 'https://punten.example.be/sign-in?token=tok_secret';

function signIn(overrides: Partial<EmailMessage> = {}): EmailMessage {
  return {
    to: 'an@pelt.be',
    template: 'sign_in_link',
    locale: 'en',
    params: { link: LINK, minutes: '15' },
    ...overrides,
  };
}

async function errorOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

function captureLogger() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  return {
    lines,
    logger: {
      info: (fields: Record<string, unknown>, message: string) =>
        lines.push({ level: 'info', fields, message }),
      warn: (fields: Record<string, unknown>, message: string) =>
        lines.push({ level: 'warn', fields, message }),
    },
  };
}

describeEachBackend('notifications service', (backend) => {
  const t = useServiceContext(backend);
  beforeEach(() => {
    notifications.configureNotifications(t.storage, {
      smtpUrl: null,
      mailFrom: 'CivicPoints <no-reply@localhost>',
      logger: captureLogger().logger,
    });
  });

  it('writes the rendered message to the outbox in each language and logs only its id, template and subject', async () => {
    const log = captureLogger();
    notifications.configureNotifications(t.storage, {
      smtpUrl: null,
      mailFrom: 'CivicPoints <no-reply@localhost>',
      logger: log.logger,
    });
    for (const locale of LOCALES) {
      const to = `${locale}@pelt.be`;
      const result = await notifications.sendEmail(t.ctx, signIn({ to, locale }));
      expect(result).toEqual({ id: expect.stringMatching(/^eml_[0-9a-z]{26}$/), delivered: false });
      const row = await notifications.findLatestEmailTo(t.ctx, to);
      expect(row).toMatchObject({
        id: result.id,
        municipalityId: null,
        recipient: to,
        locale,
        template: 'sign_in_link',
        subject: SUBJECTS[locale],
        createdAt: '2026-12-01T09:00:00.000Z',
        sentAt: null,
        attempts: 0,
        lastError: null,
      });
      expect(row?.bodyText).toContain(`\n\n${LINK}\n\n`);
      expect(row?.bodyText).toContain('15');
      expect(row?.bodyHtml).toContain(`<a href="${LINK}">`);
    }
    expect(log.lines).toHaveLength(4);
    expect(log.lines[1]).toEqual({
      level: 'info',
      fields: {
        emailId: expect.stringMatching(/^eml_/),
        template: 'sign_in_link',
        subject: SUBJECTS.fr,
      },
      message: expect.any(String),
    });
    expect(JSON.stringify(log.lines)).not.toContain('tok_secret');
    expect(JSON.stringify(log.lines)).not.toContain('@pelt.be');
  });

  it('behaves as "no SMTP" when the storage was never configured', async () => {
    const ctx = createContext(t.storage, { clock: t.clock, actor: { kind: 'system', name: 't' } });
    const unconfigured = await openFreshStorage(backend);
    try {
      await migrateToLatest(unconfigured.db);
      const other = { ...ctx, db: unconfigured.db, storage: unconfigured };
      const { id, delivered } = await notifications.sendEmail(other, signIn({ locale: 'nl' }));
      expect(delivered).toBe(false);
      expect(await notifications.findEmail(other, id)).toMatchObject({ sentAt: null, attempts: 0 });
    } finally {
      await unconfigured.close();
    }
  });

  it('sends nothing over SMTP when configured without an SMTP URL', async () => {
    const { id, delivered } = await notifications.sendEmail(t.ctx, signIn({ locale: 'nl' }));
    expect(delivered).toBe(false);
    expect(await notifications.findEmail(t.ctx, id)).toMatchObject({ sentAt: null, attempts: 0 });
  });

  it('keeps the municipality on the row when given', async () => {
    const municipality = await createMunicipality(t.ctx, { slug: 'pelt' });
    const { id } = await notifications.sendEmail(
      t.ctx,
      signIn({ municipalityId: municipality.id }),
    );
    expect((await notifications.findEmail(t.ctx, id))?.municipalityId).toBe(municipality.id);
  });

  it('refuses a missing param with email_param_missing and writes nothing', async () => {
    const error = await errorOf(notifications.sendEmail(t.ctx, signIn({ params: { link: LINK } })));
    expect(error).toMatchObject({
      code: 'email_param_missing',
      kind: 'invalid',
      details: { template: 'sign_in_link', missing: ['minutes'] },
    });
    expect(await notifications.listOutbox(t.ctx, { limit: 10 })).toEqual([]);
  });

  it('refuses a bad address, template or locale with invalid_input and writes nothing', async () => {
    const error = await errorOf(notifications.sendEmail(t.ctx, signIn({ to: 'an@pelt' })));
    expect(error.code).toBe('invalid_input');
    expect(error.fieldErrors).toEqual([
      { field: '/to', code: 'invalid_email', message: expect.any(String) },
    ]);
    const many = await errorOf(
      notifications.sendEmail(t.ctx, {
        to: 'x\r\nBcc: y@z.be',
        template: 'nope',
        locale: 'es',
        params: null,
      } as unknown as EmailMessage),
    );
    expect(many.fieldErrors.map((e) => e.field)).toEqual([
      '/to',
      '/template',
      '/locale',
      '/params',
    ]);
    expect(await notifications.listOutbox(t.ctx, { limit: 10 })).toEqual([]);
  });

  it('lists the outbox newest first and finds the latest message to an address', async () => {
    const first = await notifications.sendEmail(t.ctx, signIn({ to: 'a@pelt.be' }));
    t.clock.advance(1000);
    const second = await notifications.sendEmail(t.ctx, signIn({ to: 'b@pelt.be' }));
    const third = await notifications.sendEmail(t.ctx, signIn({ to: 'a@pelt.be', locale: 'de' }));
    const listed = await notifications.listOutbox(t.ctx, { limit: 10 });
    expect(listed.map((e) => e.id)).toEqual([third.id, second.id, first.id]);
    expect((await notifications.listOutbox(t.ctx, { limit: 2 })).map((e) => e.id)).toEqual([
      third.id,
      second.id,
    ]);
    expect((await notifications.findLatestEmailTo(t.ctx, 'a@pelt.be'))?.id).toBe(third.id);
    expect(await notifications.findLatestEmailTo(t.ctx, 'c@pelt.be')).toBeUndefined();
    expect((await errorOf(notifications.listOutbox(t.ctx, { limit: 0 }))).code).toBe(
      'invalid_input',
    );
  });
});
