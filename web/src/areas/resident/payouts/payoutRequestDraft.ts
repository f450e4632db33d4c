// One clientRequestId per payout request, kept for this tab until the payout is stored (like
// purchaseDraft.ts): pressing "Pay me out" again after a dropped connection or a reload sends
// the same id, and the API answers with the first payout instead of paying twice. The points
// typed are kept with it, so a retry asks for the same amount.

const KEY = 'civicpoints.payoutRequest';

export interface PayoutRequestDraft {
  clientRequestId: string;
  points: string;
}

const newId = (): string =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
        b.toString(16).padStart(2, '0'),
      ).join('');

/** The kept request, or a new one (kept from now on). */
export function readPayoutDraft(): PayoutRequestDraft {
  try {
    const kept = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as PayoutRequestDraft | null;
    if (kept && typeof kept.clientRequestId === 'string' && typeof kept.points === 'string') {
      return kept;
    }
  } catch {
    // Nothing usable kept: start a new request.
  }
  const fresh = { clientRequestId: newId(), points: '' };
  writePayoutDraft(fresh);
  return fresh;
}

export function writePayoutDraft(draft: PayoutRequestDraft): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(draft));
  } catch {
    // Storage can be unavailable (private mode); the page still keeps the id while it is open.
  }
}

/** Forgets the request once its payout is stored: the next one gets a new id. */
export function clearPayoutDraft(): PayoutRequestDraft {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing kept, nothing to forget.
  }
  return readPayoutDraft();
}
