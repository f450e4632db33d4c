import {
  browserSupportsWebAuthn,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
  WebAuthnError,
} from '@simplewebauthn/browser';
import { ApiError, postJson } from '../../api/client';
import type { Me, Passkey } from '../../api/types';

/** Why a passkey could not be added or used: each has a message in `passkeys.errors`. */
export type PasskeyError =
  | 'cancelled'
  | 'unsupported'
  | 'already_registered'
  | 'passkey_unknown'
  | 'passkey_verification_failed'
  | 'challenge_expired'
  | 'too_many_passkeys'
  | 'rate_limited'
  | 'network'
  | 'server';

/** True when this browser can make and use passkeys at all. */
export function canUsePasskeys(): boolean {
  return browserSupportsWebAuthn();
}

/** The message key for a failure of the browser's passkey prompt or of the API. */
export function passkeyErrorOf(error: unknown): PasskeyError {
  if (error instanceof WebAuthnError) {
    if (error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return 'already_registered';
    if (error.code === 'ERROR_INVALID_DOMAIN' || error.code === 'ERROR_INVALID_RP_ID') {
      return 'unsupported';
    }
    return error.name === 'NotSupportedError' ? 'unsupported' : 'cancelled';
  }
  if (error instanceof ApiError) {
    if (error.kind === 'network') return 'network';
    switch (error.code) {
      case 'passkey_already_registered':
        return 'already_registered';
      case 'passkey_unknown':
      case 'passkey_verification_failed':
      case 'too_many_passkeys':
        return error.code;
      case 'challenge_expired':
      case 'challenge_used':
      case 'challenge_missing':
        return 'challenge_expired';
      case 'rate_limited':
        return 'rate_limited';
      case 'passkeys_unavailable':
        return 'unsupported';
      default:
        return 'server';
    }
  }
  // The browser refused outright (no WebAuthn, a blocked prompt, …).
  if (error instanceof Error && error.name === 'NotAllowedError') return 'cancelled';
  return 'unsupported';
}

/** Makes a passkey on this device (the browser asks for the lock) and stores it as `name`. */
export async function createPasskey(name: string): Promise<Passkey> {
  const optionsJSON = await postJson<PublicKeyCredentialCreationOptionsJSON>(
    '/api/me/passkeys/registration-options',
  );
  const response = await startRegistration({ optionsJSON });
  return postJson<Passkey>('/api/me/passkeys', { name, response });
}

/** Signs in with a passkey the browser offers (no email address needed). */
export async function signInWithPasskey(): Promise<{ resident: Me }> {
  const optionsJSON = await postJson<PublicKeyCredentialRequestOptionsJSON>(
    '/api/auth/passkey/options',
  );
  const response = await startAuthentication({ optionsJSON });
  return postJson<{ resident: Me }>('/api/auth/passkey/sign-in', { response });
}
