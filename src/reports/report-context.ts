import type { Config } from '../config/schema.js';
import type { Deployment } from '../core/deployment.js';
import type { Price } from '../ledger/price-catalog.js';
import type { ModelRegistry } from '../routing/model-registry.js';

export type Hosting = NonNullable<Deployment['hosting']>;

/** What a route's requests would have cost on its first configured target. */
export interface RouteBaseline {
  target: string;
  price?: Price | undefined;
  hosting?: Hosting | undefined;
}

/** The configuration facts the reports need, as plain data so the report functions stay pure. */
export interface ReportContext {
  /** Provider name → where its money goes: `hosting.cloud`, else the vendor of its type. */
  clouds: Record<string, string>;
  /** Configured model names with the provider and upstream model they call. */
  models: Array<{ name: string; provider: string; upstreamModel: string }>;
  routes: Record<string, RouteBaseline>;
  /** Providers with `hosting`, in configuration order. */
  selfHosted: Array<{ name: string; hosting: Hosting }>;
}

/** Whose bill an API provider type lands on; local servers without `hosting.cloud` are `self-hosted`. */
const vendors: Record<string, string> = {
  'azure-openai': 'azure',
  gemini: 'google',
  vertex: 'google',
  bedrock: 'aws',
  ollama: 'self-hosted',
  vllm: 'self-hosted',
  llamacpp: 'self-hosted',
  tgi: 'self-hosted',
  lmstudio: 'self-hosted',
};

export function vendorOf(providerType: string): string {
  return vendors[providerType] ?? providerType;
}

export function buildReportContext(config: Config, registry: ModelRegistry): ReportContext {
  const clouds: Record<string, string> = {};
  const selfHosted: ReportContext['selfHosted'] = [];
  for (const [name, provider] of Object.entries(config.providers)) {
    clouds[name] = provider.hosting?.cloud ?? vendorOf(provider.type);
    if (provider.hosting) selfHosted.push({ name, hosting: provider.hosting });
  }
  const models: ReportContext['models'] = [];
  for (const name of registry.names().models) {
    const deployment = registry.deployment(name);
    if (deployment) models.push({ name, provider: deployment.provider, upstreamModel: deployment.upstreamModel });
  }
  const routes: Record<string, RouteBaseline> = {};
  for (const [name, route] of Object.entries(config.routes)) {
    const first = route.targets[0];
    if (first === undefined) continue;
    const target = typeof first === 'string' ? first : first.model;
    const deployment = registry.deployment(target);
    routes[name] = { target, price: deployment?.price, hosting: deployment?.hosting };
  }
  return { clouds, models, routes, selfHosted };
}
