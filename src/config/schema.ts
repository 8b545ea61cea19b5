import { entraAuthSchema } from '../providers/azure/entra-auth.js';
import { z } from 'zod';
import { budgetSpecSchema, rateLimitSpecSchema } from '../limits/limit-types.js';
import { guardSettings } from '../server/guard/guard-config.js';
import { outboundSchema } from '../providers/shared/outbound/outbound-config.js';
import { capturePolicySchema, captureSettingsSchema, metricsSchema } from '../quality/capture-config.js';
import { accessSchema } from './access-schema.js';
import { prometheusSchema } from '../observability/prometheus-config.js';

/** Wire types a provider may declare. OpenAI-compatible hosts are listed by name so their defaults apply. */
export const providerTypes = [
  'openai', 'azure-openai', 'anthropic', 'gemini', 'vertex', 'bedrock', 'mistral', 'cohere', 'stability',
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
    /** Which API of the host to call: `chat` (Chat Completions, the default) or `responses` (openai and azure-openai only). */
    api: z.enum(['chat', 'responses']).optional(),
  })
  .strict()
  .superRefine((value, context) => {
    if (value.api === 'responses' && value.type !== 'openai' && value.type !== 'azure-openai') {
      context.addIssue({ code: z.ZodIssueCode.custom, message: 'api: responses is only available on providers of type openai or azure-openai', path: ['api'] });
    }
    // azure-openai: options.auth chooses Microsoft Entra ID (client secret, managed or workload identity) over api-key.
    if (value.type !== 'azure-openai' || value.options?.auth === undefined) return;
    const parsed = entraAuthSchema.safeParse(value.options.auth);
    for (const issue of parsed.error?.issues ?? []) context.addIssue({ ...issue, path: ['options', 'auth', ...issue.path] });
  });

const model = z
  .object({
    provider: z.string().min(1),
    model: z.string().min(1).optional(),
    price: price.optional(),
    /** Requests and tokens per minute across every caller of this model name. */
    rateLimit: rateLimitSpecSchema.optional(),
    /** `auto`: the gateway adds prompt-cache breakpoints for providers that need explicit ones (Anthropic, Bedrock). */
    promptCache: z.literal('auto').optional(),
    /** Capture this model's requests and answers for the quality loop. */
    capture: capturePolicySchema.optional(),
  })
  .strict();

const cache = z
  .object({
    mode: z.enum(['off', 'exact', 'semantic']).default('off'),
    ttlSeconds: z.number().int().positive().default(3600),
    /** Serve cached answers to requests with temperature > 0 (or unset, which providers treat as > 0) as well. */
    allowNonDeterministic: z.boolean().default(false),
    /** Semantic mode: the configured model that embeds prompts, and the cosine similarity that counts as the same question. */
    embeddingModel: z.string().optional(),
    threshold: z.number().min(0).max(1).default(0.95),
    maxEntries: z.number().int().positive().default(10_000),
  })
  .strict();

const retry = z
  .object({
    /** Tries of one target on a retryable error before moving to the next (1 = no retry). */
    attemptsPerTarget: z.number().int().min(1).max(10).default(2),
    initialBackoffMs: z.number().int().nonnegative().default(100),
    maxBackoffMs: z.number().int().nonnegative().default(2_000),
  })
  .strict();

const rule = z
  .object({
    when: z
      .object({
        tags: z.record(z.string()).optional(),
        customer: z.array(z.string()).optional(),
        team: z.array(z.string()).optional(),
        headers: z.record(z.string()).optional(),
        hasTools: z.boolean().optional(),
        hasImages: z.boolean().optional(),
        minPromptTokens: z.number().int().nonnegative().optional(),
        maxPromptTokens: z.number().int().nonnegative().optional(),
      })
      .strict(),
    /** A model or route name to use instead when every condition holds. */
    use: z.string().min(1),
  })
  .strict();

const shadow = z
  .object({
    target: z.string().min(1),
    /** Share of the route's requests also sent to the shadow target, 0..1. */
    sampleRate: z.number().min(0).max(1).default(0.1),
  })
  .strict();

const routeCommon = {
  privacy: z.enum(['off', 'redact', 'private-only', 'reject']).default('off'),
  cache: cache.optional(),
  /** Upper bound on upstream attempts for one request, retries and fallbacks together. */
  maxAttempts: z.number().int().positive().max(20).default(5),
  retry: retry.default({}),
  rules: z.array(rule).optional(),
  shadow: shadow.optional(),
  /** `auto`: the gateway adds prompt-cache breakpoints for providers that need explicit ones (Anthropic, Bedrock). */
  promptCache: z.literal('auto').optional(),
  /** Capture this route's requests and answers for the quality loop; wins over the model's and the key's. */
  capture: capturePolicySchema.optional(),
};

const target = z.string().min(1);
const weightedTarget = z.object({ model: z.string().min(1), weight: z.number().positive() }).strict();

