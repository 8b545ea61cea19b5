import { z } from 'zod';
import catalogData from './price-catalog.json' with { type: 'json' };

const entrySchema = z.object({
  provider: z.string(),
  model: z.string(),
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cachedInput: z.number().nonnegative().optional(),
  cacheWrite: z.number().nonnegative().optional(),
  reasoning: z.number().nonnegative().optional(),
  perRequest: z.number().nonnegative().optional(),
  perImage: z.number().nonnegative().optional(),
  note: z.string().optional(),
  date: z.string(),
});

const catalogSchema = z.object({
  version: z.string(),
  currency: z.literal('USD'),
  sources: z.record(z.string().url()),
  entries: z.array(entrySchema),
});

export type CatalogEntry = z.infer<typeof entrySchema>;

/** Prices in $ per 1M tokens (and $ per request or image), from the catalog or from config. */
export interface Price {
  input: number;
  output: number;
  cachedInput?: number;
  cacheWrite?: number;
  reasoning?: number;
  perRequest?: number;
  perImage?: number;
}

export interface PriceCatalog {
  version: string;
  /** The price of a provider family's model, matching dated snapshots (`gpt-4o-2024-08-06`) to their base entry. */
  lookup(providerFamily: string, model: string): Price | undefined;
  entries(): readonly CatalogEntry[];
  source(providerFamily: string): string | undefined;
}

/**
 * Bedrock model ids carry the vendor, and inference profiles a geography, before the vendor's own model name
 * (`us.anthropic.claude-sonnet-4-5-20250929-v1:0`): https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html
 */
const bedrockPrefix = /^(?:(?:us|eu|apac|jp|au|ca|us-gov|global)\.)?(?:anthropic|amazon|meta|mistral|cohere|ai21|deepseek|openai|qwen|writer)\./;

export function createPriceCatalog(raw: unknown): PriceCatalog {
  const catalog = catalogSchema.parse(raw);
  const byKey = new Map<string, CatalogEntry>();
  for (const entry of catalog.entries) byKey.set(`${entry.provider}/${entry.model}`, entry);
  const cache = new Map<string, Price | undefined>();

  function find(providerFamily: string, model: string): Price | undefined {
    const bare = model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model;
    let candidate = bare.replace(bedrockPrefix, '');
    // Strip trailing version segments one at a time: claude-sonnet-4-5-20250929 -> claude-sonnet-4-5.
    while (candidate.length > 0) {
      const entry = byKey.get(`${providerFamily}/${candidate}`);
      if (entry) return entry;
      const cut = candidate.lastIndexOf('-');
      if (cut <= 0) break;
      candidate = candidate.slice(0, cut);
    }
    return undefined;
  }

  return {
    version: catalog.version,
    lookup(providerFamily, model) {
      const key = `${providerFamily}/${model}`;
      if (cache.has(key)) return cache.get(key);
      const price = find(providerFamily, model);
      cache.set(key, price);
      return price;
    },
    entries: () => catalog.entries,
    source: (providerFamily) => catalog.sources[providerFamily],
  };
}

let bundled: PriceCatalog | undefined;

/** The catalog shipped with Switchyard (`price-catalog.json`, versioned by date). */
export function bundledPriceCatalog(): PriceCatalog {
  bundled ??= createPriceCatalog(catalogData);
  return bundled;
}
