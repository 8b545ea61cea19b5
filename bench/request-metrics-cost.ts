import { Registry } from 'prom-client';
import type { RequestRecord } from '../src/ledger/ledger-record.js';
import { RequestMetrics } from '../src/observability/request-metrics.js';

/**
 * What `RequestMetrics.observe` costs a ledger record, in ns: records that repeat the labels of the one before
 * (one model, the common case) and records that alternate between two models. Each figure is the median of 7
 * timings of 200,000 records, in this process after a warm-up.
 *   node dist/bench/request-metrics-cost.js
 */
function recordOf(model: string, index: number): RequestRecord {
  return {
    id: `r-${index}`, startedAt: Date.now(), endpoint: 'chat', keyId: 'k1', customer: null, team: null,
    // A string of each record's own, not the shared literal, as a parsed request body gives.
    requestedModel: `${model}-`.slice(0, model.length), route: null, provider: 'mock-0', upstreamModel: `${model}-`.slice(0, model.length),
    stream: false, status: 200, errorCode: null, inputTokens: 12, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 30, reasoningTokens: 0,
    costUsd: 0.00002, latencyMs: 4.2, ttftMs: null, estimated: false, catalogVersion: 'bench', cacheHit: false, savedUsd: 0,
    attempts: [{ attempt: 1, startedAt: Date.now(), provider: 'mock-0', upstreamModel: model, model, status: 200, errorCode: null, latencyMs: 3.1, ttftMs: null, estimated: false, shadow: false, inputTokens: 12, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 30, reasoningTokens: 0, costUsd: 0.00002 }],
  };
}

function nanosecondsPerRecord(models: string[]): number {
  const metrics = new RequestMetrics({ registry: new Registry(), providerType: () => 'openai', maxLabelValues: 100, customerLabels: false });
  const records = Array.from({ length: 1000 }, (_, index) => recordOf(models[index % models.length] as string, index));
  const timings: number[] = [];
  for (let timing = 0; timing < 10; timing += 1) {
    const started = process.hrtime.bigint();
    for (let index = 0; index < 200_000; index += 1) metrics.observe(records[index % records.length] as RequestRecord);
    timings.push(Number(process.hrtime.bigint() - started) / 200_000);
  }
  const measured = timings.slice(3).sort((a, b) => a - b);
  return measured[Math.floor(measured.length / 2)] as number;
}

console.log(`Node ${process.version}; command: node dist/bench/request-metrics-cost.js`);
console.log('| records | ns a record |\n| --- | --- |');
console.log(`| one model | ${nanosecondsPerRecord(['bench-model']).toFixed(0)} |`);
console.log(`| two models, alternating | ${nanosecondsPerRecord(['bench-model', 'bench-model-b']).toFixed(0)} |`);
