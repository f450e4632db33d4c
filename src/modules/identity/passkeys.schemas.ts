import { type TProperties, Type } from 'typebox';
import { MAX_PASSKEY_NAME_LENGTH } from './passkeys.rules.js';

/**
 * TypeBox schemas for the passkey routes. The credential a browser returns is WebAuthn's own
 * JSON (as `@simplewebauthn/browser` sends it): its known fields are checked, and fields a newer
 * browser adds pass through to the verifier rather than failing the request.
 */

const Base64Url = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+$' });

/** Credential ids are at most 1023 bytes (WebAuthn), about 1364 base64url characters. */
const CredentialId = Base64Url(1400);
const Open = { additionalProperties: true } as const;

const Attachment = Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')]);

const Transports = Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 });

/** A credential's JSON as the browser sends it, with `response` holding these fields. */
const credentialJson = <R extends TProperties>(response: R, description: string) =>
  Type.Object(
    {
      id: CredentialId,
      rawId: CredentialId,
      type: Type.Literal('public-key'),
      response: Type.Object(response, Open),
      authenticatorAttachment: Type.Optional(Attachment),
      clientExtensionResults: Type.Object({}, Open),
    },
    { ...Open, description },
  );

export const RegistrationResponseSchema = credentialJson(
  {
    clientDataJSON: Base64Url(8192),
    attestationObject: Base64Url(65536),
    authenticatorData: Type.Optional(Base64Url(65536)),
    transports: Type.Optional(Transports),
    publicKeyAlgorithm: Type.Optional(Type.Integer()),
    publicKey: Type.Optional(Base64Url(8192)),
  },
  'The credential navigator.credentials.create() made, as JSON.',
);

export const AuthenticationResponseSchema = credentialJson(
  {
    clientDataJSON: Base64Url(8192),
    authenticatorData: Base64Url(65536),
    signature: Base64Url(8192),
    userHandle: Type.Optional(Type.String({ maxLength: 1400, pattern: '^[A-Za-z0-9_-]*$' })),
  },
  'The assertion navigator.credentials.get() made, as JSON.',
);

const PasskeyName = Type.String({
  minLength: 1,
  maxLength: MAX_PASSKEY_NAME_LENGTH,
  description: 'A name to tell passkeys apart, such as "My phone".',
});

export const AddPasskeySchema = Type.Object(
  { name: PasskeyName, response: RegistrationResponseSchema },
  { additionalProperties: false },
);

export const RenamePasskeySchema = Type.Object(
  { name: PasskeyName },
  { additionalProperties: false },
);

export const PasskeySignInSchema = Type.Object(
  { response: AuthenticationResponseSchema },
  { additionalProperties: false },
);

export const PasskeyIdParamsSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

export const PasskeySchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    createdAt: Type.String(),
    lastUsedAt: Type.Union([Type.String(), Type.Null()], {
      description: 'When it was last used to sign in; null when never.',
    }),
  },
  { additionalProperties: false },
);

export const PasskeyListSchema = Type.Object(
  { items: Type.Array(PasskeySchema) },
  { additionalProperties: false },
);

const CredentialDescriptor = Type.Object(
  { id: Type.String(), type: Type.String(), transports: Type.Optional(Transports) },
  Open,
);

/** What navigator.credentials.create() needs (WebAuthn's PublicKeyCredentialCreationOptionsJSON). */
export const CreationOptionsSchema = Type.Object(
  {
    challenge: Type.String(),
    rp: Type.Object({ id: Type.Optional(Type.String()), name: Type.String() }, Open),
    user: Type.Object({ id: Type.String(), name: Type.String(), displayName: Type.String() }, Open),
    pubKeyCredParams: Type.Array(Type.Object({ alg: Type.Integer(), type: Type.String() }, Open)),
    timeout: Type.Optional(Type.Integer()),
    excludeCredentials: Type.Optional(Type.Array(CredentialDescriptor)),
    authenticatorSelection: Type.Optional(Type.Object({}, Open)),
    attestation: Type.Optional(Type.String()),
    extensions: Type.Optional(Type.Object({}, Open)),
    hints: Type.Optional(Type.Array(Type.String())),
  },
  { ...Open, description: 'Give it to navigator.credentials.create() (startRegistration).' },
);

/** What navigator.credentials.get() needs (WebAuthn's PublicKeyCredentialRequestOptionsJSON). */
export const RequestOptionsSchema = Type.Object(
  {
    challenge: Type.String(),
    rpId: Type.Optional(Type.String()),
    timeout: Type.Optional(Type.Integer()),
    allowCredentials: Type.Optional(Type.Array(CredentialDescriptor)),
    userVerification: Type.Optional(Type.String()),
    extensions: Type.Optional(Type.Object({}, Open)),
    hints: Type.Optional(Type.Array(Type.String())),
  },
  { ...Open, description: 'Give it to navigator.credentials.get() (startAuthentication).' },
);
