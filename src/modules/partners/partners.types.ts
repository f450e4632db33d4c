import type { ApiKeyScope, PartnerKind } from '../../shared/roles.js';

export interface Partner {
  id: string;
  municipalityId: string;
  name: string;
  kind: PartnerKind;
  status: 'active' | 'inactive';
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
