import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Db } from '../../storage/database.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { inTransaction } from '../../storage/transaction.js';
import * as identityRepo from './identity.repository.js';
import { issueSession } from './identity.service.js';
import type { IssuedSession, Passkey, Resident } from './identity.types.js';
import * as repo from './passkeys.repository.js';
import {
  type ChallengePurpose,
  type ChallengeTicket,
  challengeHash,
  challengeOf,
  formatTicket,
  isHostName,
  MAX_PASSKEY_NAME_LENGTH,
  MAX_PASSKEYS_PER_RESIDENT,
  newTicket,
  normalizePasskeyName,
  PASSKEY_PROMPT_MS,
  parseTicket,
  type RelyingParty,
  relyingParty,
  userHandleOf,
} from './passkeys.rules.js';

/**
 * Passkeys (WebAuthn) for residents: a signed-in resident registers several, names, renames and
 * removes them; anyone signs in with one (discoverable credentials, no email typed) and gets the
 * same session as after an email link. The relying party is PUBLIC_URL's host name and origin.
 */

/** Options for the browser and the ticket (cookie value) that must come back with the answer. */
export interface Started<Options> {
  options: Options;
  ticket: string;
}

/**
 * Options for registering a new passkey of the signed-in resident (their passkeys excluded, so
 * one authenticator is not added twice). Outcomes: the options and ticket; `not_signed_in`;
 * `passkeys_unavailable` (PUBLIC_URL is an IP address).
 */
export async function startPasskeyRegistration(
  ctx: ServiceContext,
  input: { publicUrl: string },
): Promise<Started<PublicKeyCredentialCreationOptionsJSON>> {
  const resident = await signedInResident(ctx);
  const rp = usableRelyingParty(input.publicUrl);
  const ticket = newTicket('registration', ctx.clock.now());
  const existing = await repo.listPasskeysOf(ctx.db, resident.id);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    // A resident registered at the desk may have no address: the member code names them then.
    userName: resident.email ?? resident.memberCode,
    userDisplayName: resident.displayName ?? resident.email ?? resident.memberCode,
    userID: userHandleOf(resident.id),
    challenge: bytesOf(challengeOf(ticket, resident.id)),
    timeout: PASSKEY_PROMPT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({
      id: p.credentialId,
      transports: p.transports as AuthenticatorTransport[],
    })),
    // Discoverable, so signing in needs no email address typed first.
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  });
  return { options, ticket: formatTicket(ticket) };
}

/**
 * Verifies the browser's new credential against the ticket's challenge and stores the passkey
 * under its name. Outcomes: the passkey; `not_signed_in`; `invalid_input` (name);
 * `challenge_missing`, `challenge_expired`, `challenge_used`; `passkey_verification_failed`;
 * `passkey_already_registered`; `too_many_passkeys`.
 */
export async function addPasskey(
  ctx: ServiceContext,
  input: { publicUrl: string; ticket: unknown; name: unknown; response: RegistrationResponseJSON },
): Promise<Passkey> {
  const resident = await signedInResident(ctx);
  const name = passkeyName(input.name);
  const rp = usableRelyingParty(input.publicUrl);
  const challenge = await liveChallenge(ctx, input.ticket, 'registration', resident.id);

  const verified = await verifiedOr('invalid', () =>
    verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge.value,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    }),
  );
  if (!verified.registrationInfo) throw verificationFailed('invalid');
  const { credential } = verified.registrationInfo;

  return inTransaction(ctx.db, async (db) => {
    if ((await repo.listPasskeysOf(db, resident.id)).length >= MAX_PASSKEYS_PER_RESIDENT) {
      throw new DomainError(
        'too_many_passkeys',
        'conflict',
        `You have ${MAX_PASSKEYS_PER_RESIDENT} passkeys; remove one first.`,
      );
    }
    await useChallenge(ctx, db, challenge, resident);
    const now = ctx.clock.now();
    const stored: repo.StoredPasskey = {
      id: newId('pky', now),
      municipalityId: resident.municipalityId,
      residentId: resident.id,
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? input.response.response.transports ?? [],
      name,
      createdAt: now.toISOString(),
      lastUsedAt: null,
    };
    try {
      await repo.insertPasskey(db, stored);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError(
          'passkey_already_registered',
          'conflict',
          'This passkey is registered already.',
        );
      }
      throw error;
    }
    return repo.toPasskey(stored);
  });
}

