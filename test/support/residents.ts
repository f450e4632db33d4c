import type { FastifyInstance } from 'fastify';
import { registerResident } from '../../src/modules/identity/identity.service.js';
import type { Resident } from '../../src/modules/identity/identity.types.js';
import { findLatestEmailTo } from '../../src/modules/notifications/notifications.service.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { nextAddress, testContext } from './server.js';

/**
 * A resident of the municipality, signed in the way a person is (ask for a link, use the token
 * from the email in the outbox); returns them and the headers their requests carry (session
 * cookie and CSRF token).
 */
export async function signInResident(
  app: FastifyInstance,
  slug: string,
  email: string,
): Promise<{ resident: Resident; headers: Record<string, string> }> {
  const ctx = testContext(app);
  const municipality = await getMunicipality(ctx, slug);
  const resident = await registerResident(ctx, {
    email,
    municipalityId: municipality.id,
    locale: 'en',
  });
  await app.inject({
    method: 'POST',
    url: '/api/auth/email-link',
    payload: { email },
    remoteAddress: nextAddress(),
  });
  const token = /#token=([A-Za-z0-9_-]{43})/.exec(
    (await findLatestEmailTo(ctx, email))?.bodyText ?? '',
  )?.[1];
  if (!token) throw new Error(`no sign-in link was emailed to ${email}`);
  const signedIn = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { token },
    // Each person signs in from their own address, as they would: no shared rate limit.
    remoteAddress: nextAddress(),
  });
  return {
    resident,
    headers: {
      cookie: signedIn.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
      'x-csrf-token': signedIn.json().resident.csrfToken,
    },
  };
}
