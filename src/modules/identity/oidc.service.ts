import { timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import type { ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { authorize } from '../../shared/policy.js';
import { openSecret, sealSecret } from '../../shared/secret-box.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import { getMunicipality, listMunicipalities } from '../tenancy/tenancy.service.js';
import { hashToken } from './identity.rules.js';
import type { IssuedSession, User } from './identity.types.js';
import * as repo from './oidc.repository.js';
import {
  checkIssuer,
  emailDomainAllowed,
  normalizeDomains,
  OIDC_STATE_MINUTES,
  type OidcSignInError,
  redirectUriFor,
} from './oidc.rules.js';
import type { OidcSettingsInput, OidcSettingsView, StoredOidcSettings } from './oidc.types.js';
import { signInStaffVouchedFor } from './users.service.js';

/**
 * Single sign-on for a municipality's staff with the municipality's own OpenID Connect provider
 * (openid-client): an admin sets the issuer, client id and secret; a staff member is sent to the
 * provider (authorization code flow with PKCE S256, state and nonce) and comes back with a
 * verified address, which must belong to an invited or active staff member of that municipality.
 * The client secret is sealed with SECRETS_KEY: it is never returned, logged or audited.
 */

/** What the HTTP layer supplies: the public address (for the redirect URI) and the secrets key. */
export interface OidcEnvironment {
  publicUrl: string;
  /** The key that seals client secrets; throws `secrets_key_missing` when there is none. */
  secretsKey: () => Buffer;
}

/** Seconds any request to a provider may take. */
const PROVIDER_TIMEOUT_SECONDS = 10;
const SCOPE = 'openid email';

const sealContext = (municipalityId: string) => `oidc-client-secret:${municipalityId}`;

/**
 * A municipality's OIDC settings for its admin, with `hasClientSecret` instead of the secret.
 * Outcomes: the settings (disabled and empty when never set); `not_signed_in`,
 * `permission_denied`, `not_found`.
 */
export async function getOidcSettings(
  ctx: ServiceContext,
  municipalityId: string,
  env: Pick<OidcEnvironment, 'publicUrl'>,
): Promise<OidcSettingsView> {
  authorize(ctx, 'municipality.settings', municipalityId);
  return view(await repo.findSettings(ctx.db, municipalityId), env.publicUrl);
}

/**
 * Saves a municipality's OIDC settings. When they are enabled, the issuer's discovery document
 * is fetched first, so settings that cannot work are refused. A secret left out keeps the one
 * stored. Audited without the secret. Outcomes: the settings; `invalid_input`;
 * `secrets_key_missing`; `oidc_discovery_failed`; `not_signed_in`, `permission_denied`,
 * `not_found`.
 */
export async function saveOidcSettings(
  ctx: ServiceContext,
  municipalityId: string,
  input: OidcSettingsInput,
  env: OidcEnvironment,
): Promise<OidcSettingsView> {
  authorize(ctx, 'municipality.settings', municipalityId);
  const errors = [];
  const issuer = checkIssuer(input.issuer);
  if ('error' in issuer) errors.push(issuer.error);
  const clientId = input.clientId.trim();
  if (!clientId)
    errors.push({ field: '/body/clientId', code: 'required', message: 'Give the client id.' });
  const secret = input.clientSecret?.trim();
  if (secret === '') {
    errors.push({ field: '/body/clientSecret', code: 'required', message: 'The secret is empty.' });
  }
  const domains = normalizeDomains(input.allowedEmailDomains ?? []);
  errors.push(...domains.errors);
  if (errors.length > 0 || 'error' in issuer) throw invalidInput(errors);

  const key = env.secretsKey();
  const before = await repo.findSettings(ctx.db, municipalityId);
  const next: StoredOidcSettings = {
    municipalityId,
    enabled: input.enabled,
    issuer: issuer.issuer,
    clientId,
    clientSecretSealed:
      secret !== undefined
        ? sealSecret(key, secret, sealContext(municipalityId))
        : (before?.clientSecretSealed ?? null),
    allowedEmailDomains: domains.domains,
    updatedAt: ctx.clock.now().toISOString(),
  };
  if (next.enabled) {
    await discover(next.issuer, clientId).catch((error: unknown) => {
      const message = `The provider's settings could not be read from ${next.issuer}/.well-known/openid-configuration (${describeFailure(error)}).`;
      throw new DomainError('oidc_discovery_failed', 'invalid', message, {
        fieldErrors: [{ field: '/body/issuer', code: 'oidc_discovery_failed', message }],
      });
    });
  }
  await inTransaction(ctx.db, async (db) => {
    await repo.saveSettings(db, next, {
      updatedBy: 'userId' in ctx.actor ? ctx.actor.userId : null,
      now: next.updatedAt,
    });
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId,
        action: 'municipality.oidc_settings_updated',
        subjectType: 'municipality',
        subjectId: municipalityId,
        before: before ? auditView(before) : null,
        after: { ...auditView(next), clientSecretReplaced: secret !== undefined },
      },
    );
  });
  return view(next, env.publicUrl);
}

