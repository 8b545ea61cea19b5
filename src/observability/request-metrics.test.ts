import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import type { AttemptRecord, RequestRecord } from '../ledger/ledger-record.js';
import { RequestMetrics } from './request-metrics.js';

function attempt(model: string, status: number, provider = 'p1'): AttemptRecord {
  return { attempt: 1, startedAt: 0, provider, upstreamModel: model, model, status, errorCode: status === 200 ? null : 'upstream_error', latencyMs: 10, ttftMs: null, estimated: false, shadow: false, inputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 2, reasoningTokens: 0, costUsd: 0.001 };
}

function record(model: string, status: number, attempts: AttemptRecord[] = [attempt(model, status)]): RequestRecord {
  return {
    id: `r-${Math.random()}`, startedAt: 0, endpoint: 'chat', keyId: null, customer: null, team: null, requestedModel: model, route: null,
    provider: 'p1', upstreamModel: model, stream: false, status, errorCode: status === 200 ? null : 'upstream_error',
    inputTokens: 3, cachedInputTokens: 1, cacheWriteTokens: 0, outputTokens: 2, reasoningTokens: 1, costUsd: 0.001, latencyMs: 20, ttftMs: null,
    estimated: false, catalogVersion: 'test', cacheHit: false, savedUsd: 0, attempts,
  };
}

async function values(registry: Registry, name: string): Promise<Map<string, number>> {
  const metric = (await registry.getMetricsAsJSON()).find((each) => each.name === name);
  assert.ok(metric, `${name} is registered`);
  const byLabels = new Map<string, number>();
  for (const value of metric.values as Array<{ labels: Record<string, string | number>; value: number; metricName?: string }>) {
    if (value.metricName && value.metricName !== name && !value.metricName.endsWith('_count')) continue;
    const key = Object.entries(value.labels).filter(([label]) => label !== 'le').map(([label, text]) => `${label}=${text}`).join(',');
    byLabels.set(key, (byLabels.get(key) ?? 0) + value.value);
  }
  return byLabels;
}

test('records whose labels change from one to the next are each counted under their own labels', async () => {
  const registry = new Registry();
  const metrics = new RequestMetrics({ registry, providerType: () => 'openai', maxLabelValues: 2, customerLabels: false });
  // Repeats, switches back and forth, a status change with the same model, and a third model past the label limit.
  const sequence: Array<[string, number]> = [['a', 200], ['a', 200], ['b', 200], ['a', 200], ['a', 500], ['a', 200], ['c', 200], ['c', 200], ['b', 200]];
  for (const [model, status] of sequence) metrics.observe(record(model, status));

  const requests = await values(registry, 'switchyard_requests_total');
  assert.equal(requests.get('endpoint=chat,route=,model=a,provider=p1,status=200'), 4);
  assert.equal(requests.get('endpoint=chat,route=,model=a,provider=p1,status=500'), 1);
  assert.equal(requests.get('endpoint=chat,route=,model=b,provider=p1,status=200'), 2);
  assert.equal(requests.get('endpoint=chat,route=,model=other,provider=p1,status=200'), 2);
  assert.equal(requests.size, 4);

  const attempts = await values(registry, 'switchyard_upstream_attempts_total');
  assert.equal(attempts.get('provider=p1,model=a,status=200,shadow=false'), 4);
  assert.equal(attempts.get('provider=p1,model=a,status=500,shadow=false'), 1);
  assert.equal(attempts.get('provider=p1,model=other,status=200,shadow=false'), 2);

  const tokens = await values(registry, 'switchyard_tokens_total');
  assert.equal(tokens.get('model=a,provider=p1,type=input'), 15);
  assert.equal(tokens.get('model=a,provider=p1,type=cache_read'), 5);
  assert.equal(tokens.get('model=b,provider=p1,type=output'), 4);
  assert.equal(tokens.get('model=other,provider=p1,type=reasoning'), 2);
  assert.equal(tokens.get('model=a,provider=p1,type=cache_write'), undefined, 'a type with no tokens has no series');
});

test('a fallback after a failed attempt is counted against the attempt that follows it', async () => {
  const registry = new Registry();
  const metrics = new RequestMetrics({ registry, providerType: () => 'openai', maxLabelValues: 10, customerLabels: false });
  metrics.observe(record('a', 200, [attempt('a', 500), attempt('a', 200)]));
  metrics.observe(record('a', 200, [attempt('a', 500), attempt('b', 200, 'p2')]));
  const retries = await values(registry, 'switchyard_upstream_retries_total');
  assert.equal(retries.get('provider=p1,model=a,kind=retry'), 1);
  assert.equal(retries.get('provider=p2,model=b,kind=fallback'), 1);
  assert.equal(retries.get('provider=p1,model=a,kind=fallback') ?? 0, 0);
});
