import { z } from 'zod';

/** Wire types a provider may declare. OpenAI-compatible hosts are listed by name so their defaults apply. */
export const providerTypes = [
  'openai', 'azure-openai', 'anthropic', 'gemini', 'vertex', 'bedrock', 'mistral', 'cohere',
  'groq', 'together', 'fireworks', 'deepseek', 'xai', 'openrouter', 'perplexity',
  'ollama', 'vllm', 'llamacpp', 'tgi', 'lmstudio',
] as const;

const price = z
  .object({
    input: z.number().nonnegative().describe('$ per 1M input tokens'),
    output: z.number().nonnegative().describe('$ per 1M output tokens'),
    cachedInput: z.number().nonnegative().optional(),
    cacheWrite: z.number().nonnegative().optional(),
    reasoning: z.number().nonnegative().optional(),
    perRequest: z.number().nonnegative().optional(),
    perImage: z.number().nonnegative().optional(),
  })
  .strict();

const hosting = z
  .object({
    cloud: z.string().optional(),
    region: z.string().optional(),
    gpu: z.string().optional(),
    gpus: z.number().int().positive().default(1),
    pricePerHour: z.number().nonnegative(),
    tokensPerSecond: z.number().positive().optional(),
  })
  .strict();

const timeouts = z
  .object({
    connectMs: z.number().int().positive().default(5_000),
    firstByteMs: z.number().int().positive().default(60_000),
    totalMs: z.number().int().positive().default(600_000),
  })
  .strict();

const provider = z
  .object({
    type: z.enum(providerTypes),
    apiKey: z.string().optional(),
    baseUrl: z.string().url().optional(),
    headers: z.record(z.string()).optional(),
    private: z.boolean().default(false),
    hosting: hosting.optional(),
    timeouts: timeouts.optional(),
    /** Type-specific settings: `apiVersion` (Azure), `region`/`accessKeyId`/`secretAccessKey` (Bedrock), `project`/`location` (Vertex). */
    options: z.record(z.unknown()).optional(),
  })
  .strict();

const model = z
  .object({
    provider: z.string().min(1),
    model: z.string().min(1).optional(),
    price: price.optional(),
  })
  .strict();

const cache = z
  .object({
    mode: z.enum(['off', 'exact', 'semantic']).default('off'),
    ttlSeconds: z.number().int().positive().default(3600),
    /** Serve cached answers to requests with temperature > 0 as well. */
    allowNonDeterministic: z.boolean().default(false),
  })
  .strict();

const routeCommon = {
  privacy: z.enum(['off', 'redact', 'private-only', 'reject']).default('off'),
  cache: cache.optional(),
  maxAttempts: z.number().int().positive().optional(),
};

const target = z.string().min(1);
const weightedTarget = z.object({ model: z.string().min(1), weight: z.number().positive() }).strict();

const route = z.discriminatedUnion('strategy', [
  z.object({ strategy: z.literal('fallback'), targets: z.array(target).min(1), ...routeCommon }).strict(),
  z.object({ strategy: z.literal('cheapest'), targets: z.array(target).min(1), ...routeCommon }).strict(),
  z.object({ strategy: z.literal('fastest'), targets: z.array(target).min(1), ...routeCommon }).strict(),
  z.object({ strategy: z.literal('cascade'), targets: z.array(target).min(2), ...routeCommon }).strict(),
  z.object({ strategy: z.literal('router'), targets: z.array(target).min(2), threshold: z.number().min(0).max(1).default(0.5), ...routeCommon }).strict(),
  z
    .object({
      strategy: z.literal('weighted'),
      targets: z.array(z.union([target, weightedTarget])).min(1),
      ...routeCommon,
    })
    .strict(),
]);

const server = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(4000),
    bodyLimitBytes: z.number().int().positive().default(10 * 1024 * 1024),
    shutdownGraceMs: z.number().int().nonnegative().default(30_000),
  })
  .strict();

const ledger = z
  .object({
    flushIntervalMs: z.number().int().positive().default(200),
    batchSize: z.number().int().positive().default(500),
    /** Records held in memory before new requests are refused with 503 (back-pressure, never silent loss). */
    maxQueued: z.number().int().positive().default(100_000),
  })
  .strict();

export const configSchema = z
  .object({
    storage: z.string().optional(),
    redis: z.string().optional(),
    dataDir: z.string().optional(),
    server: server.default({}),
    ledger: ledger.default({}),
    providers: z.record(provider).default({}),
    models: z.record(model).default({}),
    routes: z.record(route).default({}),
  })
  .strict()
  .superRefine((config, context) => {
    for (const [name, entry] of Object.entries(config.models)) {
      if (!(entry.provider in config.providers)) {
        context.addIssue({ code: 'custom', path: ['models', name, 'provider'], message: `unknown provider "${entry.provider}"` });
      }
    }
    for (const [name, entry] of Object.entries(config.routes)) {
      if (name in config.models) {
        context.addIssue({ code: 'custom', path: ['routes', name], message: `"${name}" is already a model name; a route needs its own name` });
      }
      entry.targets.forEach((item, index) => {
        const modelName = typeof item === 'string' ? item : item.model;
        if (!(modelName in config.models)) {
          context.addIssue({ code: 'custom', path: ['routes', name, 'targets', index], message: `unknown model "${modelName}"` });
        }
      });
    }
  });

export type Config = z.infer<typeof configSchema>;
export type ProviderConfig = Config['providers'][string];
export type ModelConfig = Config['models'][string];
export type RouteConfig = Config['routes'][string];
export type PriceConfig = z.infer<typeof price>;
export type CacheConfig = z.infer<typeof cache>;
export type ProviderType = (typeof providerTypes)[number];
