import type { RedisClient } from '../limits/redis-counter-store.js';
import type { CachedAnswer, CacheStore } from './cache-store.js';

/** Exact-cache entries in Redis, shared by every replica, expiring with Redis's own TTL. */
export class RedisCacheStore implements CacheStore {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<CachedAnswer | undefined> {
    const text = await this.client.get(`${this.prefix}cache:${key}`);
    return typeof text === 'string' ? (JSON.parse(text) as CachedAnswer) : undefined;
  }

  async set(key: string, value: CachedAnswer, ttlMs: number): Promise<void> {
    await this.client.set(`${this.prefix}cache:${key}`, JSON.stringify(value), { PX: Math.max(1, Math.round(ttlMs)) });
  }
}
