import type { Locale } from '../../shared/locales.js';
import type { PartnerRole, StaffRole } from '../../shared/roles.js';

export interface Resident {
  id: string;
  municipalityId: string;
  /** Null for a resident registered at the desk without an address. */
  email: string | null;
  /** Optional; printed on the member card. Never shown publicly. */
  displayName: string | null;
  preferredLocale: Locale;
  memberCode: string;
  createdAt: string;
}

export interface Session {
  id: string;
  subjectKind: 'resident' | 'staff';
  subjectId: string;
  /** Null for an operator admin (the whole region). */
  municipalityId: string | null;
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

/** One movement of a resident's points, as the resident reads it. */
export interface WalletMovement {
  id: string;
  at: string;
  /** Positive when points came in, negative when they went out. */
  points: number;
  /** What it was for, e.g. `claim`, `voucher`, `expiry`, `welcome`. */
  code: string;
  reference: string | null;
  /** `held` for points set aside for a voucher not yet used; `done` otherwise. */
  status: 'held' | 'done' | 'released';
}

export interface WalletHistoryPage {
  items: WalletMovement[];
  next: string | null;
}

export interface Household {
  id: string;
  municipalityId: string;
  address: string;
  /** Share it with the people you live with so they can join. */
  inviteCode: string;
  members: number;
  createdAt: string;
  /** True once a member proved the address with the code of a municipal register letter. */
  verified: boolean;
  verifiedAt: string | null;
}

/** Where a household of the municipal register stands. */
export type RegisterEntryStatus = 'no_letter' | 'letter_printed' | 'verified' | 'not_in_register';

/** One household of the municipal register, as staff see it. */
export interface RegisterEntry {
  id: string;
  reference: string;
  address: string;
  members: number;
  /** The language of its letters; null for the municipality's default. */
  locale: Locale | null;
  status: RegisterEntryStatus;
  /** When the letter with its current code was printed (null when none is waiting). */
  letterPrintedAt: string | null;
  verifiedAt: string | null;
  importedAt: string;
}

export interface RegisterSummary {
  /** Households in the latest import: the municipality's registered-households figure. */
  households: number;
  verified: number;
  /** Letters printed whose code was not entered yet. */
  lettersWaiting: number;
  /** Verified households the latest import no longer lists (kept, not counted). */
  noLongerInRegister: number;
  lastImportAt: string | null;
}

export interface RegisterImportResult {
  households: number;
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  /** Verified entries missing from the file: kept, marked as no longer in the register. */
  keptVerified: number;
}

/**
 * Someone who works with CivicPoints: municipal staff (roles per municipality), an operator
 * admin (the whole region) or a partner organisation's user.
 */
export type User =
  | (UserBase & { kind: 'staff'; municipalityId: string; partnerId: null; roles: StaffRole[] })
  | (UserBase & { kind: 'operator'; municipalityId: null; partnerId: null; roles: ['operator'] })
  | (UserBase & {
      kind: 'partner';
      municipalityId: string;
      partnerId: string;
      roles: PartnerRole[];
    });

export interface UserBase {
  id: string;
  email: string;
  displayName: string;
  preferredLocale: Locale;
  /** `invited` until the invitation link is used. */
  status: 'invited' | 'active' | 'disabled';
  invitedBy: string | null;
  createdAt: string;
  lastSignInAt: string | null;
}

/** A resident's passkey as they see it: never the key itself. */
export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}