/**
 * The slugs of the municipalities whose staff can sign in with their own provider, for the
 * sign-in page (anyone may ask: it says only that single sign-on is on). Outcomes: the slugs.
 */
export async function listOidcMunicipalities(ctx: ServiceContext): Promise<string[]> {
  const enabled = new Set(await repo.listEnabledMunicipalityIds(ctx.db));
  return (await listMunicipalities(ctx)).filter((m) => enabled.has(m.id)).map((m) => m.slug);
}

/**
 * Begins a staff member's sign-in with their municipality's provider: keeps a single-use state
 * (with nonce and PKCE verifier) for OIDC_STATE_MINUTES and returns where to send the browser
 * and the state the browser must bring back. Outcomes: `{ url, state }`; `oidc_not_configured`
 * (unknown municipality, or single sign-on off); `oidc_failed` (the provider cannot be reached).
 */
export async function startOidcSignIn(
  ctx: ServiceContext,
  slug: string,
  env: OidcEnvironment,
): Promise<{ url: string; state: string }> {
  const municipality = await getMunicipality(ctx, slug).catch((error: unknown) => {
    if (error instanceof DomainError && error.kind === 'not_found') throw notConfigured();
    throw error;
  });
  const settings = await repo.findSettings(ctx.db, municipality.id);
  if (!settings?.enabled) throw notConfigured();
  const config = await configurationFor(settings, env);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  const now = ctx.clock.now();
  await repo.deleteExpiredSignInStates(ctx.db, municipality.id, now.toISOString());
  await repo.insertSignInState(ctx.db, {
    stateHash: hashToken(state),
    municipalityId: municipality.id,
    nonce,
    codeVerifier,
    now: now.toISOString(),
    expiresAt: new Date(now.getTime() + OIDC_STATE_MINUTES * 60_000).toISOString(),
  });
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUriFor(env.publicUrl),
    scope: SCOPE,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { url: url.href, state };
}

/**
 * Completes a sign-in when the provider sends the browser back: the state must be the one this
 * browser started with (its cookie) and unused; the code is exchanged and the ID token checked
 * (issuer, audience, nonce, signature, by openid-client); the verified address must belong to
 * an active or invited staff member of the municipality the sign-in began for, within its
 * domain allow-list. Outcomes: the session, the user; `oidc_state_invalid`,
 * `oidc_not_configured`, `oidc_failed`, `oidc_user_unknown` (each with `details.reason` for the
 * log, which names no person, and `details.counted` for a forged or replayed state).
 */
export async function completeOidcSignIn(
  ctx: ServiceContext,
  callback: { search: string; cookieState: string | undefined },
  env: OidcEnvironment,
): Promise<IssuedSession & { user: User }> {
  const params = new URLSearchParams(callback.search);
  const state = params.get('state');
  if (!state || !callback.cookieState || !sameText(state, callback.cookieState)) {
    throw failure('oidc_state_invalid', 'the state is missing or not the one this browser began');
  }
  const started = await repo.takeSignInState(ctx.db, hashToken(state));
  if (!started) {
    // Cookie and link agree on a state we do not hold: forged or replayed, worth counting.
    throw failure('oidc_state_invalid', 'the state is unknown or was used already', true);
  }
  if (Date.parse(started.expiresAt) <= ctx.clock.now().getTime()) {
    throw failure('oidc_state_invalid', 'the sign-in took too long');
  }
  const providerError = params.get('error');
  if (providerError !== null) {
    throw failure(
      'oidc_failed',
      `the provider answered ${providerError.replace(/[^\w.-]/g, '').slice(0, 60)}`,
    );
  }
  const settings = await repo.findSettings(ctx.db, started.municipalityId);
  if (!settings?.enabled) throw notConfigured();
  const config = await configurationFor(settings, env);

  const tokens = await client
    .authorizationCodeGrant(config, new URL(`${redirectUriFor(env.publicUrl)}?${params}`), {
      pkceCodeVerifier: started.codeVerifier,
      expectedState: state,
      expectedNonce: started.nonce,
      idTokenExpected: true,
    })
    .catch((error: unknown) => {
      throw failure('oidc_failed', `the code exchange failed: ${describeFailure(error)}`);
    });
  const idToken = tokens.claims();
  if (!idToken) throw failure('oidc_failed', 'the provider sent no ID token');
  // Many providers put the address in the UserInfo answer rather than in the ID token.
  const claims =
    typeof idToken.email === 'string'
      ? idToken
      : await client
          .fetchUserInfo(config, tokens.access_token, idToken.sub)
          .catch((error: unknown) => {
            throw failure('oidc_failed', `UserInfo failed: ${describeFailure(error)}`);
          });
  const email = claims.email;
  if (typeof email !== 'string') throw failure('oidc_failed', 'the provider sent no address');
  const verified = claims.email_verified;
  if (verified !== undefined && verified !== true && verified !== 'true') {
    throw failure('oidc_failed', 'the provider says the address is not verified');
  }
  if (!emailDomainAllowed(email, settings.allowedEmailDomains)) {
    throw failure('oidc_user_unknown', 'the address is outside the allowed domains');
  }
  return signInStaffVouchedFor(ctx, started.municipalityId, email).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === 'user_not_found') {
      throw failure('oidc_user_unknown', 'no active or invited staff member has the address');
    }
    throw error;
  });
}

