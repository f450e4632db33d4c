import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import type { OfflineKit } from './offlineCheck';
import { fetchOfflineKit, type SyncResult, syncRedemptions } from './posApi';
import {
  deleteOffline,
  listOffline,
  loadKit,
  type OfflineRedemption,
  putOffline,
  saveKit,
} from './posStore';

/** The kit is fetched again this often while online (and whenever the connection returns). */
const KIT_REFRESH_MS = 5 * 60 * 1000;
/** While redemptions wait and the till is offline, it tries to reach the server this often. */
const RETRY_MS = 15 * 1000;

export interface SyncSummary {
  at: string;
  results: (SyncResult & { record: OfflineRedemption })[];
}

export interface Till {
  /** False when the browser says it is offline or the last request found no server. */
  online: boolean;
  /** A request failed for want of a connection: the till works offline until one succeeds. */
  markUnreachable(): void;
  markReachable(): void;
  kit: { kit: OfflineKit; savedAt: string } | null;
  /** This partner's offline redemptions on this device (waiting, and synced in the last day). */
  offline: OfflineRedemption[];
  addOffline(record: OfflineRedemption): Promise<void>;
  removeOffline(clientRedemptionId: string): Promise<void>;
  syncing: boolean;
  lastSync: SyncSummary | null;
  dismissSync(): void;
  syncNow(): Promise<void>;
}

const isNetwork = (error: unknown) => !(error instanceof ApiError) || error.kind === 'network';

/**
 * The till's state beyond one voucher: whether it is online, the offline kit (kept in IndexedDB,
 * fetched again every 5 minutes and when the connection returns), the redemptions accepted
 * offline, and their sync (when the connection returns, after each offline acceptance that
 * happens while online again, and every 15 s while some wait).
 */
export function useTill(partnerId: string): Till {
  const [browserOnline, setBrowserOnline] = useState(() => navigator.onLine);
  const [reachable, setReachable] = useState(true);
  const [kit, setKit] = useState<Till['kit']>(null);
  const [offline, setOffline] = useState<OfflineRedemption[]>([]);
  const [syncing, setSyncing] = useState(false);
  const [lastSync, setLastSync] = useState<SyncSummary | null>(null);
  const syncBusy = useRef(false);
  const online = browserOnline && reachable;

  const reload = useCallback(async () => {
    try {
      setOffline(await listOffline(partnerId));
    } catch {
      // IndexedDB unavailable (private mode in an old browser): nothing kept.
    }
  }, [partnerId]);

  const refreshKit = useCallback(async () => {
    if (!navigator.onLine) return;
    try {
      const fresh = await fetchOfflineKit();
      setReachable(true);
      setKit({ kit: fresh, savedAt: new Date().toISOString() });
      await saveKit(partnerId, fresh).catch(() => undefined);
    } catch (error) {
      if (isNetwork(error)) setReachable(false);
    }
  }, [partnerId]);

  const syncNow = useCallback(async () => {
    if (syncBusy.current || !navigator.onLine) return;
    const records = await listOffline(partnerId).catch(() => [] as OfflineRedemption[]);
    const waiting = records.filter((r) => r.state === 'waiting');
    if (waiting.length === 0) return;
    syncBusy.current = true;
    setSyncing(true);
    try {
      // Each device sends its own redemptions under its own id; in the order accepted.
      const byDevice = new Map<string, OfflineRedemption[]>();
      for (const r of waiting) byDevice.set(r.deviceId, [...(byDevice.get(r.deviceId) ?? []), r]);
      const results: SyncSummary['results'] = [];
      for (const [device, list] of byDevice) {
        const answer = await syncRedemptions(
          device,
          list.map((r) => ({
            clientRedemptionId: r.clientRedemptionId,
            token: r.token,
            redeemedAt: r.redeemedAt,
            ...(r.locationId && { locationId: r.locationId }),
            ...(r.discountCents !== null && { discountCents: r.discountCents }),
          })),
        );
        const at = new Date().toISOString();
        for (const result of answer.results) {
          const record = list.find((r) => r.clientRedemptionId === result.clientRedemptionId);
          if (!record) continue;
          const synced: OfflineRedemption = {
            ...record,
            state: result.outcome,
            refusal: result.refusal,
            message: result.message,
            syncedAt: at,
          };
          await putOffline(synced);
          results.push({ ...result, record: synced });
        }
      }
      setReachable(true);
      setLastSync({ at: new Date().toISOString(), results });
      // What was redeemed elsewhere meanwhile is on the new deny list.
      void refreshKit();
    } catch (error) {
      if (isNetwork(error)) setReachable(false);
    } finally {
      syncBusy.current = false;
      setSyncing(false);
      await reload();
    }
  }, [partnerId, reload, refreshKit]);

  // Start: what the device kept, then fresh from the server.
  useEffect(() => {
    let live = true;
    void loadKit(partnerId)
      .then((stored) => {
        if (live && stored) setKit((now) => now ?? { kit: stored.kit, savedAt: stored.savedAt });
      })
      .catch(() => undefined);
    void reload();
    void refreshKit().then(() => syncNow());
    const every = window.setInterval(() => void refreshKit(), KIT_REFRESH_MS);
    return () => {
      live = false;
      window.clearInterval(every);
    };
  }, [partnerId, reload, refreshKit, syncNow]);

  // The browser's own idea of the connection.
  useEffect(() => {
    const up = () => {
      setBrowserOnline(true);
      setReachable(true);
      void refreshKit().then(() => syncNow());
    };
    const down = () => setBrowserOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, [refreshKit, syncNow]);

  // Offline for want of a server (the browser thinks it is online), or redemptions waiting:
  // try again now and then.
  const waiting = offline.some((r) => r.state === 'waiting');
  useEffect(() => {
    if (!browserOnline || (reachable && !waiting)) return;
    const timer = window.setInterval(() => {
      void refreshKit().then(() => syncNow());
    }, RETRY_MS);
    return () => window.clearInterval(timer);
  }, [browserOnline, reachable, waiting, refreshKit, syncNow]);

  const addOffline = useCallback(
    async (record: OfflineRedemption) => {
      await putOffline(record);
      await reload();
    },
    [reload],
  );

  const removeOffline = useCallback(
    async (clientRedemptionId: string) => {
      await deleteOffline(clientRedemptionId);
      await reload();
    },
    [reload],
  );

  return {
    online,
    markUnreachable: useCallback(() => setReachable(false), []),
    markReachable: useCallback(() => setReachable(true), []),
    kit,
    offline,
    addOffline,
    removeOffline,
    syncing,
    lastSync,
    dismissSync: useCallback(() => setLastSync(null), []),
    syncNow,
  };
}
