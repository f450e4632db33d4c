import { Type } from 'typebox';

/** TypeBox schemas for single sign-on (OIDC): a municipality's settings and the sign-in redirects. */

export const OidcSettingsSchema = Type.Object(
  {
    enabled: Type.Boolean(),
    issuer: Type.Union([Type.String(), Type.Null()], {
      description: "The provider's issuer URL (https; http only for localhost).",
    }),
    clientId: Type.Union([Type.String(), Type.Null()]),
    hasClientSecret: Type.Boolean({
      description: 'Whether a client secret is kept; the secret itself is never returned.',
    }),
    allowedEmailDomains: Type.Array(Type.String(), {
      description: 'Staff addresses must be at one of these domains; empty allows any.',
    }),
    redirectUri: Type.String({ description: 'Register this redirect URI with the provider.' }),
    updatedAt: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

export const OidcSettingsInputSchema = Type.Object(
  {
    enabled: Type.Boolean(),
    issuer: Type.String({ minLength: 1, maxLength: 500, examples: ['https://login.pelt.be'] }),
    clientId: Type.String({ minLength: 1, maxLength: 255 }),
    clientSecret: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1000,
        description: 'A new client secret; leave it out to keep the one stored.',
      }),
    ),
    allowedEmailDomains: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 253 }), { maxItems: 50 }),
    ),
  },
  { additionalProperties: false },
);

const param = (description: string) => Type.Optional(Type.String({ maxLength: 4096, description }));

/**
 * What a provider sends back. Besides the standard parameters, those that common providers add
 * (Keycloak and Entra ID `session_state`, Google `authuser`, `hd`, `prompt`, `scope`) are
 * accepted, since the query is otherwise strict like every route's.
 */
export const OidcCallbackQuerySchema = Type.Object(
  {
    code: param('The authorization code.'),
    state: param('The state this sign-in began with.'),
    iss: param('The issuer (RFC 9207).'),
    error: param('Why the provider did not sign the person in.'),
    error_description: param('The provider’s explanation.'),
    error_uri: param('Where the provider explains the error.'),
    session_state: param('Sent by some providers; ignored.'),
    scope: param('Sent by some providers; ignored.'),
    authuser: param('Sent by some providers; ignored.'),
    hd: param('Sent by some providers; ignored.'),
    prompt: param('Sent by some providers; ignored.'),
  },
  { additionalProperties: false },
);

export const RedirectSchema = Type.Null({
  description:
    'A redirect (Location): to the provider, to /staff when signed in, or to /work/sign-in?error=<code>.',
});

export const OidcMunicipalitiesSchema = Type.Object(
  {
    items: Type.Array(Type.Object({ slug: Type.String() }, { additionalProperties: false }), {
      description: 'The municipalities whose staff can sign in with their own account.',
    }),
  },
  { additionalProperties: false },
);
