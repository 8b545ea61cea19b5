import type { RedisClient } from '../limits/redis-counter-store.js';
import { openReplicaChannel } from '../limits/redis-channel.js';
import type { BreakerTransition } from './circuit-breaker.js';
import type { DeploymentHealth } from './deployment-health.js';

interface SharedTransition {
  model: string;
  transition: BreakerTransition;
}

/**
 * Circuit state across replicas through Redis. Each replica keeps deciding from its own breakers in memory, so the
 * request path makes no Redis call; a transition is published when it happens and applied by the others as it
 * arrives. Open circuits are also kept in a hash, so a replica that starts later begins with them open.
 */
export async function shareBreakers(health: DeploymentHealth, connection: RedisClient, options: { keyPrefix: string; onError: (error: unknown) => void }): Promise<{ close(): Promise<void> }> {
  const openKey = `${options.keyPrefix}breakers:open`;
  const channel = await openReplicaChannel<SharedTransition>(connection, `${options.keyPrefix}breakers`, {
    onMessage: ({ model, transition }) => health.applyShared(model, transition),
    onError: options.onError,
  });
  for (const [model, text] of Object.entries(await connection.hGetAll(openKey))) {
    const openedAt = Number(text);
    if (Number.isFinite(openedAt)) health.applyShared(model, { state: 'open', openedAt });
  }
  health.shareTransitions((model, transition) => {
    const stored = transition.state === 'open' ? connection.hSet(openKey, model, String(transition.openedAt)) : connection.hDel(openKey, model);
    stored.catch(options.onError);
    channel.publish({ model, transition });
  });
  return channel;
}
