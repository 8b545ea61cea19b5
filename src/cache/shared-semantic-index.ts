import type { RedisClient } from '../limits/redis-counter-store.js';
import { openReplicaChannel } from '../limits/redis-channel.js';
import type { SemanticEntry, SemanticIndex } from './semantic-index.js';

/**
 * The semantic-cache index across replicas through Redis. Searches stay in memory; a new entry is published to the
 * other replicas and pushed onto a capped list, from which a replica that starts later loads the live entries. The
 * answers themselves are in the shared Redis cache store under the entries' keys.
 */
export async function shareSemanticIndex(index: SemanticIndex, connection: RedisClient, options: { keyPrefix: string; onError: (error: unknown) => void }): Promise<{ close(): Promise<void> }> {
  const listKey = `${options.keyPrefix}semantic:entries`;
  const channel = await openReplicaChannel<SemanticEntry>(connection, `${options.keyPrefix}semantic`, {
    onMessage: (entry) => index.addShared(entry),
    onError: options.onError,
  });
  const stored = await connection.lRange(listKey, 0, index.maxEntries - 1);
  // The list is newest first; the index keeps insertion order, oldest first.
  for (const text of stored.reverse()) {
    try {
      index.addShared(JSON.parse(text) as SemanticEntry);
    } catch (error) {
      options.onError(error);
    }
  }
  index.shareEntries((entry) => {
    channel.publish(entry);
    connection
      .multi()
      .lPush(listKey, JSON.stringify(entry))
      .lTrim(listKey, 0, index.maxEntries - 1)
      .exec()
      .catch(options.onError);
  });
  return channel;
}
