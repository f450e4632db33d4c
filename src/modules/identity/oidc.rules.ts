import type { FieldError } from '../../shared/errors.js';

/**
 * Pure rules of single sign-on with a municipality's OpenID Connect provider: which issuers are
 * accepted, which addresses a domain allow-list lets through, and the codes a failed sign-in
 * reports to the sign-in page.
 */

/** A sign-in under way (state, nonce, PKCE verifier) must come back within this time. */
export const OIDC_STATE_MINUTES = 10;

/** Where the provider sends the browser back; register PUBLIC_URL + this with the provider. */
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';

/** Where staff land after signing in, and where a failed sign-in is reported. */
export const STAFF_HOME_PATH = '/staff';
export const STAFF_SIGN_IN_PATH = '/work/sign-in';

/** The codes a failed sign-in redirects with (`/work/sign-in?error=<code>`). */
export const OIDC_SIGN_IN_ERRORS = [
  'oidc_not_configured',
  'oidc_state_invalid',
  'oidc_failed',
  'oidc_user_unknown',
] as const;
export type OidcSignInError = (typeof OIDC_SIGN_IN_ERRORS)[number];

export function isOidcSignInError(code: string): code is OidcSignInError {
  return (OIDC_SIGN_IN_ERRORS as readonly string[]).includes(code);
}

export function redirectUriFor(publicUrl: string): string {
  return `${publicUrl}${OIDC_CALLBACK_PATH}`;
}

/** Hosts that may be reached over plain http: a provider on this machine (tests, local runs). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks an issuer URL: https, or http on this machine only; no credentials, query or fragment
 * (an OpenID issuer identifier has none). Returns the issuer and whether its requests are
 * plain http, or the field error.
 */
export function checkIssuer(
  raw: string,
): { issuer: string; insecure: boolean } | { error: FieldError } {
  const error = (message: string) => ({
    error: { field: '/body/issuer', code: 'issuer', message },
  });
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return error('This is not a web address (https://…).');
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return error('The issuer must be an https:// address (http:// only for localhost).');
  }
  if (url.username || url.password || url.search || url.hash) {
    return error('The issuer has no user name, password, query or fragment.');
  }
  // Kept as given: the provider's metadata must name exactly this issuer.
  return { issuer: raw.trim(), insecure: url.protocol === 'http:' };
}

const DOMAIN =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** Lower-cases and checks an allow-list of email domains (a leading `@` is dropped). */
export function normalizeDomains(raw: readonly string[]): {
  domains: string[];
  errors: FieldError[];
} {
  const domains: string[] = [];
  const errors: FieldError[] = [];
  raw.forEach((value, index) => {
    const domain = value.trim().toLowerCase().replace(/^@/, '');
    if (!DOMAIN.test(domain)) {
      errors.push({
        field: `/body/allowedEmailDomains/${index}`,
        code: 'domain',
        message: 'This is not a domain such as pelt.be.',
      });
    } else if (!domains.includes(domain)) {
      domains.push(domain);
    }
  });
  return { domains, errors };
}

/** Whether an address may sign in under an allow-list (empty: any domain). */
export function emailDomainAllowed(email: string, domains: readonly string[]): boolean {
  if (domains.length === 0) return true;
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return domains.includes(domain);
}
