import { expect, it } from 'vitest';
import { createTestApp } from '../../test/support/server.js';
import { devOutboxEnabled } from './dev-outbox.routes.js';

it('offers the development mailbox only outside production, without SMTP, on loopback', () => {
  const base = { nodeEnv: 'development', smtpUrl: null, host: '127.0.0.1' };
  expect(devOutboxEnabled(base)).toBe(true);
  expect(devOutboxEnabled({ ...base, nodeEnv: 'production' })).toBe(false);
  expect(devOutboxEnabled({ ...base, smtpUrl: 'smtp://mail:25' })).toBe(false);
  expect(devOutboxEnabled({ ...base, host: '0.0.0.0' })).toBe(false);
});

it('lists the sign-in email a resident asked for', async () => {
  const app = await createTestApp({ seedDemo: true });
  try {
    await app.inject({
      method: 'POST',
      url: '/api/auth/email-link',
      payload: { email: 'resident.pelt@demo.civicpoints.invalid', locale: 'fr' },
    });
    const outbox = (await app.inject('/api/dev/outbox')).json();
    expect(outbox.items[0]).toMatchObject({ recipient: 'resident.pelt@demo.civicpoints.invalid' });
    expect(outbox.items[0].bodyText).toMatch(/\/sign-in#token=[A-Za-z0-9_-]{43}/);
    const production = await createTestApp({ env: { NODE_ENV: 'production' } });
    expect((await production.inject('/api/dev/outbox')).statusCode).toBe(404);
    await production.close();
  } finally {
    await app.close();
  }
});
