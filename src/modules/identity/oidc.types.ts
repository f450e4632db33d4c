/** Single sign-on (OpenID Connect) for a municipality's staff. */

/** A municipality's OIDC settings as stored; the client secret stays sealed. */
export interface StoredOidcSettings {
  municipalityId: string;
  enabled: boolean;
  issuer: string;
  clientId: string;
  clientSecretSealed: string | null;
  /** Lower-case domains the staff's addresses must be at; empty allows any. */
  allowedEmailDomains: string[];
  updatedAt: string;
}

/** The settings as an admin sees them: whether a secret is kept, never the secret. */
export interface OidcSettingsView {
  enabled: boolean;
  issuer: string | null;
  clientId: string | null;
  hasClientSecret: boolean;
  allowedEmailDomains: string[];
  /** The address to register with the provider as the redirect URI. */
  redirectUri: string;
  updatedAt: string | null;
}

export interface OidcSettingsInput {
  enabled: boolean;
  issuer: string;
  clientId: string;
  /** A new secret; left out, the kept one stays (none for a public client). */
  clientSecret?: string;
  allowedEmailDomains?: string[];
}
