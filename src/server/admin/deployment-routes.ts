import type { ServerResponse } from 'node:http';
import type { Gateway } from '../gateway.js';
import { sendJson } from '../http-body.js';

/**
 * GET /admin/deployments: every configured model with its provider, upstream model, price and live health
 * (circuit state, error counts, latency; null before its first request), and every route with its strategy and
 * targets. Provider credentials and endpoints are never part of it.
 */
export function listDeployments(gateway: Gateway, response: ServerResponse): void {
  const health = gateway.health.snapshot();
  const { models } = gateway.registry.names();
  const deployments = models.flatMap((name) => {
    const deployment = gateway.registry.deployment(name);
    if (!deployment) return [];
    return [{
      name,
      provider: deployment.provider,
      providerType: deployment.providerType,
      upstreamModel: deployment.upstreamModel,
      price: deployment.price ?? null,
      priceSource: deployment.priceSource,
      private: deployment.private,
      hosting: deployment.hosting ?? null,
      health: health[name] ?? null,
    }];
  });
  const routes = Object.entries(gateway.config.routes).map(([name, route]) => ({
    name,
    strategy: route.strategy,
    targets: route.targets.map((target) => (typeof target === 'string' ? { model: target } : target)),
    privacy: route.privacy ?? null,
    cache: route.cache ?? null,
  }));
  sendJson(response, 200, { deployments, routes });
}
