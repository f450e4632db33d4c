import { isClientPurchaseId, newClientPurchaseId } from './spendRules';

// One clientPurchaseId per purchase confirmation, kept for this tab until the purchase is
// stored (like claimDraft.ts keeps a claim's clientClaimId): pressing "Buy" again after a
// dropped connection or a reload sends the same id, and the API answers with the first
// purchase instead of buying twice.

const key = (rewardId: string) => `civicpoints.purchase.${rewardId}`;

/** The confirmation's kept clientPurchaseId, or a new one (kept from now on). */
export function readPurchaseId(rewardId: string): string {
  let id: string | null = null;
  try {
    id = sessionStorage.getItem(key(rewardId));
  } catch {
    id = null;
  }
  if (isClientPurchaseId(id)) return id;
  const fresh = newClientPurchaseId();
  try {
    sessionStorage.setItem(key(rewardId), fresh);
  } catch {
    // Storage can be unavailable (private mode); the page still keeps the id while it is open.
  }
  return fresh;
}

/** Forgets the id once its purchase is stored: the next confirmation is a new purchase. */
export function clearPurchaseId(rewardId: string): void {
  try {
    sessionStorage.removeItem(key(rewardId));
  } catch {
    // Nothing kept, nothing to forget.
  }
}
