import type { FastifyInstance } from 'fastify';
import type { User } from '../../src/modules/identity/identity.types.js';
import { inviteUser } from '../../src/modules/identity/users.service.js';
import { findLatestEmailTo } from '../../src/modules/notifications/notifications.service.js';
import { createApiKey, createPartner } from '../../src/modules/partners/partners.service.js';
import type { Partner } from '../../src/modules/partners/partners.types.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import type { ApiKeyScope, PartnerKind, PartnerRole, StaffRole } from '../../src/shared/roles.js';
import { nextAddress, testContext } from './server.js';

/**
 * Staff, operators, partner users and API keys, made the way an admin does (an invitation by
 * email) and signed in the way a person does (the link from the outbox); each comes with the
 * headers their requests carry.
 */

export type UserSpec =
  | { kind: 'staff'; slug: string; roles: StaffRole[] }
  | { kind: 'operator' }
  | { kind: 'partner'; partner: Partner; roles: PartnerRole[] };

export interface SignedInUser {
  user: User;
  headers: Record<string, string>;
}

/** Invites `email` as the spec says (acting as the operator CLI) and accepts the invitation. */
export async function signInUser(
  app: FastifyInstance,
  spec: UserSpec,
  email: string,
): Promise<SignedInUser> {
  const ctx = testContext(app);
  const details = {
    email,
    displayName: email.split('@')[0]!,
    locale: 'en' as const,
    publicUrl: app.deps.config.publicUrl,
    ip: '127.0.0.1',
    organisation: 'Test',
  };
  if (spec.kind === 'staff') {
    const municipality = await getMunicipality(ctx, spec.slug);
    await inviteUser(
      ctx,
      { kind: 'staff', municipalityId: municipality.id, roles: spec.roles },
      details,
    );
  } else if (spec.kind === 'operator') {
    await inviteUser(ctx, { kind: 'operator' }, details);
  } else {
    await inviteUser(
      ctx,
      {
        kind: 'partner',
        municipalityId: spec.partner.municipalityId,
        partnerId: spec.partner.id,
        roles: spec.roles,
      },
      details,
    );
  }
  const token = /#token=([A-Za-z0-9_-]{43})/.exec(
    (await findLatestEmailTo(ctx, email))?.bodyText ?? '',
  )?.[1];
  if (!token) throw new Error(`no invitation was emailed to ${email}`);
  const signedIn = await app.inject({
    method: 'POST',
    url: '/api/auth/user/sign-in',
    payload: { token },
    // Each person signs in from their own address, as they would: no shared rate limit.
    remoteAddress: nextAddress(),
  });
  if (signedIn.statusCode !== 200) throw new Error(`sign-in failed: ${signedIn.body}`);
  const body = signedIn.json();
  return {
    user: body.user,
    headers: {
      cookie: signedIn.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
      'x-csrf-token': body.csrfToken,
    },
  };
}

/** A partner of the municipality, made by the operator CLI. */
export async function makePartner(
  app: FastifyInstance,
  slug: string,
  name: string,
  kind: PartnerKind = 'merchant',
): Promise<Partner> {
  const ctx = testContext(app);
  const municipality = await getMunicipality(ctx, slug);
  return createPartner(ctx, municipality.id, { name, kind });
}

/** An API key of the partner with these scopes, and the header that carries it. */
export async function makeApiKey(
  app: FastifyInstance,
  partner: Partner,
  scopes: ApiKeyScope[],
): Promise<{ keyId: string; secret: string; headers: Record<string, string> }> {
  const { key, secret } = await createApiKey(testContext(app), partner, { name: 'till', scopes });
  return { keyId: key.id, secret, headers: { authorization: `Bearer ${secret}` } };
}

/**
 * Signs in an existing user the way they do it (ask for a link at /api/auth/user/email-link,
 * use the token from the email in the outbox); throws when no link came or sign-in failed.
 */
export async function signInExistingUser(
  app: FastifyInstance,
  email: string,
): Promise<SignedInUser> {
  const ctx = testContext(app);
  const before = (await findLatestEmailTo(ctx, email))?.id;
  await app.inject({
    method: 'POST',
    url: '/api/auth/user/email-link',
    payload: { email },
    remoteAddress: nextAddress(),
  });
  const mail = await findLatestEmailTo(ctx, email);
  const token =
    mail?.id === before ? undefined : /#token=([A-Za-z0-9_-]{43})/.exec(mail?.bodyText ?? '')?.[1];
  if (!token) throw new Error(`no sign-in link was emailed to ${email}`);
  const signedIn = await app.inject({
    method: 'POST',
    url: '/api/auth/user/sign-in',
    payload: { token },
    remoteAddress: nextAddress(),
  });
  if (signedIn.statusCode !== 200) throw new Error(`sign-in failed: ${signedIn.body}`);
  const body = signedIn.json();
  return {
    user: body.user,
    headers: {
      cookie: signedIn.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
      'x-csrf-token': body.csrfToken,
    },
  };
}
