import type { Registry } from 'prom-client';
import type { AttemptRecord, RequestRecord } from '../ledger/ledger-record.js';
import { genAiOperationName, genAiProviderName } from './gen-ai-names.js';
import { LabelLimit } from './label-limit.js';
import { CounterFamily, HistogramFamily, type CounterCell, type HistogramCell } from './series-family.js';

// Bucket boundaries advised by the OpenTelemetry GenAI metric conventions.
// https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/
const durationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const tokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const firstTokenBuckets = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** The gateway's own time is counted in fractions of a millisecond. */
const overheadBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

const genAi = ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model', 'gen_ai_response_model'] as const;
const tokenTypes = ['input', 'cache_read', 'cache_write', 'output', 'reasoning'] as const;

type Child = CounterCell;
type Observer = HistogramCell;

/** The bound series of one combination of labels, looked up once per distinct combination. */
interface Series {
  requests: Child;
  duration: Observer;
  overhead: Observer;
  firstToken: Observer;
  inputUsage: Observer;
  outputUsage: Observer;
  tokens: Child[];
  cost: Child;
  cacheHits: Child;
  saved: Child;
  rateRefusals: Child;
  budgetRefusals: Child;
}

export interface RequestMetricsOptions {
  registry: Registry;
  /** The type of a configured provider (`openai`, `anthropic`, …), for `gen_ai_provider_name`. */
  providerType: (provider: string) => string | undefined;
  maxLabelValues: number;
  customerLabels: boolean;
}

/** The raw labels a series was looked up by, kept with it per requested model: the next record of that model with the same ones reuses it. */
interface LastSeries {
  endpoint: string;
  route: string | null;
  provider: string | null;
  upstreamModel: string | null;
  status: number;
  errorCode: string | null;
  stream: boolean;
  series: Series;
}

interface AttemptSeries {
  attempts: Child;
  retries: Child;
  fallbacks: Child;
}

interface LastAttemptSeries {
  provider: string;
  status: number;
  shadow: boolean;
  series: AttemptSeries;
}

/** Counters and histograms fed from ledger records, which already hold every figure: nothing is measured twice. */
export class RequestMetrics {
  private readonly series = new Map<string, Series>();
  private readonly attemptSeries = new Map<string, AttemptSeries>();
  // Requests for one model mostly repeat the labels of the one before: comparing them is cheaper than building a
  // key. A raw value maps to the same label for good (LabelLimit keeps its first answer), so reuse stays exact.
  // Bounded like the model label: models past the limit are looked up by key every time.
  private readonly lastByModel = new Map<string, LastSeries>();
  private readonly lastAttemptByModel = new Map<string, LastAttemptSeries>();
  private readonly models: LabelLimit;
  private readonly upstreamModels: LabelLimit;
  private readonly customers: LabelLimit;
  private readonly requests: CounterFamily;
  private readonly duration: HistogramFamily;
  private readonly overhead: HistogramFamily;
  private readonly firstToken: HistogramFamily;
  private readonly tokenUsage: HistogramFamily;
  private readonly tokens: CounterFamily;
  private readonly cost: CounterFamily;
  private readonly cacheHits: CounterFamily;
  private readonly saved: CounterFamily;
  private readonly refusals: CounterFamily;
  private readonly attempts: CounterFamily;
  private readonly retries: CounterFamily;
  private readonly customerRequests: CounterFamily | undefined;
  private readonly customerCost: CounterFamily | undefined;

