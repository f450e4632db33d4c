import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A software WebAuthn authenticator for tests that speak to the API without a browser: one
 * ES256 (P-256) key per passkey, "none" attestation, answers built the way a browser returns
 * them (the JSON of @simplewebauthn/browser). It signs whatever challenge and origin it is
 * given, so tests can also forge answers a real browser would never send.
 */

export interface SoftPasskey {
  credentialId: string;
  privateKey: KeyObject;
  /** COSE_Key of the public key, as stored in the attested credential data. */
  cosePublicKey: Uint8Array;
  userHandle: string;
  counter: number;
}

const b64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

function clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string) {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

/** A new passkey, not yet registered anywhere. */
export function newSoftPasskey(userHandle: string): SoftPasskey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const cose = new Map<number, number | Uint8Array>([
    [1, 2], // kty: EC2
    [3, -7], // alg: ES256
    [-1, 1], // crv: P-256
    [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
    [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
  ]);
  return {
    credentialId: b64url(randomBytes(16)),
    privateKey,
    cosePublicKey: isoCBOR.encode(cose),
    userHandle,
    counter: 0,
  };
}

/** The answer to registration options (navigator.credentials.create()), for `rpId`/`origin`. */
export function createCredential(
  passkey: SoftPasskey,
  options: { challenge: string; rpId: string; origin: string },
) {
  const credentialId = Buffer.from(passkey.credentialId, 'base64url');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(credentialId.length);
  const authData = Buffer.concat([
    sha256(options.rpId),
    Buffer.from([FLAG_UP | FLAG_UV | FLAG_AT]),
    uint32(passkey.counter),
    Buffer.alloc(16), // AAGUID: none
    length,
    credentialId,
    passkey.cosePublicKey,
  ]);
  const attestationObject = isoCBOR.encode(
    new Map<string, string | Map<string, string> | Uint8Array>([
      ['fmt', 'none'],
      ['attStmt', new Map<string, string>()],
      ['authData', new Uint8Array(authData)],
    ]),
  );
  return {
    id: passkey.credentialId,
    rawId: passkey.credentialId,
    type: 'public-key' as const,
    response: {
      clientDataJSON: b64url(clientData('webauthn.create', options.challenge, options.origin)),
      attestationObject: b64url(attestationObject),
      transports: ['internal'],
    },
    clientExtensionResults: {},
  };
}

/** The answer to sign-in options (navigator.credentials.get()); moves the counter on. */
export function getAssertion(
  passkey: SoftPasskey,
  options: { challenge: string; rpId: string; origin: string; counter?: number },
) {
  passkey.counter = options.counter ?? passkey.counter + 1;
  const authData = Buffer.concat([
    sha256(options.rpId),
    Buffer.from([FLAG_UP | FLAG_UV]),
    uint32(passkey.counter),
  ]);
  const clientDataJSON = clientData('webauthn.get', options.challenge, options.origin);
  const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), {
    key: passkey.privateKey,
    dsaEncoding: 'der',
  });
  return {
    id: passkey.credentialId,
    rawId: passkey.credentialId,
    type: 'public-key' as const,
    response: {
      clientDataJSON: b64url(clientDataJSON),
      authenticatorData: b64url(authData),
      signature: b64url(signature),
      userHandle: passkey.userHandle,
    },
    clientExtensionResults: {},
  };
}
