import { csrfTokenFor } from './identity.rules.js';
import type { Resident } from './identity.types.js';

/** The signed-in resident as GET /api/me and the sign-in answers show them. */
export function meOf(resident: Resident, token: string) {
  return { ...resident, csrfToken: csrfTokenFor(token) };
}