  constructor(private readonly options: RequestMetricsOptions) {
    const registry = options.registry;
    this.models = new LabelLimit(options.maxLabelValues);
    this.upstreamModels = new LabelLimit(options.maxLabelValues);
    this.customers = new LabelLimit(options.maxLabelValues);
    this.requests = new CounterFamily('switchyard_requests_total', 'Requests answered, by endpoint, route, requested model, serving provider and HTTP status.', ['endpoint', 'route', 'model', 'provider', 'status'], registry);
    this.duration = new HistogramFamily('gen_ai_client_operation_duration_seconds', 'Total time of a request, from its arrival to its last byte.', [...genAi, 'error_type'], { buckets: durationBuckets, registry });
    this.overhead = new HistogramFamily('switchyard_gateway_overhead_seconds', 'Time of a request spent outside upstream attempts (includes retry backoff).', ['endpoint', 'stream'], { buckets: overheadBuckets, registry });
    this.firstToken = new HistogramFamily('gen_ai_server_time_to_first_token_seconds', 'Time to the first content of streamed answers.', [...genAi], { buckets: firstTokenBuckets, registry });
    this.tokenUsage = new HistogramFamily('gen_ai_client_token_usage', 'Tokens per request: input (cached included) and output.', [...genAi, 'gen_ai_token_type'], { buckets: tokenBuckets, registry });
    this.tokens = new CounterFamily('switchyard_tokens_total', 'Tokens by type: input (not cached), cache_read, cache_write, output, reasoning (part of output).', ['model', 'provider', 'type'], registry);
    this.cost = new CounterFamily('switchyard_cost_usd_total', 'Cost of requests in US dollars, as the ledger records it.', ['route', 'model', 'provider'], registry);
    this.cacheHits = new CounterFamily('switchyard_cache_hits_total', 'Requests answered from the response cache.', ['route', 'model'], registry);
    this.saved = new CounterFamily('switchyard_cache_saved_usd_total', 'What cached answers would have cost upstream, in US dollars.', ['route', 'model'], registry);
    this.refusals = new CounterFamily('switchyard_limit_refusals_total', 'Requests refused by the gateway before any upstream call: rate limits (rate_limited) and budgets (budget_exceeded).', ['model', 'reason'], registry);
    this.attempts = new CounterFamily('switchyard_upstream_attempts_total', 'Upstream attempts by provider, model and status (shadow attempts included, labelled).', ['provider', 'model', 'status', 'shadow'], registry);
    this.retries = new CounterFamily('switchyard_upstream_retries_total', 'Attempts after the first of a request: retries of the same model and fallbacks to another.', ['provider', 'model', 'kind'], registry);
    if (options.customerLabels) {
      this.customerRequests = new CounterFamily('switchyard_customer_requests_total', 'Requests by customer id.', ['customer'], registry);
      this.customerCost = new CounterFamily('switchyard_customer_cost_usd_total', 'Cost by customer id, in US dollars.', ['customer'], registry);
    }
  }

  observe(record: RequestRecord): void {
    const series = this.seriesOf(record);
    series.requests.inc();
    series.duration.observe(record.latencyMs / 1000);
    let upstreamMs = 0;
    for (let index = 0; index < record.attempts.length; index += 1) {
      const attempt = record.attempts[index] as AttemptRecord;
      if (!attempt.shadow) upstreamMs += attempt.latencyMs;
      this.observeAttempt(attempt, index === 0 ? undefined : record.attempts[index - 1]);
    }
    series.overhead.observe(Math.max(0, record.latencyMs - upstreamMs) / 1000);
    if (record.stream && record.ttftMs !== null) series.firstToken.observe(record.ttftMs / 1000);
    if (record.cacheHit) {
      series.cacheHits.inc();
      if (record.savedUsd > 0) series.saved.inc(record.savedUsd);
    } else if (record.attempts.length > 0) {
      series.inputUsage.observe(record.inputTokens + record.cachedInputTokens + record.cacheWriteTokens);
      series.outputUsage.observe(record.outputTokens);
    }
    const tokens = series.tokens as [Child, Child, Child, Child, Child];
    if (record.inputTokens > 0) tokens[0].inc(record.inputTokens);
    if (record.cachedInputTokens > 0) tokens[1].inc(record.cachedInputTokens);
    if (record.cacheWriteTokens > 0) tokens[2].inc(record.cacheWriteTokens);
    if (record.outputTokens > 0) tokens[3].inc(record.outputTokens);
    if (record.reasoningTokens > 0) tokens[4].inc(record.reasoningTokens);
    if (record.costUsd > 0) series.cost.inc(record.costUsd);
    if (record.attempts.length === 0 && record.errorCode === 'rate_limited') series.rateRefusals.inc();
    if (record.attempts.length === 0 && record.errorCode === 'budget_exceeded') series.budgetRefusals.inc();
    if (this.customerRequests && this.customerCost && record.customer) {
      const customer = this.customers.value(record.customer);
      this.customerRequests.child(customer).inc();
      if (record.costUsd > 0) this.customerCost.child(customer).inc(record.costUsd);
    }
  }

