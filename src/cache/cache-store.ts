import type { ChatResponse, Usage } from '../core/canonical.js';

/** A stored answer with what it cost when it was first bought. */
export interface CachedAnswer {
  response: ChatResponse;
  usage: Usage;
  costUsd: number;
  provider: string;
  upstreamModel: string;
  storedAt: number;
}

export interface CacheStore {
  get(key: string): Promise<CachedAnswer | undefined>;
  set(key: string, value: CachedAnswer, ttlMs: number): Promise<void>;
}

/** In-process store: insertion-ordered map with expiry, oldest entries evicted first past the bound. */
export class MemoryCacheStore implements CacheStore {
  private readonly entries = new Map<string, { value: CachedAnswer; expiresAt: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  async get(key: string): Promise<CachedAnswer | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async set(key: string, value: CachedAnswer, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
