import type { Locale } from '../../shared/locales.js';

export interface Resident {
  id: string;
  municipalityId: string;
  email: string;
  preferredLocale: Locale;
  memberCode: string;
  createdAt: string;
}

export interface Session {
  id: string;
  subjectKind: 'resident' | 'staff';
  subjectId: string;
  municipalityId: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
}

/** A new session: the secret goes to the client once (in a cookie), only its hash is kept. */
export interface IssuedSession {
  token: string;
  session: Session;
}

export interface Wallet {
  points: number;
  held: number;
  pointValueCents: number;
  expiring: { expiresAt: string; points: number }[];
}

export interface Household {
  id: string;
  municipalityId: string;
  address: string;
  /** Share it with the people you live with so they can join. */
  inviteCode: string;
  members: number;
  createdAt: string;
}

/** A resident's passkey as they see it: never the key itself. */
export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}
