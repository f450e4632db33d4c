import { createHash, randomBytes } from 'node:crypto';

/**
 * Pure rules of passkeys: the relying party, passkey names, and the WebAuthn challenges.
 *
 * Handing out a challenge writes nothing: the challenge is the SHA-256 of a random secret (with
 * its purpose, resident and expiry), and the secret travels back to the browser in an HttpOnly
 * cookie, the "ticket". Only the browser that asked holds the secret, nobody can pick a secret
 * that yields a challenge seen before, and changing the expiry changes the challenge. A used
 * challenge is recorded (webauthn_challenges) so it never works twice. So anonymous callers
 * asking for options cannot fill a table, and bad input never changes state.
 */

/** A challenge must be answered within this long. */
export const PASSKEY_CHALLENGE_MINUTES = 5;
/** How long the browser may take over the passkey prompt (WebAuthn `timeout`). */
export const PASSKEY_PROMPT_MS = 2 * 60 * 1000;
/** A passkey's name, after trimming, is 1 to this many characters. */
export const MAX_PASSKEY_NAME_LENGTH = 50;
/** At most this many passkeys per resident. */
export const MAX_PASSKEYS_PER_RESIDENT = 20;

export type ChallengePurpose = 'registration' | 'authentication';

export interface RelyingParty {
  /** The RP ID: the host name of PUBLIC_URL (never a port, never a path). */
  id: string;
  /** The one origin the browser may answer from: PUBLIC_URL's. */
  origin: string;
  name: string;
}

/** The relying party of a deployment, from its PUBLIC_URL. */
export function relyingParty(publicUrl: string): RelyingParty {
  const url = new URL(publicUrl);
  return { id: url.hostname, origin: url.origin, name: 'CivicPoints' };
}

/** True when the RP ID is a host name a browser accepts for WebAuthn (not an IP address). */
export function isHostName(rpId: string): boolean {
  return !/^\d{1,3}(\.\d{1,3}){3}$/.test(rpId) && !rpId.startsWith('[');
}

/** A typed passkey name in its stored form (trimmed, spaces collapsed), or undefined. */
export function normalizePasskeyName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.trim().replace(/\s+/g, ' ');
  return name.length >= 1 && name.length <= MAX_PASSKEY_NAME_LENGTH ? name : undefined;
}

export interface ChallengeTicket {
  purpose: ChallengePurpose;
  expiresAt: Date;
  secret: string;
}

/** A new ticket for a challenge that expires PASSKEY_CHALLENGE_MINUTES from now. */
export function newTicket(purpose: ChallengePurpose, now: Date): ChallengeTicket {
  return {
    purpose,
    expiresAt: new Date(now.getTime() + PASSKEY_CHALLENGE_MINUTES * 60_000),
    secret: randomBytes(32).toString('base64url'),
  };
}

/** The ticket as the cookie carries it: `purpose.expiresAtMs.secret`. */
export function formatTicket(ticket: ChallengeTicket): string {
  return `${ticket.purpose}.${ticket.expiresAt.getTime()}.${ticket.secret}`;
}

/** Reads a cookie's ticket; undefined for anything that cannot be one we issued. */
export function parseTicket(value: unknown): ChallengeTicket | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(registration|authentication)\.(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return undefined;
  return {
    purpose: match[1] as ChallengePurpose,
    expiresAt: new Date(Number(match[2])),
    secret: match[3]!,
  };
}

/**
 * The challenge (base64url) of a ticket: bound to its purpose, its expiry and, for a
 * registration, the resident.
 */
export function challengeOf(ticket: ChallengeTicket, residentId: string | null): string {
  return createHash('sha256')
    .update(
      `civicpoints-webauthn:${ticket.purpose}:${residentId ?? ''}:${ticket.expiresAt.getTime()}:${ticket.secret}`,
    )
    .digest('base64url');
}

/** What is stored of a used challenge: its SHA-256, hex. */
export function challengeHash(challenge: string): string {
  return createHash('sha256').update(challenge).digest('hex');
}

/** The WebAuthn user handle of a resident: their id's bytes (no personal data). */
export function userHandleOf(residentId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(residentId, 'utf8'));
}
