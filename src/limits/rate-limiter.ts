import { GatewayError } from '../core/errors.js';
import type { CounterStore, WindowHit } from './counter-store.js';
import type { RateScopeKind } from './limit-types.js';

export interface RateScope {
  kind: RateScopeKind;
  id: string;
  rpm?: number;
  tpm?: number;
}

export interface RateCheckRequest {
  scopes: readonly RateScope[];
  /** Tokens the request counts against `tpm`: the input estimate plus the output cap, as OpenAI counts them. */
  tokens: number;
}

export interface RateCheck {
  /** OpenAI's `x-ratelimit-*` headers for the tightest requests and tokens limits that apply. */
  headers: Record<string, string>;
}

export interface RateLimiterOptions {
  store: CounterStore;
  now?: () => number;
  /** The window of rpm and tpm; one minute unless a test shortens it. */
  windowMs?: number;
}

interface Probe {
  scope: RateScope;
  unit: 'requests' | 'tokens';
  key: string;
  amount: number;
  limit: number;
}

interface Outcome {
  probe: Probe;
  hit: WindowHit;
}

/**
 * Requests and tokens per minute per key, team, customer and model, on a sliding window (see
 * `counter-store.ts`). A request is counted against every limit or none: when one limit refuses, the hits
 * already counted on the others are taken back, so refused requests do not eat into other budgets.
 */
export class RateLimiter {
  private readonly store: CounterStore;
  private readonly now: () => number;
  private readonly windowMs: number;

  constructor(options: RateLimiterOptions) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
    this.windowMs = options.windowMs ?? 60_000;
  }

  /** Counts the request or throws `rate_limited` with `retryAfterMs`; answers the headers to send on success. */
  async check(request: RateCheckRequest): Promise<RateCheck> {
    const tokens = Math.max(0, Math.ceil(request.tokens));
    const probes = request.scopes.flatMap((scope) => probesOf(scope, tokens));
    const tooLarge = probes.find((probe) => probe.amount > probe.limit);
    if (tooLarge) throw tooLargeError(tooLarge);
    const now = this.now();
    const settled = await Promise.allSettled(
      probes.map((probe) => this.store.windowHit(probe.key, probe.amount, probe.limit, this.windowMs, now)),
    );
    const outcomes: Outcome[] = [];
    let failure: unknown;
    settled.forEach((result, index) => {
      if (result.status === 'fulfilled') outcomes.push({ probe: probes[index] as Probe, hit: result.value });
      else failure ??= result.reason;
    });
    const refused = outcomes.filter((outcome) => !outcome.hit.allowed);
    if (failure === undefined && refused.length === 0) return { headers: headersOf(outcomes) };
    const counted = outcomes.filter((outcome) => outcome.hit.allowed);
    await Promise.allSettled(counted.map(({ probe }) => this.store.windowUndo(probe.key, probe.amount, this.windowMs, now)));
    if (failure !== undefined) throw failure;
    throw limitedError(refused);
  }
}

function probesOf(scope: RateScope, tokens: number): Probe[] {
  const base = `rate:${scope.kind}:${encodeURIComponent(scope.id)}`;
  const probes: Probe[] = [];
  if (scope.rpm !== undefined) probes.push({ scope, unit: 'requests', key: `${base}:rpm`, amount: 1, limit: scope.rpm });
  if (scope.tpm !== undefined) probes.push({ scope, unit: 'tokens', key: `${base}:tpm`, amount: tokens, limit: scope.tpm });
  return probes;
}

function perMinute(probe: Probe): string {
  return `${probe.limit} ${probe.unit} per minute`;
}

function tooLargeError(probe: Probe): GatewayError {
  return new GatewayError(
    'rate_limited',
    `This request needs ${probe.amount} tokens, more than the limit of ${perMinute(probe)} for ${probe.scope.kind} "${probe.scope.id}" allows at once; lower max_tokens or shorten the input.`,
    { retryable: false },
  );
}

function limitedError(refused: readonly Outcome[]): GatewayError {
  const worst = refused.reduce((longest, outcome) => (outcome.hit.retryAfterMs > longest.hit.retryAfterMs ? outcome : longest));
  const retryAfterMs = worst.hit.retryAfterMs;
  return new GatewayError(
    'rate_limited',
    `Rate limit reached for ${worst.probe.scope.kind} "${worst.probe.scope.id}": ${perMinute(worst.probe)}. Try again in ${formatDuration(retryAfterMs)}.`,
    { retryAfterMs },
  );
}

/** For each unit, the limit with the least room left is the one a client must pace itself by. */
function headersOf(outcomes: readonly Outcome[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const unit of ['requests', 'tokens'] as const) {
    let tightest: Outcome | undefined;
    let tightestRemaining = Number.POSITIVE_INFINITY;
    for (const outcome of outcomes) {
      if (outcome.probe.unit !== unit) continue;
      const remaining = Math.max(0, outcome.probe.limit - outcome.hit.used);
      if (remaining < tightestRemaining) [tightest, tightestRemaining] = [outcome, remaining];
    }
    if (!tightest) continue;
    headers[`x-ratelimit-limit-${unit}`] = String(tightest.probe.limit);
    headers[`x-ratelimit-remaining-${unit}`] = String(tightestRemaining);
    headers[`x-ratelimit-reset-${unit}`] = formatDuration(tightest.hit.resetMs);
  }
  return headers;
}

/** Durations the way OpenAI writes its reset headers (Go's style): `20ms`, `1s`, `17.586s`, `6m0s`, `1h2m3s`. */
export function formatDuration(milliseconds: number): string {
  const ms = Math.max(0, Math.ceil(milliseconds));
  if (ms === 0) return '0s';
  if (ms < 1_000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = `${Number(((ms % 60_000) / 1_000).toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  return minutes > 0 ? `${minutes}m${seconds}` : seconds;
}
