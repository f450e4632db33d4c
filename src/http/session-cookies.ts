import type { FastifyReply } from 'fastify';
import { csrfTokenFor, SESSION_ABSOLUTE_DAYS } from '../modules/identity/identity.rules.js';
import { CSRF_COOKIE, SESSION_COOKIE } from './auth.js';

/**
 * The session cookie (HttpOnly) and its readable CSRF companion, set the same way by every
 * sign-in route: SameSite=Lax, Secure when PUBLIC_URL is https, for the session's lifetime.
 */
export function setSessionCookies(reply: FastifyReply, token: string) {
  const options = {
    path: '/',
    sameSite: 'lax' as const,
    secure: reply.server.deps.config.publicUrl.startsWith('https:'),
    maxAge: SESSION_ABSOLUTE_DAYS * 86400,
  };
  reply.setCookie(SESSION_COOKIE, token, { ...options, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, csrfTokenFor(token), { ...options, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