/** The provider's metadata and this municipality's client, checked against its issuer. */
async function configurationFor(
  settings: StoredOidcSettings,
  env: OidcEnvironment,
): Promise<client.Configuration> {
  let secret: string | null = null;
  if (settings.clientSecretSealed !== null) {
    const opened = openSecret(
      env.secretsKey(),
      settings.clientSecretSealed,
      sealContext(settings.municipalityId),
    );
    if (opened === undefined) {
      throw failure(
        'oidc_failed',
        'the client secret does not open with this SECRETS_KEY; save the settings again',
      );
    }
    secret = opened;
  }
  const discovered = await discover(settings.issuer, settings.clientId).catch((error: unknown) => {
    throw failure('oidc_failed', `discovery failed: ${describeFailure(error)}`);
  });
  const metadata = discovered.serverMetadata();
  const methods = metadata.token_endpoint_auth_methods_supported;
  // client_secret_basic is the default of the standard; some providers only take the secret posted.
  const auth =
    secret === null
      ? client.None()
      : !methods || methods.includes('client_secret_basic')
        ? client.ClientSecretBasic(secret)
        : client.ClientSecretPost(secret);
  const config = new client.Configuration(metadata, settings.clientId, undefined, auth);
  configure(config, settings.issuer);
  return config;
}

function discover(issuer: string, clientId: string): Promise<client.Configuration> {
  // openid-client recognises allowInsecureRequests itself here (it then lets discovery use http).
  return client.discovery(new URL(issuer), clientId, undefined, client.None(), {
    execute: [
      ...(isInsecure(issuer) ? [client.allowInsecureRequests] : []),
      client.enableNonRepudiationChecks,
    ],
    timeout: PROVIDER_TIMEOUT_SECONDS,
  });
}

function configure(config: client.Configuration, issuer: string) {
  config.timeout = PROVIDER_TIMEOUT_SECONDS;
  // ID tokens' signatures are checked too, not only trusted for coming over TLS.
  client.enableNonRepudiationChecks(config);
  if (isInsecure(issuer)) client.allowInsecureRequests(config);
}

/** Plain http, which checkIssuer allows for a provider on this machine only. */
const isInsecure = (issuer: string) => new URL(issuer).protocol === 'http:';

/** A short cause for the log and for the admin: openid-client's code, never a token or secret. */
function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const cause = (error as { cause?: unknown }).cause;
    const network =
      cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? cause.code : '';
    const own = typeof code === 'string' ? code : error.name;
    return network && network !== own ? `${own} ${network}` : own;
  }
  return 'unknown error';
}

/** A refused sign-in; `counted` when it should count towards the caller's increasing delay. */
function failure(code: OidcSignInError, reason: string, counted = false): DomainError {
  const messages: Record<OidcSignInError, string> = {
    oidc_not_configured: 'This municipality has no single sign-on.',
    oidc_state_invalid: 'This sign-in was not started here, was used already or took too long.',
    oidc_failed: 'Signing in with the municipality’s account did not work.',
    oidc_user_unknown: 'This account is not a staff member of this municipality.',
  };
  const kinds = {
    oidc_not_configured: 'not_found',
    oidc_state_invalid: 'unauthenticated',
    oidc_failed: 'unauthenticated',
    oidc_user_unknown: 'forbidden',
  } as const;
  return new DomainError(code, kinds[code], messages[code], { details: { reason, counted } });
}

function notConfigured() {
  return failure('oidc_not_configured', 'single sign-on is off or the municipality is unknown');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function view(settings: StoredOidcSettings | undefined, publicUrl: string): OidcSettingsView {
  return {
    enabled: settings?.enabled ?? false,
    issuer: settings?.issuer ?? null,
    clientId: settings?.clientId ?? null,
    hasClientSecret: Boolean(settings?.clientSecretSealed),
    allowedEmailDomains: settings?.allowedEmailDomains ?? [],
    redirectUri: redirectUriFor(publicUrl),
    updatedAt: settings?.updatedAt ?? null,
  };
}

/** What the audit log keeps: everything but the secret, which shows only as redacted. */
function auditView(settings: StoredOidcSettings) {
  return {
    enabled: settings.enabled,
    issuer: settings.issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecretSealed ? '[redacted]' : null,
    allowedEmailDomains: settings.allowedEmailDomains,
  };
}
