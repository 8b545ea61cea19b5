import type { Price } from '../ledger/price-catalog.js';
import type { UpstreamTimeouts } from '../providers/shared/http-client.js';
import type { ProviderAdapter, ProviderEndpoint } from './provider.js';

/** A callable model: a name from config bound to one provider account and upstream model, with its price. */
export interface Deployment {
  /** The model name apps call (a key of `models`, or `provider/model`). */
  model: string;
  provider: string;
  providerType: string;
  adapter: ProviderAdapter;
  endpoint: ProviderEndpoint;
  upstreamModel: string;
  price: Price | undefined;
  /** Where the price came from: `config`, `catalog`, `gpu-time` (self-hosted, from hosting), or `none` (recorded at zero cost). */
  priceSource: 'config' | 'catalog' | 'gpu-time' | 'none';
  private: boolean;
  /** Self-hosted GPU facts; requests are charged for the GPU time they used when no token price is set. */
  hosting?: { cloud?: string; region?: string; gpu?: string; gpus: number; pricePerHour: number; tokensPerSecond?: number } | undefined;
  timeouts: UpstreamTimeouts;
}
