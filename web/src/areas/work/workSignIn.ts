import { ApiError, postJson } from '../../api/client';
import type { MyUser, User } from '../../api/types';
import type { Locale } from '../../i18n/locales';

/** The API errors of an emailed work link that the page explains. */
export const WORK_LINK_ERRORS = [
  'sign_in_link_used',
  'sign_in_link_expired',
  'sign_in_link_invalid',
  'user_disabled',
  'network',
  'server',
] as const;
export type WorkLinkError = (typeof WORK_LINK_ERRORS)[number];

export function workLinkErrorOf(error: unknown): WorkLinkError {
  if (!(error instanceof ApiError) || error.kind === 'network') return 'network';
  const code = error.code as WorkLinkError | null;
  return code && WORK_LINK_ERRORS.includes(code) ? code : 'server';
}

/** Where a user works: staff and operator admins in the staff area, partner users in theirs. */
export function homeOf(user: Pick<User, 'kind'>): '/staff' | '/partner' {
  return user.kind === 'partner' ? '/partner' : '/staff';
}

// One request per token, even when React runs the page's effect twice.
const signIns = new Map<string, Promise<MyUser>>();

/** Completes a sign-in, or accepts an invitation, with the emailed token (sets the cookie). */
export function signInUserOnce(token: string): Promise<MyUser> {
  let pending = signIns.get(token);
  if (!pending) {
    pending = postJson<MyUser>('/api/auth/user/sign-in', { token });
    signIns.set(token, pending);
  }
  return pending;
}

/** Asks for an emailed sign-in link (the API answers the same for unknown addresses). */
export function requestUserLink(email: string, locale: Locale): Promise<unknown> {
  return postJson('/api/auth/user/email-link', { email: email.trim(), locale });
}
