import { setTimeout as sleep } from 'node:timers/promises';
import type { Deployment } from '../core/deployment.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import type { AttemptRecord } from '../ledger/ledger-record.js';
import { finishAttempt, startAttempt } from './attempt-record.js';
import type { DeploymentHealth } from './deployment-health.js';
import type { UpstreamRequest } from '../core/provider.js';
import type { RequestTrace } from '../observability/request-trace.js';

export interface RetryPolicy {
  attemptsPerTarget: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/** Per-request state the executor fills in: every attempt it makes, in order. */
export interface ExecutionContext {
  attempts: AttemptRecord[];
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  health?: DeploymentHealth;
  retry?: RetryPolicy;
  /** Upper bound on attempts, retries and fallbacks together. */
  maxAttempts?: number;
  /** What the request's label is in messages (model or route name). */
  label?: string;
  /** The request's trace: a span per attempt, and the trace context each upstream request carries. */
  trace?: RequestTrace | undefined;
}

/**
 * Adds the current attempt's trace context (`traceparent`) to the upstream request when the request is traced.
 * Adapters build a new headers object for every request, so it is extended in place rather than copied.
 */
export function withTraceHeaders(upstream: UpstreamRequest, context: ExecutionContext): UpstreamRequest {
  const headers = context.trace?.upstreamHeaders;
  if (headers) for (const name in headers) upstream.headers[name] = headers[name] as string;
  return upstream;
}

export type AttemptResult<T> = { kind: 'done'; value: T } | { kind: 'next'; value: T };

/** One try against one deployment. Throws a GatewayError on failure; `next` asks to move on to the next target. */
export type TryOnce<T> = (deployment: Deployment, record: AttemptRecord, startedAt: number) => Promise<AttemptResult<T>>;

const noRetry: RetryPolicy = { attemptsPerTarget: 1, initialBackoffMs: 0, maxBackoffMs: 0 };

export function clientGone(): GatewayError {
  return new GatewayError('invalid_request', 'The client closed the connection.', { retryable: false, upstreamStatus: 499 });
}

function backoffMs(retry: RetryPolicy, retryNumber: number, retryAfterMs: number | undefined): number {
  const exponential = Math.min(retry.maxBackoffMs, retry.initialBackoffMs * 2 ** (retryNumber - 1));
  const jittered = exponential / 2 + Math.random() * (exponential / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

function recordFailure(context: ExecutionContext, deployment: Deployment, record: AttemptRecord, error: GatewayError, started: number): void {
  finishAttempt(record, deployment, { status: error.upstreamStatus ?? error.status, error }, started);
  context.attempts.push(record);
  if (error.upstreamStatus !== 499) {
    context.health?.recordAttempt(deployment.model, { success: false, countsAgainstHealth: error.retryable, error: error.code });
  }
}

function exhausted(errors: GatewayError[], label: string, skipped: number): GatewayError {
  if (errors.length === 0) {
    return new GatewayError('upstream_unavailable', `Every target of "${label}" is temporarily disabled after repeated failures (circuit open); retry shortly.`, { retryAfterMs: 1_000 });
  }
  const last = errors[errors.length - 1] as GatewayError;
  if ((errors.length === 1 && skipped === 0) || !last.retryable) return last;
  return new GatewayError('upstream_unavailable', `All attempts for "${label}" failed (${errors.length} tried${skipped ? `, ${skipped} skipped with an open circuit` : ''}); the last said: ${last.message}`, {
    provider: last.provider,
    ...(last.retryAfterMs === undefined ? {} : { retryAfterMs: last.retryAfterMs }),
  });
}

/**
 * Runs tries over the ordered targets: skips targets whose circuit is open, retries a target on retryable errors
 * with exponential backoff and jitter (honouring Retry-After, within the retry budget), then falls back to the next.
 */
export async function runAttempts<T>(targets: Deployment[], context: ExecutionContext, tryOnce: TryOnce<T>): Promise<T> {
  const retry = context.retry ?? noRetry;
  const maxAttempts = context.maxAttempts ?? Number.POSITIVE_INFINITY;
  const errors: GatewayError[] = [];
  let skipped = 0;
  let fallbackValue: { value: T } | undefined;
  for (const deployment of targets) {
    if (context.health && !context.health.allows(deployment.model)) {
      skipped += 1;
      continue;
    }
    for (let tryNumber = 1; tryNumber <= retry.attemptsPerTarget; tryNumber += 1) {
      if (context.attempts.length >= maxAttempts) return finish(fallbackValue, errors, context, skipped);
      if (tryNumber > 1) {
        const previous = errors[errors.length - 1];
        const wait = backoffMs(retry, tryNumber - 1, previous?.retryAfterMs);
        // A provider asking for a long pause is better left for the next target.
        if (wait > retry.maxBackoffMs || (context.health && !context.health.tryRetry(deployment.model))) break;
        try {
          await sleep(wait, undefined, { signal: context.signal });
        } catch {
          throw clientGone();
        }
      }
      const record = startAttempt(deployment, context.attempts.length);
      context.trace?.startAttempt(record);
      const started = performance.now();
      try {
        const result = await tryOnce(deployment, record, started);
        if (result.kind === 'done') return result.value;
        fallbackValue = { value: result.value };
        break;
      } catch (caught) {
        const error = context.signal.aborted ? clientGone() : toGatewayError(caught);
        recordFailure(context, deployment, record, error, started);
        errors.push(error);
        if (!error.retryable || context.signal.aborted) throw error;
      }
    }
  }
  return finish(fallbackValue, errors, context, skipped);
}

function finish<T>(fallbackValue: { value: T } | undefined, errors: GatewayError[], context: ExecutionContext, skipped: number): T {
  if (fallbackValue) return fallbackValue.value;
  throw exhausted(errors, context.label ?? 'the request', skipped);
}
