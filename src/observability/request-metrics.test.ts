import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import type { AttemptRecord, RequestRecord } from '../ledger/ledger-record.js';
import { matching, parsePrometheusText, total } from '../../test/support/prometheus-text.js';
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

test('records whose labels change from one to the next are each counted under their own labels', async () => {
  const registry = new Registry();
  const metrics = new RequestMetrics({ registry, providerType: () => 'openai', maxLabelValues: 2, customerLabels: false });
  // Repeats, switches back and forth, a status change with the same model, and a third model past the label limit.
  const sequence: Array<[string, number]> = [['a', 200], ['a', 200], ['b', 200], ['a', 200], ['a', 500], ['a', 200], ['c', 200], ['c', 200], ['b', 200]];
  for (const [model, status] of sequence) metrics.observe(record(model, status));

  const samples = parsePrometheusText(await registry.metrics());
  const requests = (model: string, status: string) => total(samples, 'switchyard_requests_total', { endpoint: 'chat', route: '', model, provider: 'p1', status });
  assert.equal(requests('a', '200'), 4);
  assert.equal(requests('a', '500'), 1);
  assert.equal(requests('b', '200'), 2);
  assert.equal(requests('other', '200'), 2);
  assert.equal(matching(samples, 'switchyard_requests_total').length, 4);

  const attempts = (model: string, status: string) => total(samples, 'switchyard_upstream_attempts_total', { provider: 'p1', model, status, shadow: 'false' });
  assert.equal(attempts('a', '200'), 4);
  assert.equal(attempts('a', '500'), 1);
  assert.equal(attempts('other', '200'), 2);

  const tokens = (model: string, type: string) => total(samples, 'switchyard_tokens_total', { model, provider: 'p1', type });
  assert.equal(tokens('a', 'input'), 15);
  assert.equal(tokens('a', 'cache_read'), 5);
  assert.equal(tokens('b', 'output'), 4);
  assert.equal(tokens('other', 'reasoning'), 2);
  assert.equal(matching(samples, 'switchyard_tokens_total', { model: 'a', type: 'cache_write' }).length, 0, 'a type with no tokens has no series');
});

test('a fallback after a failed attempt is counted against the attempt that follows it', async () => {
  const registry = new Registry();
  const metrics = new RequestMetrics({ registry, providerType: () => 'openai', maxLabelValues: 10, customerLabels: false });
  metrics.observe(record('a', 200, [attempt('a', 500), attempt('a', 200)]));
  metrics.observe(record('a', 200, [attempt('a', 500), attempt('b', 200, 'p2')]));
  const samples = parsePrometheusText(await registry.metrics());
  const retries = (provider: string, model: string, kind: string) => total(samples, 'switchyard_upstream_retries_total', { provider, model, kind });
  assert.equal(retries('p1', 'a', 'retry'), 1);
  assert.equal(retries('p2', 'b', 'fallback'), 1);
  assert.equal(retries('p1', 'a', 'fallback'), 0);
});
