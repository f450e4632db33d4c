import type { ApiKeyScope, PartnerKind } from '../../shared/roles.js';
import type { User } from '../identity/identity.types.js';

export type PartnerStatus = 'active' | 'inactive';

export interface Partner {
  id: string;
  municipalityId: string;
  name: string;
  kind: PartnerKind;
  status: PartnerStatus;
  createdAt: string;
  updatedAt: string;
}

export interface PartnerLocation {
  id: string;
  partnerId: string;
  municipalityId: string;
  name: string;
  address: string;
  latitude: number;
  longitude: number;
  createdAt: string;
}

/** An API key as anyone may see it: never its secret (shown once, at creation) nor its hash. */
export interface ApiKey {
  id: string;
  partnerId: string;
  municipalityId: string;
  name: string;
  scopes: ApiKeyScope[];
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  replacedBy: string | null;
}

/** How many of a partner's keys work, how many were revoked, and when one was last used. */
export interface ApiKeySummary {
  active: number;
  revoked: number;
  lastUsedAt: string | null;
}

/** A partner as its municipality's staff see it. */
export interface PartnerDetail extends Partner {
  locations: PartnerLocation[];
  /** Its users, for those who manage partners; absent for those who only read. */
  users?: User[];
  apiKeys: ApiKeySummary;
}
