import type { FastifyReply } from 'fastify';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../http/auth.js';
import { csrfTokenFor, SESSION_ABSOLUTE_DAYS } from './identity.rules.js';
import type { Resident } from './identity.types.js';

/**
 * The cookies of a resident's session, the same after every way of signing in: the token in
 * `cp_session` (HttpOnly) and its CSRF token in the readable `cp_csrf`, SameSite=Lax, Secure
 * when PUBLIC_URL is https.
 */
export function sessionCookies(publicUrl: string) {
  const options = {
    path: '/',
    sameSite: 'lax' as const,
    secure: publicUrl.startsWith('https:'),
    maxAge: SESSION_ABSOLUTE_DAYS * 86400,
  };
  return {
    set(reply: FastifyReply, token: string) {
      reply.setCookie(SESSION_COOKIE, token, { ...options, httpOnly: true });
      reply.setCookie(CSRF_COOKIE, csrfTokenFor(token), { ...options, httpOnly: false });
    },
    clear(reply: FastifyReply) {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
    },
  };
}

/** The signed-in resident as GET /api/me and the sign-in answers show them. */
export function meOf(resident: Resident, token: string) {
  return { ...resident, csrfToken: csrfTokenFor(token) };
}
