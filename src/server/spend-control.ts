import type { Config } from '../config/schema.js';
import type { ChatRequest } from '../core/canonical.js';
import type { Deployment } from '../core/deployment.js';
import type { Logger } from '../core/logger.js';
import { roughRequestTokens } from '../ledger/token-estimator.js';
import type { BudgetScope, BudgetService, Reservation, ThresholdEvent } from '../limits/budget-service.js';
import type { BudgetSpec, RateLimitSpec } from '../limits/limit-types.js';
import type { RateLimiter, RateScope } from '../limits/rate-limiter.js';
import { upperBoundCost } from '../limits/upper-bound-cost.js';
import { sendUpstreamBuffered } from '../providers/shared/http-client.js';
import type { Principal } from './auth/key-service.js';

export interface Limits {
  budget?: BudgetSpec | undefined;
  rateLimit?: RateLimitSpec | undefined;
}

/** Where a customer's limits come from (the store, cached). */
export type CustomerLimits = (customer: string) => Promise<Limits | undefined>;

export interface Admission {
  /** `x-ratelimit-*` headers for the response. */
  headers: Record<string, string>;
  reservation: Reservation | undefined;
}

export interface SpendSubject {
  principal: Principal;
  customer: string | null;
  /** The model or route name the client called. */
  model: string;
  /** An estimate of the input tokens. */
  inputTokens: number;
  /** The output cap the client set, if any (embeddings and images have no output tokens: 0). */
  maxTokens: number | undefined;
  /** Images the request asks for, reserved at each target's per-image price. */
  images?: number;
  targets: readonly Deployment[];
}

/** The spend subject of a chat request. */
export function chatSpendSubject(request: ChatRequest, principal: Principal, customer: string | null, targets: readonly Deployment[]): SpendSubject {
  return { principal, customer, model: request.model, inputTokens: roughRequestTokens(request), maxTokens: request.maxTokens, targets };
}

/**
 * Admission control on the request path: rate limits first (a limited request never holds money), then a budget
 * reservation of the most the request can cost on any of its targets, settled with the real cost when it ends.
 */
export class SpendControl {
  constructor(
    private readonly config: Config,
    private readonly budgets: BudgetService,
    private readonly limiter: RateLimiter,
    private readonly customerLimits: CustomerLimits,
  ) {}

  async admit(subject: SpendSubject): Promise<Admission> {
    const key = subject.principal.key;
    const team = key?.team ?? null;
    const teamLimits = team ? this.config.teams[team] : undefined;
    const customerLimits = subject.customer ? await this.customerLimits(subject.customer) : undefined;
    const keyLimits: Limits = { budget: key?.budget ?? undefined, rateLimit: key?.rateLimit ?? undefined };

    const rateScopes: RateScope[] = [];
    const addRate = (kind: RateScope['kind'], id: string | null | undefined, spec: RateLimitSpec | undefined) => {
      if (id && spec) rateScopes.push({ kind, id, ...spec });
    };
    addRate('key', key?.id, keyLimits.rateLimit);
    addRate('team', team, teamLimits?.rateLimit);
    addRate('customer', subject.customer, customerLimits?.rateLimit);
    addRate('model', subject.model, this.config.models[subject.model]?.rateLimit);

    const budgetScopes: BudgetScope[] = [];
    const addBudget = (kind: BudgetScope['kind'], id: string | null | undefined, budget: BudgetSpec | undefined) => {
      if (id && budget) budgetScopes.push({ kind, id, budget });
    };
    addBudget('key', key?.id, keyLimits.budget);
    addBudget('team', team, teamLimits?.budget);
    addBudget('customer', subject.customer, customerLimits?.budget);

    if (rateScopes.length === 0 && budgetScopes.length === 0) return { headers: {}, reservation: undefined };
    const inputTokens = subject.inputTokens;
    const defaultMax = this.config.limits.defaultMaxTokens;
    const { headers } = rateScopes.length > 0 ? await this.limiter.check({ scopes: rateScopes, tokens: inputTokens + (subject.maxTokens ?? defaultMax) }) : { headers: {} };
    if (budgetScopes.length === 0) return { headers, reservation: undefined };
    // Failover may land on a dearer target, so the reservation covers the dearest one.
    const reserveUsd = Math.max(0, ...subject.targets.map((target) => upperBoundCost(target.price, inputTokens, subject.maxTokens, defaultMax) + (subject.images ?? 0) * (target.price?.perImage ?? 0)));
    const reservation = await this.budgets.admit({ scopes: budgetScopes, reserveUsd });
    return { headers, reservation };
  }
}

const webhookTimeouts = { connectMs: 5_000, firstByteMs: 5_000, totalMs: 5_000 };

/** Posts budget alerts to the configured webhook; failures are logged, never raised into a request. */
export function budgetAlertSender(webhookUrl: string | undefined, logger: Logger): (event: ThresholdEvent) => Promise<void> {
  return async (event) => {
    logger.warn('budget threshold crossed', { ...event });
    if (!webhookUrl) return;
    // The shared client applies the outbound policy to the address dialled and never follows a redirect.
    const body = JSON.stringify({ type: 'budget.threshold', ...event, at: new Date().toISOString() });
    const response = await sendUpstreamBuffered({ url: webhookUrl, method: 'POST', headers: { 'content-type': 'application/json' }, body }, { provider: 'alerts.webhookUrl', timeouts: webhookTimeouts });
    if (response.status < 200 || response.status >= 300) logger.error('budget webhook answered with an error', { status: response.status });
  };
}
