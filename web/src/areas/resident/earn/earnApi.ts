import { getJson, postFileWithProgress, postJson } from '../../../api/client';
import { useMunicipalities } from '../../../api/endpoints';
import type { Wallet } from '../../../api/types';
import { useApiResource } from '../../../api/useApiResource';
import type {
  Activity,
  Claim,
  ClaimDraftBody,
  RejectReasonTexts,
  UploadedPhoto,
} from './earnTypes';

// The earning API as the resident's pages use it.

/** The slug of the resident's municipality (the API knows them by id), once the list is loaded. */
export function useMunicipalitySlug(municipalityId: string) {
  const list = useMunicipalities();
  if (list.status !== 'ready') return list;
  const slug = list.data.items.find((m) => m.id === municipalityId)?.slug;
  return { status: 'ready' as const, data: slug ?? null, retry: list.retry };
}

/** The municipality's activities (public, kept for the visit). */
export function useActivities(slug: string) {
  return useApiResource<{ items: Activity[] }>(
    `/api/municipalities/${encodeURIComponent(slug)}/activities`,
  );
}

/** The signed-in resident's claims, newest first; personal, never cached. */
export function useMyClaims() {
  return useApiResource<{ items: Claim[] }>('/api/me/claims', { cache: false });
}

/** The texts of the reasons a reviewer gives for not approving. */
export function useRejectReasons() {
  return useApiResource<RejectReasonTexts>('/api/claims/reject-reasons');
}

const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif']);

/** The largest photo the API takes. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/** Uploads a photo for a claim, telling progress (0–1); the API reads its type from the bytes. */
export function uploadClaimPhoto(
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<UploadedPhoto> {
  const type = PHOTO_TYPES.has(file.type) ? file.type : 'application/octet-stream';
  return postFileWithProgress<UploadedPhoto>(
    '/api/me/claim-photos',
    file,
    type,
    onProgress,
    signal,
  );
}

/** The URL of one of the resident's own photos (the copy without metadata). */
export const ownPhotoUrl = (photoId: string) =>
  `/api/me/claim-photos/${encodeURIComponent(photoId)}`;

export function sendClaim(body: ClaimDraftBody): Promise<Claim> {
  return postJson<Claim>('/api/me/claims', body);
}

/**
 * The resident's claim that already carries this photo, or null. A resend whose first answer was
 * lost is refused for its photo (already on a claim): that claim is the one the form made.
 */
export async function findMyClaimWithPhoto(
  activityId: string,
  photoId: string,
): Promise<Claim | null> {
  const { items } = await getJson<{ items: Claim[] }>('/api/me/claims');
  return items.find((c) => c.activityId === activityId && c.photoIds.includes(photoId)) ?? null;
}

export function withdrawClaim(claimId: string): Promise<Claim> {
  return postJson<Claim>(`/api/me/claims/${encodeURIComponent(claimId)}/withdraw`);
}

export function appealClaim(claimId: string, note: string): Promise<Claim> {
  return postJson<Claim>(`/api/me/claims/${encodeURIComponent(claimId)}/appeal`, { note });
}

export function fetchWallet(): Promise<Wallet> {
  return getJson<Wallet>('/api/me/wallet');
}