  private observeAttempt(attempt: AttemptRecord, previous: AttemptRecord | undefined): void {
    const last = this.lastAttemptByModel.get(attempt.model);
    let bound: AttemptSeries;
    if (last && last.provider === attempt.provider && last.status === attempt.status && last.shadow === attempt.shadow) {
      bound = last.series;
    } else {
      bound = this.attemptSeriesOf(attempt);
      if (last || this.lastAttemptByModel.size < this.options.maxLabelValues) {
        this.lastAttemptByModel.set(attempt.model, { provider: attempt.provider, status: attempt.status, shadow: attempt.shadow, series: bound });
      }
    }
    bound.attempts.inc();
    if (previous && !attempt.shadow) (previous.model === attempt.model ? bound.retries : bound.fallbacks).inc();
  }

  private attemptSeriesOf(attempt: AttemptRecord): AttemptSeries {
    const model = this.models.value(attempt.model);
    const key = `${attempt.provider}\u0000${model}\u0000${attempt.status}\u0000${attempt.shadow}`;
    let bound = this.attemptSeries.get(key);
    if (!bound) {
      bound = {
        attempts: this.attempts.child(attempt.provider, model, String(attempt.status), String(attempt.shadow)),
        retries: this.retries.child(attempt.provider, model, 'retry'),
        fallbacks: this.retries.child(attempt.provider, model, 'fallback'),
      };
      this.attemptSeries.set(key, bound);
    }
    return bound;
  }

  private seriesOf(record: RequestRecord): Series {
    const last = this.lastByModel.get(record.requestedModel);
    if (
      last &&
      last.upstreamModel === record.upstreamModel &&
      last.provider === record.provider &&
      last.route === record.route &&
      last.endpoint === record.endpoint &&
      last.status === record.status &&
      last.errorCode === record.errorCode &&
      last.stream === record.stream
    ) {
      return last.series;
    }
    const series = this.lookUpSeries(record);
    if (last || this.lastByModel.size < this.options.maxLabelValues) {
      this.lastByModel.set(record.requestedModel, { endpoint: record.endpoint, route: record.route, provider: record.provider, upstreamModel: record.upstreamModel, status: record.status, errorCode: record.errorCode, stream: record.stream, series });
    }
    return series;
  }

  private lookUpSeries(record: RequestRecord): Series {
    const model = this.models.value(record.requestedModel);
    const upstream = this.upstreamModels.value(record.upstreamModel);
    const route = record.route ?? '';
    const provider = record.provider ?? '';
    const key = `${record.endpoint}\u0000${route}\u0000${model}\u0000${provider}\u0000${upstream}\u0000${record.status}\u0000${record.errorCode ?? ''}\u0000${record.stream}`;
    const found = this.series.get(key);
    if (found) return found;
    const genAiValues = [genAiOperationName(record.endpoint), genAiProviderName(provider ? this.options.providerType(provider) : undefined), model, upstream];
    const created: Series = {
      requests: this.requests.child(record.endpoint, route, model, provider, String(record.status)),
      duration: this.duration.child(...genAiValues, record.errorCode ?? ''),
      overhead: this.overhead.child(record.endpoint, String(record.stream)),
      firstToken: this.firstToken.child(...genAiValues),
      inputUsage: this.tokenUsage.child(...genAiValues, 'input'),
      outputUsage: this.tokenUsage.child(...genAiValues, 'output'),
      tokens: tokenTypes.map((type) => this.tokens.child(model, provider, type)),
      cost: this.cost.child(route, model, provider),
      cacheHits: this.cacheHits.child(route, model),
      saved: this.saved.child(route, model),
      rateRefusals: this.refusals.child(model, 'rate_limited'),
      budgetRefusals: this.refusals.child(model, 'budget_exceeded'),
    };
    this.series.set(key, created);
    return created;
  }
}
