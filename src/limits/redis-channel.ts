import { randomUUID } from 'node:crypto';
import type { RedisClient } from './redis-counter-store.js';

/** One pub/sub channel between the replicas of a gateway; a replica does not hear its own messages. */
export interface ReplicaChannel<T> {
  /** Fire and forget: a lost message costs one replica a stale view until the next, never a request. */
  publish(message: T): void;
  close(): Promise<void>;
}

interface Envelope<T> {
  origin: string;
  message: T;
}

/**
 * Subscribes on a second connection (a subscribed Redis connection can run no other command) and publishes on the
 * shared one. Messages that do not parse are dropped with `onError`.
 */
export async function openReplicaChannel<T>(connection: RedisClient, name: string, options: { onMessage: (message: T) => void; onError: (error: unknown) => void }): Promise<ReplicaChannel<T>> {
  const origin = randomUUID();
  const subscriber = connection.duplicate();
  subscriber.on('error', options.onError);
  await subscriber.connect();
  await subscriber.subscribe(name, (text) => {
    try {
      const envelope = JSON.parse(text) as Envelope<T>;
      if (envelope.origin !== origin) options.onMessage(envelope.message);
    } catch (error) {
      options.onError(error);
    }
  });
  return {
    publish(message) {
      connection.publish(name, JSON.stringify({ origin, message } satisfies Envelope<T>)).catch(options.onError);
    },
    async close() {
      if (subscriber.isOpen) await subscriber.close();
    },
  };
}