/** A learned router: which target a request needs, scored on the CPU from the request alone. */
const routerSettings = z
  .object({
    /** Path of a model file written by `switchyard router train`, relative to the working directory. */
    model: z.string().min(1),
    /** Share of traffic the strongest (priciest) target may take, calibrated on the model's training prompts. */
    maxStrongShare: z.number().min(0).max(1).optional(),
    /** Send to the cheapest target while its predicted score, on the training data's scale, is at least this. */
    minQuality: z.number().optional(),
    /** Record what the router would choose without acting on it; targets are tried in configured order. */
    shadow: z.boolean().default(false),
  })
  .strict()
  .refine((value) => value.maxStrongShare === undefined || value.minQuality === undefined, { message: 'set maxStrongShare or minQuality, not both' });

const route = z.discriminatedUnion('strategy', [
  z.object({ strategy: z.literal('fallback'), targets: z.array(target).min(1), ...routeCommon }).strict(),
  z.object({ strategy: z.literal('cheapest'), targets: z.array(target).min(1), ...routeCommon }).strict(),
  z.object({ strategy: z.literal('fastest'), targets: z.array(target).min(1), ...routeCommon }).strict(),
  z.object({ strategy: z.literal('cascade'), targets: z.array(target).min(2), ...routeCommon }).strict(),
  z.object({ strategy: z.literal('router'), targets: z.array(target).min(2), router: routerSettings, ...routeCommon }).strict(),
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
    ...guardSettings,
  })
  .strict();

const resilience = z
  .object({
    breaker: z
      .object({
        /** Consecutive failures that open a deployment's circuit. */
        consecutiveFailures: z.number().int().positive().default(5),
        /** Error rate over the recent window that opens it, once `minimumRequests` were seen. */
        errorRate: z.number().min(0).max(1).default(0.5),
        windowSize: z.number().int().positive().default(20),
        minimumRequests: z.number().int().positive().default(10),
        cooldownMs: z.number().int().positive().default(10_000),
      })
      .strict()
      .default({}),
    retryBudget: z
      .object({
        /** Retries allowed as a share of requests over the last 10 s, per deployment. */
        ratio: z.number().min(0).max(1).default(0.2),
        /** Retries always allowed per 10 s, so low traffic can still retry. */
        minimum: z.number().int().nonnegative().default(10),
      })
      .strict()
      .default({}),
  })
  .strict();

const ledger = z
  .object({
    flushIntervalMs: z.number().int().positive().default(50),
    batchSize: z.number().int().positive().default(500),
    /** Records held in memory before new requests are refused with 503 (back-pressure, never silent loss). */
    maxQueued: z.number().int().positive().default(100_000),
    /** Requests (with attempts and tags) older than this are deleted; the hourly and daily rollups the reports read stay. */
    retentionDays: z.number().int().positive().optional(),
    /** How often partitions are created ahead and retention runs. */
    upkeepIntervalMs: z.number().int().positive().default(3_600_000),
  })
  .strict();

export const configSchema = z
  .object({
    storage: z.string().optional(),
    redis: z.string().optional(),
    dataDir: z.string().optional(),
    server: server.default({}),
    access: accessSchema.default({}),
    ledger: ledger.default({}),
    resilience: resilience.default({}),
    providers: z.record(provider).default({}),
    models: z.record(model).default({}),
    routes: z.record(route).default({}),
    /** Budgets and rate limits of teams (keys name their team). */
    teams: z.record(z.object({ budget: budgetSpecSchema.optional(), rateLimit: rateLimitSpecSchema.optional() }).strict()).default({}),
    limits: z
      .object({
        /** Output tokens assumed for a budget reservation when a request sets no max_tokens. */
        defaultMaxTokens: z.number().int().positive().default(4096),
      })
      .strict()
      .default({}),
    alerts: z
      .object({
        /** Receives a JSON POST when a budget crosses one of its alert thresholds. */
        webhookUrl: z.string().url().optional(),
      })
      .strict()
      .default({}),
    /** Cache settings for requests that opt in by header or key tag on a plain model name. */
    cache: cache.default({}),
    /** Stored Responses API answers (`store`, `previous_response_id`, GET/DELETE /v1/responses/{id}). */
    responses: z
      .object({
        /** `false` keeps nothing, whatever a request's `store` says; `previous_response_id` is then refused. */
        store: z.boolean().default(true),
        /** Stored responses older than this are never returned, and deleted by a periodic sweep. */
        retentionDays: z.number().positive().default(30),
        sweepIntervalSeconds: z.number().int().positive().default(3600),
      })
      .strict()
      .default({}),
    /** Capture by key tag, and how captures are written and kept. */
    capture: captureSettingsSchema.default({}),
    /** Feedback metrics accepted by POST /v1/feedback. */
    metrics: metricsSchema.default({}),
    /** Which addresses Switchyard's own requests may reach (docs/network-safety.md). */
    outbound: outboundSchema.default({}),
    /** Prometheus `/metrics`: off by default. */
    prometheus: prometheusSchema.default({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ProviderConfig = Config['providers'][string];
export type ModelConfig = Config['models'][string];
export type RouteConfig = Config['routes'][string];
export type PriceConfig = z.infer<typeof price>;
export type CacheConfig = z.infer<typeof cache>;
export type ResilienceConfig = z.infer<typeof resilience>;
export type RouteRule = z.infer<typeof rule>;
export type ProviderType = (typeof providerTypes)[number];
