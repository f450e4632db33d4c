import { newClientClaimId } from './earnRules';

// What was typed and added in a claim form, kept for this tab until the claim is sent, so that a
// dropped connection or a reload never makes the resident start again — and never claims twice:
// the form's clientClaimId is kept with it, and the API answers a resend with the first claim.

export interface ClaimDraft {
  clientClaimId: string;
  quantity: string;
  note: string;
  siteCode: string;
  photo: { id: string; width: number; height: number } | null;
  location: { latitude: number; longitude: number; accuracy: number | null } | null;
}

const key = (activityId: string) => `civicpoints.claim.${activityId}`;

const text = (value: unknown) => (typeof value === 'string' ? value : '');

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The kept draft of the activity's claim form, or a fresh one with a new clientClaimId. */
export function readClaimDraft(activityId: string): ClaimDraft {
  let value: Partial<Record<keyof ClaimDraft, unknown>> | null = null;
  try {
    value = JSON.parse(sessionStorage.getItem(key(activityId)) ?? 'null');
  } catch {
    value = null;
  }
  const photo = value?.photo as ClaimDraft['photo'] | undefined;
  const location = value?.location as ClaimDraft['location'] | undefined;
  const id = text(value?.clientClaimId);
  return {
    clientClaimId: /^[A-Za-z0-9_-]{8,64}$/.test(id) ? id : newClientClaimId(),
    quantity: text(value?.quantity),
    note: text(value?.note),
    siteCode: text(value?.siteCode),
    photo:
      photo && typeof photo.id === 'string' && isNumber(photo.width) && isNumber(photo.height)
        ? { id: photo.id, width: photo.width, height: photo.height }
        : null,
    location:
      location && isNumber(location.latitude) && isNumber(location.longitude)
        ? {
            latitude: location.latitude,
            longitude: location.longitude,
            accuracy: isNumber(location.accuracy) ? location.accuracy : null,
          }
        : null,
  };
}

export function saveClaimDraft(activityId: string, draft: ClaimDraft): void {
  try {
    sessionStorage.setItem(key(activityId), JSON.stringify(draft));
  } catch {
    // Storage can be unavailable (private mode); the form still keeps its state on this page.
  }
}

/** Forgets the draft once its claim is stored; the next form gets a new clientClaimId. */
export function clearClaimDraft(activityId: string): void {
  try {
    sessionStorage.removeItem(key(activityId));
  } catch {
    // Nothing kept, nothing to forget.
  }
}
