import type { Storage } from '../storage/database.js';

/**
 * A small per-process, per-database cache for data a hot path reads on every request and that
 * rarely changes (API keys, partners, rewards). An entry is trusted for `ttlMs` of wall time,
 * so a change made by another process reaches this one within that time; a change made by
 * this process calls `forget` after its commit and is seen at once. A read that started before
 * a `forget` is not cached (generation check), so a stale row cannot slip back in. Negative
 * answers (not found) are never cached. Bounded: past `maxEntries` it starts again empty.
 */
export class ProcessCache<V> {
  private readonly entries = new Map<string, { value: V; readAt: number }>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** The cached value when fresh; otherwise `load()`'s, kept unless it is undefined. */
  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const entry = this.entries.get(key);
    const now = Date.now();
    if (entry && now - entry.readAt < this.ttlMs) return entry.value;
    const generation = this.generation;
    const value = await load();
    if (value !== undefined && generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { value, readAt: now });
    }
    return value;
  }

  /** Drops every entry (and any read in flight): call after committing a change. */
  forget(): void {
    this.generation++;
    this.entries.clear();
  }
}

/** One cache per open database (tests run several apps in one process). */
export function cachePerStorage<V>(
  ttlMs: number,
  maxEntries?: number,
): (storage: Storage) => ProcessCache<V> {
  const caches = new WeakMap<Storage, ProcessCache<V>>();
  return (storage) => {
    let cache = caches.get(storage);
    if (!cache) {
      cache = new ProcessCache<V>(ttlMs, maxEntries);
      caches.set(storage, cache);
    }
    return cache;
  };
}
