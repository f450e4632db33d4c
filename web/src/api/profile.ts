import type { Locale } from '../i18n/locales';
import { getJson, patchJson, postJson } from './client';
import type { Me, Wallet } from './types';
import { useApiResource } from './useApiResource';

// The resident's profile (language, household, member card, their data) and the staff desk.

/** A household as its members see it (GET /api/me/household). */
export interface Household {
  id: string;
  address: string;
  inviteCode: string;
  members: number;
  createdAt: string;
}

/** A resident as staff of their municipality see them. */
export interface ResidentSummary {
  id: string;
  email: string | null;
  displayName: string | null;
  preferredLocale: Locale;
  memberCode: string;
  createdAt: string;
}

export const MEMBER_CODE_SVG = '/api/me/member-code.svg';
export const MEMBER_CARD_PDF = '/api/me/member-card.pdf';
export const MY_DATA_EXPORT = '/api/me/export';

/** The signed-in resident's household, or null; personal, so never cached. */
export function useMyHousehold() {
  return useApiResource<{ household: Household | null }>('/api/me/household', { cache: false });
}

export function changeLanguage(preferredLocale: Locale): Promise<Me> {
  return patchJson<Me>('/api/me', { preferredLocale });
}

export function createHousehold(address: string): Promise<Household> {
  return postJson<Household>('/api/me/household', { address });
}

export function joinHousehold(inviteCode: string): Promise<Household> {
  return postJson<Household>('/api/me/household/join', { inviteCode });
}

export function leaveHousehold(): Promise<void> {
  return postJson<void>('/api/me/household/leave');
}

/** Deletes the signed-in resident's account (the deliberate confirmation included). */
export function deleteMyAccount(): Promise<{ pointsForfeited: number }> {
  return postJson('/api/me/delete', { confirm: 'DELETE' });
}

const residentsOf = (slug: string) => `/api/municipalities/${encodeURIComponent(slug)}/residents`;

/** Staff: the printable member card of a resident of their municipality. */
export function memberCardUrl(slug: string, residentId: string): string {
  return `${residentsOf(slug)}/${encodeURIComponent(residentId)}/member-card.pdf`;
}

export function registerAtDesk(
  slug: string,
  input: {
    displayName: string;
    email?: string;
    locale: Locale;
    address?: string;
    inviteCode?: string;
  },
): Promise<{ resident: ResidentSummary; memberCode: string; household: Household | null }> {
  return postJson(residentsOf(slug), input);
}

export function findByMemberCode(slug: string, memberCode: string) {
  return getJson<{ items: ResidentSummary[] }>(
    `${residentsOf(slug)}?memberCode=${encodeURIComponent(memberCode)}`,
  );
}

export function residentWallet(slug: string, residentId: string) {
  return getJson<{ resident: ResidentSummary; wallet: Wallet }>(
    `${residentsOf(slug)}/${encodeURIComponent(residentId)}/wallet`,
  );
}

/** Who is signed in as staff (GET /api/users/me); a 401 means nobody. */
export function staffMe() {
  return getJson<{
    user: { displayName: string };
    municipalitySlug: string | null;
    csrfToken: string;
  }>('/api/users/me');
}
