import type { CacheConfig } from '../config/schema.js';
import type { ChatRequest } from '../core/canonical.js';
import { GatewayError } from '../core/errors.js';
import { exactCacheKey, semanticScope, semanticText } from './cache-key.js';
import type { CachedAnswer, CacheStore } from './cache-store.js';
import { SemanticIndex } from './semantic-index.js';

export type CacheMode = 'off' | 'exact' | 'semantic';

export interface CachePlan {
  mode: Exclude<CacheMode, 'off'>;
  settings: CacheConfig;
  key: string;
  /** Semantic mode: where to look and the prompt's vector, once computed. */
  scope?: string;
  vector?: number[];
}

/** Embeds text with the configured embedding model; the caller records the attempt in the ledger. */
export type Embed = (model: string, text: string) => Promise<number[]>;

function modeFrom(value: unknown): CacheMode | undefined {
  return value === 'off' || value === 'exact' || value === 'semantic' ? value : undefined;
}

export interface CacheInputs {
  request: ChatRequest;
  /** Route name, or the model name when no route was used. */
  scope: string;
  routeSettings: CacheConfig | undefined;
  header: string | undefined;
  keyTag: string | undefined;
}

/**
 * Exact and semantic response caching. Mode precedence: request header, then the key's `cache` tag, then the route.
 * Requests with temperature above 0, or unset, are only cached when the settings allow non-deterministic answers.
 */
export class ResponseCache {
  /** Public so that replicas can share it through Redis. */
  readonly index: SemanticIndex;

  constructor(
    private readonly store: CacheStore,
    private readonly defaults: CacheConfig,
  ) {
    this.index = new SemanticIndex(defaults.maxEntries);
  }

  plan(inputs: CacheInputs): CachePlan | undefined {
    const headerMode = modeFrom(inputs.header);
    if (inputs.header !== undefined && headerMode === undefined) {
      throw new GatewayError('invalid_request', 'x-switchyard-cache: expected "exact", "semantic" or "off".', { param: 'x-switchyard-cache' });
    }
    const settings = inputs.routeSettings ?? this.defaults;
    const mode = headerMode ?? modeFrom(inputs.keyTag) ?? settings.mode;
    if (mode === 'off') return undefined;
    const temperature = inputs.request.temperature;
    if ((temperature === undefined || temperature > 0) && !settings.allowNonDeterministic) return undefined;
    if (mode === 'semantic' && !(settings.embeddingModel ?? this.defaults.embeddingModel)) {
      throw new GatewayError('invalid_request', 'Semantic caching needs cache.embeddingModel in the configuration of this route (or the top-level cache).', { param: 'x-switchyard-cache' });
    }
    return { mode, settings, key: exactCacheKey(inputs.request, inputs.scope), ...(mode === 'semantic' ? { scope: semanticScope(inputs.request, inputs.scope) } : {}) };
  }

  async lookup(plan: CachePlan, request: ChatRequest, embed: Embed): Promise<CachedAnswer | undefined> {
    const exact = await this.store.get(plan.key);
    if (exact || plan.mode === 'exact') return exact;
    plan.vector = await embed(plan.settings.embeddingModel ?? (this.defaults.embeddingModel as string), semanticText(request));
    const near = this.index.nearest(plan.scope as string, plan.vector, plan.settings.threshold);
    return near ? this.store.get(near.key) : undefined;
  }

  async save(plan: CachePlan, answer: CachedAnswer): Promise<void> {
    const ttlMs = plan.settings.ttlSeconds * 1000;
    await this.store.set(plan.key, answer, ttlMs);
    if (plan.mode === 'semantic' && plan.vector) this.index.add(plan.scope as string, plan.vector, plan.key, ttlMs);
  }
}
