import type { AttemptRecord, RequestRecord } from '../ledger/ledger-record.js';
import type { RevenueRecord } from '../store/store.js';
import type { ReportContext } from './report-context.js';

/** A small hand-built ledger for the report tests; every figure the tests expect is worked out from these records. */
export const hour = 3_600_000;
export const november = Date.UTC(2026, 10, 1);
export const at = (day: number, hours: number, minutes = 0) => november + (day - 1) * 24 * hour + hours * hour + minutes * 60_000;

function request(id: string, fields: Partial<RequestRecord>): RequestRecord {
  return {
    id, startedAt: november, endpoint: 'chat', keyId: null, customer: null, team: null, requestedModel: 'small', route: null,
    provider: null, upstreamModel: null, stream: false, status: 200, errorCode: null, inputTokens: 0, cachedInputTokens: 0,
    cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, costUsd: 0, latencyMs: 500, ttftMs: null, estimated: false,
    catalogVersion: '2026-10-01', cacheHit: false, savedUsd: 0, attempts: [], ...fields,
  };
}

function shadowAttempt(costUsd: number): AttemptRecord {
  return {
    attempt: 1, startedAt: at(3, 9), provider: 'an', upstreamModel: 'big-v1', model: 'big', status: 200, errorCode: null, inputTokens: 4000,
    cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1000, reasoningTokens: 0, costUsd, latencyMs: 900, ttftMs: null, estimated: false, shadow: true,
  };
}

const small = { provider: 'oa', upstreamModel: 'small-v1' };
const big = { provider: 'an', upstreamModel: 'big-v1' };

/**
 * Prices: small $1 in / $4 out, big $10 in / $40 out, per million tokens. Route `smart` lists big first.
 * a1: smart, served by small, 1000 in + 500 out = (1000x1 + 500x4)/1e6 = $0.003
 * a2: smart, served by big, 2000 in + 1000 out = (2000x10 + 1000x40)/1e6 = $0.06
 * a3: small direct, 4000 in + 1000 out = (4000x1 + 1000x4)/1e6 = $0.008, plus a $0.02 shadow attempt on big
 * a4: smart, a cache hit of small's answer: no tokens, no cost, saved $0.003
 * b1: big direct, 10000 in + 2000 out = (10000x10 + 2000x40)/1e6 = $0.18
 * b2: llama on the GPU provider, 3000 in + 3000 out in 2000 ms, charged $0.01 of GPU time
 * n1: no customer, failed with 500, nothing spent
 * o1: October, outside every November figure
 */
export const fixtureRecords: RequestRecord[] = [
  request('a1', { startedAt: at(2, 10), customer: 'acme', keyId: 'k1', requestedModel: 'smart', route: 'smart', ...small, inputTokens: 1000, outputTokens: 500, costUsd: 0.003 }),
  request('a2', { startedAt: at(2, 10, 30), customer: 'acme', keyId: 'k1', requestedModel: 'smart', route: 'smart', ...big, inputTokens: 2000, outputTokens: 1000, costUsd: 0.06 }),
  request('a3', { startedAt: at(3, 9), customer: 'acme', keyId: 'k1', ...small, inputTokens: 4000, outputTokens: 1000, costUsd: 0.008, attempts: [shadowAttempt(0.02)] }),
  request('a4', { startedAt: at(3, 9, 5), customer: 'acme', keyId: 'k1', requestedModel: 'smart', route: 'smart', ...small, cacheHit: true, savedUsd: 0.003, latencyMs: 2 }),
  request('b1', { startedAt: at(5, 12), customer: 'globex', keyId: 'k2', requestedModel: 'big', ...big, inputTokens: 10_000, outputTokens: 2000, costUsd: 0.18 }),
  request('b2', { startedAt: at(5, 12, 10), customer: 'globex', keyId: 'k2', requestedModel: 'llama', provider: 'gpu', upstreamModel: 'llama-70b', inputTokens: 3000, outputTokens: 3000, costUsd: 0.01, latencyMs: 2000 }),
  request('n1', { startedAt: at(6, 8), ...small, status: 500, errorCode: 'upstream_error' }),
  request('o1', { startedAt: november - 60_000, customer: 'acme', keyId: 'k1', ...small, inputTokens: 100_000, outputTokens: 100_000, costUsd: 1 }),
];

export const fixtureRevenue: RevenueRecord[] = [
  { customer: 'acme', period: '2026-11', usd: 10 },
  { customer: 'initech', period: '2026-11', usd: 5 },
  { customer: 'globex', period: '2026-10', usd: 100 },
  { customer: 'acme', period: '2026-12', usd: 99 },
];

export const fixtureContext: ReportContext = {
  clouds: { oa: 'openai', an: 'anthropic', gpu: 'coreweave' },
  models: [
    { name: 'small', ...small },
    { name: 'big', ...big },
    { name: 'llama', provider: 'gpu', upstreamModel: 'llama-70b' },
  ],
  routes: { smart: { target: 'big', price: { input: 10, output: 40 } } },
  selfHosted: [{ name: 'gpu', hosting: { cloud: 'coreweave', gpu: 'H100', gpus: 2, pricePerHour: 2.5, tokensPerSecond: 1000 } }],
};
