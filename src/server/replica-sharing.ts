import type { Logger } from '../core/logger.js';
import type { RedisCounterStore } from '../limits/redis-counter-store.js';
import type { Gateway } from './gateway.js';

/** Shares circuit state and the semantic-cache index with the other replicas on the same Redis. */
export async function shareAcrossReplicas(gateway: Pick<Gateway, 'health' | 'cache'>, redis: RedisCounterStore, logger: Logger): Promise<{ close(): Promise<void> }> {
  const [{ shareBreakers }, { shareSemanticIndex }] = await Promise.all([import('../routing/shared-breakers.js'), import('../cache/shared-semantic-index.js')]);
  const options = { keyPrefix: redis.keyPrefix, onError: (error: unknown) => logger.error('replica sharing failed', { error }) };
  const shared = await Promise.all([shareBreakers(gateway.health, redis.connection, options), shareSemanticIndex(gateway.cache.index, redis.connection, options)]);
  return {
    async close() {
      await Promise.all(shared.map((one) => one.close()));
    },
  };
}
