import type { OfflineKit } from './offlineCheck';

// What the till keeps on the device: the offline kit and the redemptions it accepted offline
// (IndexedDB, database `civicpoints-pos`), its device id and the chosen location (localStorage).

/** A redemption accepted offline, kept until it is synced (and for a day after, to show). */
export interface OfflineRedemption {
  clientRedemptionId: string;
  partnerId: string;
  deviceId: string;
  token: string;
  voucherId: string;
  tokenId: string;
  rewardId: string;
  rewardNames: Record<'nl' | 'fr' | 'de' | 'en', string>;
  /** What it counts for against the device's limit: the value, or the discount given. */
  valueCents: number;
  discountCents: number | null;
  locationId: string | null;
  redeemedAt: string;
  state: 'waiting' | 'settled' | 'duplicate' | 'refused';
  /** The server's refusal code and message (in the cashier's language), once synced. */
  refusal: string | null;
  message: string | null;
  syncedAt: string | null;
}

interface StoredKit {
  partnerId: string;
  kit: OfflineKit;
  savedAt: string;
}

const DB_NAME = 'civicpoints-pos';
const KITS = 'kits';
const OFFLINE = 'offline';
/** Synced redemptions stay on the device this long, so the cashier sees how they ended. */
const KEEP_SYNCED_MS = 24 * 60 * 60 * 1000;

let opening: Promise<IDBDatabase> | null = null;

function database(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore(KITS, { keyPath: 'partnerId' });
      const offline = db.createObjectStore(OFFLINE, { keyPath: 'clientRedemptionId' });
      offline.createIndex('partnerId', 'partnerId');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  opening.catch(() => {
    opening = null;
  });
  return opening;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function store(name: string, mode: IDBTransactionMode): Promise<IDBObjectStore> {
  return (await database()).transaction(name, mode).objectStore(name);
}

/** The kit kept for this partner, if any. */
export async function loadKit(partnerId: string): Promise<StoredKit | null> {
  return ((await done((await store(KITS, 'readonly')).get(partnerId))) as StoredKit) ?? null;
}

export async function saveKit(partnerId: string, kit: OfflineKit): Promise<void> {
  const stored: StoredKit = { partnerId, kit, savedAt: new Date().toISOString() };
  await done((await store(KITS, 'readwrite')).put(stored));
}

/** This partner's offline redemptions on this device, oldest first; old synced ones dropped. */
export async function listOffline(partnerId: string): Promise<OfflineRedemption[]> {
  const all = (await done(
    (await store(OFFLINE, 'readonly')).index('partnerId').getAll(partnerId),
  )) as OfflineRedemption[];
  const cutoff = Date.now() - KEEP_SYNCED_MS;
  const stale = all.filter((r) => r.syncedAt !== null && Date.parse(r.syncedAt) < cutoff);
  if (stale.length > 0) {
    const offline = await store(OFFLINE, 'readwrite');
    for (const r of stale) offline.delete(r.clientRedemptionId);
  }
  return all
    .filter((r) => !stale.includes(r))
    .sort((a, b) => a.redeemedAt.localeCompare(b.redeemedAt));
}

export async function putOffline(redemption: OfflineRedemption): Promise<void> {
  await done((await store(OFFLINE, 'readwrite')).put(redemption));
}

export async function deleteOffline(clientRedemptionId: string): Promise<void> {
  await done((await store(OFFLINE, 'readwrite')).delete(clientRedemptionId));
}

/** A random id (hex), for devices and redemptions. */
export function randomId(prefix: string): string {
  if (typeof crypto.randomUUID === 'function') return `${prefix}-${crypto.randomUUID()}`;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const DEVICE_KEY = 'civicpoints.pos.deviceId';
const locationKey = (partnerId: string) => `civicpoints.pos.location.${partnerId}`;

/** This device's id: random, made once and kept on the device (sent with every sync). */
export function deviceId(): string {
  try {
    const kept = localStorage.getItem(DEVICE_KEY);
    if (kept && /^[A-Za-z0-9._:-]{8,64}$/.test(kept)) return kept;
    const made = randomId('till');
    localStorage.setItem(DEVICE_KEY, made);
    return made;
  } catch {
    // Storage switched off: an id for this page only.
    fallbackDevice ??= randomId('till');
    return fallbackDevice;
  }
}
let fallbackDevice: string | null = null;

/** The location this device was set to for the partner, if it chose one. */
export function rememberedLocation(partnerId: string): string | null {
  try {
    return localStorage.getItem(locationKey(partnerId));
  } catch {
    return null;
  }
}

export function rememberLocation(partnerId: string, locationId: string): void {
  try {
    localStorage.setItem(locationKey(partnerId), locationId);
  } catch {
    // Not remembered: asked again next time.
  }
}
