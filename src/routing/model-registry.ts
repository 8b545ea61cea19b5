import type { Config, ProviderConfig, RouteConfig } from '../config/schema.js';
import type { Deployment } from '../core/deployment.js';
import { GatewayError } from '../core/errors.js';
import type { PriceCatalog } from '../ledger/price-catalog.js';
import { adapterFor, defaultBaseUrl, priceFamily } from '../providers/registry.js';
import { defaultTimeouts } from '../providers/shared/http-client.js';

export interface Resolution {
  /** The route's name when the client asked for a route. */
  route: string | undefined;
  routeConfig: RouteConfig | undefined;
  deployments: Deployment[];
}

/** Turns config into callable deployments and resolves the names clients ask for. Built once at start. */
export class ModelRegistry {
  private readonly deployments = new Map<string, Deployment>();
  private readonly adHoc = new Map<string, Deployment>();
  private readonly resolutions = new Map<string, Resolution>();

  constructor(
    private readonly config: Config,
    private readonly catalog: PriceCatalog,
  ) {
    for (const [name, model] of Object.entries(config.models)) {
      this.deployments.set(name, this.build(name, model.provider, model.model ?? name, model.price));
    }
    for (const [name, route] of Object.entries(config.routes)) {
      const targets = route.targets.map((target) => (typeof target === 'string' ? target : target.model));
      this.resolutions.set(name, { route: name, routeConfig: route, deployments: targets.map((target) => this.deployments.get(target) as Deployment) });
    }
    for (const [name, deployment] of this.deployments) this.resolutions.set(name, { route: undefined, routeConfig: undefined, deployments: [deployment] });
  }

  /** Names clients may call: models, then routes. */
  names(): { models: string[]; routes: string[] } {
    return { models: [...this.deployments.keys()], routes: Object.keys(this.config.routes) };
  }

  deployment(name: string): Deployment | undefined {
    return this.deployments.get(name);
  }

  resolve(name: string): Resolution {
    const known = this.resolutions.get(name);
    if (known) return known;
    const direct = this.resolveDirect(name);
    if (direct) return { route: undefined, routeConfig: undefined, deployments: [direct] };
    const { models, routes } = this.names();
    const available = [...models, ...routes];
    const hint = available.length > 0 ? ` Available: ${available.slice(0, 20).join(', ')}.` : ' No models are configured: add providers and models to switchyard.yaml, or set a provider key such as OPENAI_API_KEY.';
    throw new GatewayError('model_not_found', `The model "${name}" does not exist or is not configured.${hint}`, { param: 'model' });
  }

  /** `provider/model` reaches any model of a configured provider; a bare name works when one provider can serve it. */
  private resolveDirect(name: string): Deployment | undefined {
    const cached = this.adHoc.get(name);
    if (cached) return cached;
    let deployment: Deployment | undefined;
    const slash = name.indexOf('/');
    if (slash > 0 && name.slice(0, slash) in this.config.providers) {
      deployment = this.build(name, name.slice(0, slash), name.slice(slash + 1), undefined);
    } else if (Object.keys(this.config.models).length === 0) {
      const provider = this.providerForBareModel(name);
      if (provider) deployment = this.build(name, provider, name, undefined);
    }
    if (deployment) {
      if (this.adHoc.size > 10_000) this.adHoc.clear();
      this.adHoc.set(name, deployment);
    }
    return deployment;
  }

  private providerForBareModel(model: string): string | undefined {
    const providers = Object.entries(this.config.providers);
    if (providers.length === 1) return providers[0]?.[0];
    const priced = providers.find(([, provider]) => this.catalog.lookup(priceFamily(provider.type, model), model) !== undefined);
    return priced?.[0];
  }

  private build(model: string, providerName: string, upstreamModel: string, configPrice: Deployment['price']): Deployment {
    const provider = this.config.providers[providerName] as ProviderConfig;
    const adapter = adapterFor(provider.type, provider.api);
    if (!adapter) throw new GatewayError('internal_error', `Provider type "${provider.type}" has no adapter.`);
    const catalogPrice = this.catalog.lookup(priceFamily(provider.type, upstreamModel), upstreamModel);
    const price = configPrice ?? catalogPrice;
    const endpoint: Deployment['endpoint'] = {
      name: providerName,
      baseUrl: (provider.baseUrl ?? defaultBaseUrl(provider.type)).replace(/\/+$/, ''),
    };
    if (provider.apiKey) endpoint.apiKey = provider.apiKey;
    if (provider.headers) endpoint.headers = provider.headers;
    if (provider.options) endpoint.options = provider.options;
    return {
      model,
      provider: providerName,
      providerType: provider.type,
      adapter,
      endpoint,
      upstreamModel,
      price,
      priceSource: configPrice ? 'config' : catalogPrice ? 'catalog' : provider.hosting ? 'gpu-time' : 'none',
      private: provider.private,
      hosting: provider.hosting,
      timeouts: { ...defaultTimeouts, ...provider.timeouts },
    };
  }
}