/** The signed-in resident's passkeys, oldest first (never the keys). */
export async function listMyPasskeys(ctx: ServiceContext): Promise<Passkey[]> {
  const resident = await signedInResident(ctx);
  return (await repo.listPasskeysOf(ctx.db, resident.id)).map(repo.toPasskey);
}

/**
 * Renames one of the signed-in resident's passkeys. Outcomes: the passkey; `invalid_input`;
 * `passkey_not_found` (unknown, or another resident's).
 */
export async function renamePasskey(
  ctx: ServiceContext,
  id: string,
  input: { name: unknown },
): Promise<Passkey> {
  const resident = await signedInResident(ctx);
  const name = passkeyName(input.name);
  if (!(await repo.renamePasskey(ctx.db, resident.id, id, name))) throw passkeyNotFound();
  return repo.toPasskey((await repo.findPasskeyOf(ctx.db, resident.id, id))!);
}

/**
 * Removes one of the signed-in resident's passkeys (the session stays). Outcomes: done;
 * `passkey_not_found` (unknown, or another resident's).
 */
export async function removePasskey(ctx: ServiceContext, id: string): Promise<void> {
  const resident = await signedInResident(ctx);
  if (!(await repo.deletePasskey(ctx.db, resident.id, id))) throw passkeyNotFound();
}

/**
 * Options for signing in with any passkey of this site (usernameless: the browser offers the
 * passkeys it has). Outcomes: the options and ticket; `passkeys_unavailable`.
 */
export async function startPasskeySignIn(
  ctx: ServiceContext,
  input: { publicUrl: string },
): Promise<Started<PublicKeyCredentialRequestOptionsJSON>> {
  const rp = usableRelyingParty(input.publicUrl);
  const ticket = newTicket('authentication', ctx.clock.now());
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    challenge: bytesOf(challengeOf(ticket, null)),
    timeout: PASSKEY_PROMPT_MS,
    userVerification: 'preferred',
  });
  return { options, ticket: formatTicket(ticket) };
}

/**
 * Signs in with a passkey: verifies the assertion against the ticket's challenge and the stored
 * public key, moves the counter on and starts a session. Outcomes: the session and resident;
 * `challenge_missing`, `challenge_expired`, `challenge_used`; `passkey_unknown` (not registered
 * here, or removed); `passkey_verification_failed`.
 */
export async function signInWithPasskey(
  ctx: ServiceContext,
  input: { publicUrl: string; ticket: unknown; response: AuthenticationResponseJSON },
): Promise<IssuedSession & { resident: Resident }> {
  const rp = usableRelyingParty(input.publicUrl);
  const challenge = await liveChallenge(ctx, input.ticket, 'authentication', null);
  const passkey = await repo.findPasskeyByCredentialId(ctx.db, input.response.id);
  const resident = passkey && (await identityRepo.findResidentById(ctx.db, passkey.residentId));
  if (!passkey || !resident) {
    throw new DomainError(
      'passkey_unknown',
      'unauthenticated',
      'This passkey is not known here (it may have been removed). Sign in with an email link.',
    );
  }
  const userHandle = input.response.response.userHandle;
  if (userHandle && userHandle !== Buffer.from(userHandleOf(resident.id)).toString('base64url')) {
    throw verificationFailed('unauthenticated');
  }

  const verified = await verifiedOr('unauthenticated', () =>
    verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: challenge.value,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
        counter: passkey.counter,
        transports: passkey.transports as AuthenticatorTransport[],
      },
      requireUserVerification: false,
    }),
  );

  return inTransaction(ctx.db, async (db) => {
    await useChallenge(ctx, db, challenge, null);
    const now = ctx.clock.now().toISOString();
    const moved = await repo.markPasskeyUsed(
      db,
      passkey.id,
      passkey.counter,
      verified.authenticationInfo.newCounter,
      now,
    );
    // Another sign-in with this passkey moved the counter meanwhile: one of the two is a copy.
    if (!moved) throw verificationFailed('unauthenticated');
    const issued = await issueSession(
      { ...ctx, db },
      'resident',
      resident.id,
      resident.municipalityId,
    );
    return { ...issued, resident };
  });
}

