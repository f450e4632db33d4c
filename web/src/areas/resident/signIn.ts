import { ApiError, postJson } from '../../api/client';
import type { Me } from '../../api/types';
import type { Locale } from '../../i18n/locales';

/** The API errors of an emailed link that the page explains, each with what to do next. */
export const LINK_ERRORS = [
  'sign_in_link_used',
  'sign_in_link_expired',
  'sign_in_link_invalid',
  'municipality_required',
  'network',
  'server',
] as const;
export type LinkError = (typeof LINK_ERRORS)[number];

/** Why a link could not be sent: a message key, or the email field's own error. */
export type SendError =
  | 'too_many_sign_in_links'
  | 'municipality_not_found'
  | 'invalid_email'
  | 'network'
  | 'server';

/** Reads `#token=…` (the emailed link) from a location hash. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token?.trim() ? token.trim() : null;
}

export function linkErrorOf(error: unknown): LinkError {
  if (!(error instanceof ApiError) || error.kind === 'network') return 'network';
  const code = error.code as LinkError | null;
  return code && LINK_ERRORS.includes(code) ? code : 'server';
}

export function sendErrorOf(error: unknown): SendError {
  if (!(error instanceof ApiError) || error.kind === 'network') return 'network';
  switch (error.code) {
    case 'too_many_sign_in_links':
    case 'municipality_not_found':
      return error.code;
    case 'validation_failed':
    case 'invalid_input':
      return 'invalid_email';
    default:
      return 'server';
  }
}

// One request per token, even when React runs the page's effect twice: a second POST of the
// same token would find the link used up.
const signIns = new Map<string, Promise<{ resident: Me; created: boolean }>>();

/** Completes the sign-in with the emailed token; the answer sets the session cookie. */
export function signInOnce(token: string): Promise<{ resident: Me; created: boolean }> {
  let pending = signIns.get(token);
  if (!pending) {
    pending = postJson<{ resident: Me; created: boolean }>('/api/auth/sign-in', { token });
    signIns.set(token, pending);
  }
  return pending;
}

/** Asks for an emailed link; a new resident names the municipality they join. */
export function requestLink(email: string, municipality: string, locale: Locale): Promise<unknown> {
  return postJson('/api/auth/email-link', {
    email: email.trim(),
    ...(municipality && { municipality }),
    locale,
  });
}