interface LiveChallenge {
  value: string;
  purpose: ChallengePurpose;
  ticket: ChallengeTicket;
}

/** The challenge of a ticket that is present, of this purpose, unexpired and not yet used. */
async function liveChallenge(
  ctx: ServiceContext,
  rawTicket: unknown,
  purpose: ChallengePurpose,
  residentId: string | null,
): Promise<LiveChallenge> {
  const ticket = parseTicket(rawTicket);
  if (!ticket || ticket.purpose !== purpose) {
    throw new DomainError(
      'challenge_missing',
      'invalid',
      'Start again: ask for new passkey options first (this browser has none open).',
    );
  }
  if (ticket.expiresAt.getTime() <= ctx.clock.now().getTime()) throw challengeExpired();
  const value = challengeOf(ticket, residentId);
  if (await repo.isChallengeUsed(ctx.db, challengeHash(value))) throw challengeUsed();
  return { value, purpose, ticket };
}

/** Records the challenge as used, in the transaction that acts on it; a second use fails. */
async function useChallenge(
  ctx: ServiceContext,
  db: Db,
  challenge: LiveChallenge,
  resident: Resident | null,
): Promise<void> {
  try {
    await repo.insertUsedChallenge(db, {
      challenge_hash: challengeHash(challenge.value),
      purpose: challenge.purpose,
      resident_id: resident?.id ?? null,
      municipality_id: resident?.municipalityId ?? null,
      expires_at: challenge.ticket.expiresAt.toISOString(),
      used_at: ctx.clock.now().toISOString(),
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw challengeUsed();
    throw error;
  }
}

async function signedInResident(ctx: ServiceContext): Promise<Resident> {
  const resident =
    ctx.actor.kind === 'resident'
      ? await identityRepo.findResidentById(ctx.db, ctx.actor.residentId)
      : undefined;
  if (!resident) throw new DomainError('not_signed_in', 'unauthenticated', 'Sign in first.');
  return resident;
}

/** The bytes of a base64url challenge: the options carry exactly these, base64url again. */
function bytesOf(challenge: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(challenge, 'base64url'));
}

function usableRelyingParty(publicUrl: string): RelyingParty {
  const rp = relyingParty(publicUrl);
  if (!isHostName(rp.id)) {
    throw new DomainError(
      'passkeys_unavailable',
      'unavailable',
      'Passkeys need PUBLIC_URL to name a host (such as localhost), not an IP address.',
    );
  }
  return rp;
}

function passkeyName(value: unknown): string {
  const name = normalizePasskeyName(value);
  if (!name) {
    throw invalidInput([
      {
        field: '/body/name',
        code: 'length',
        message: `A passkey's name is 1 to ${MAX_PASSKEY_NAME_LENGTH} characters.`,
      },
    ]);
  }
  return name;
}

/**
 * The verifier's result when it says verified; `passkey_verification_failed` when it says not,
 * and when it throws (it throws on malformed input, which is the caller's fault, never ours).
 */
async function verifiedOr<T extends { verified: boolean }>(
  kind: 'invalid' | 'unauthenticated',
  verify: () => Promise<T>,
): Promise<T> {
  let result: T;
  try {
    result = await verify();
  } catch {
    throw verificationFailed(kind);
  }
  if (!result.verified) throw verificationFailed(kind);
  return result;
}

function verificationFailed(kind: 'invalid' | 'unauthenticated') {
  return new DomainError(
    'passkey_verification_failed',
    kind,
    'The passkey could not be checked. Try again, or use another passkey or an email link.',
  );
}

function challengeExpired() {
  return new DomainError(
    'challenge_expired',
    'invalid',
    'This took too long and the passkey request expired. Try again.',
  );
}

function challengeUsed() {
  return new DomainError(
    'challenge_used',
    'invalid',
    'This passkey request was used already. Try again.',
  );
}

function passkeyNotFound() {
  return new DomainError('passkey_not_found', 'not_found', 'You have no passkey with this id.');
}
