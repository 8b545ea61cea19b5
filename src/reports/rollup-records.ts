import { addTokenCounts, type RequestRecord } from '../ledger/ledger-record.js';
import type { RollupQuery, RollupRow } from '../store/store.js';
import { roundUsd } from '../ledger/money.js';

const bucketMs = { hour: 3_600_000, day: 86_400_000 } as const;

function matches(record: RequestRecord, query: RollupQuery): boolean {
  if (record.startedAt < query.from || record.startedAt >= query.to) return false;
  if (query.route !== undefined && record.route !== query.route) return false;
  if (query.provider !== undefined && record.provider !== query.provider) return false;
  return query.upstreamModel === undefined || record.upstreamModel === query.upstreamModel;
}

/** The rollup the store computes in SQL, over records in memory: the reference the drivers are checked against. */
export function rollupRecords(records: RequestRecord[], query: RollupQuery): RollupRow[] {
  const size = bucketMs[query.bucket];
  const rows = new Map<string, RollupRow>();
  for (const record of records) {
    if (!matches(record, query)) continue;
    const bucket = Math.floor(record.startedAt / size) * size;
    const ok = record.status < 400;
    const dimensions = [bucket, record.team, record.customer, record.keyId, record.route, record.requestedModel, record.provider, record.upstreamModel, record.cacheHit, ok];
    const key = JSON.stringify(dimensions);
    let row = rows.get(key);
    if (!row) {
      row = {
        bucket, team: record.team, customer: record.customer, keyId: record.keyId, route: record.route, requestedModel: record.requestedModel,
        provider: record.provider, upstreamModel: record.upstreamModel, cacheHit: record.cacheHit, ok, requests: 0, inputTokens: 0,
        cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, costUsd: 0, savedUsd: 0, latencyMs: 0,
        shadowAttempts: 0, shadowCostUsd: 0,
      };
      rows.set(key, row);
    }
    const shadows = record.attempts.filter((attempt) => attempt.shadow);
    row.requests += 1;
    addTokenCounts(row, record);
    row.savedUsd += record.savedUsd;
    row.latencyMs += record.latencyMs;
    row.shadowAttempts += shadows.length;
    row.shadowCostUsd += shadows.reduce((sum, attempt) => sum + attempt.costUsd, 0);
    if (record.router?.shadow && record.router.choiceCostUsd !== null) {
      row.routerShadowRequests = (row.routerShadowRequests ?? 0) + 1;
      row.routerShadowCostUsd = (row.routerShadowCostUsd ?? 0) + record.costUsd;
      row.routerShadowChoiceUsd = (row.routerShadowChoiceUsd ?? 0) + record.router.choiceCostUsd;
    }
  }
  return [...rows.values()].map((row) => ({
    ...row,
    costUsd: roundUsd(row.costUsd),
    savedUsd: roundUsd(row.savedUsd),
    shadowCostUsd: roundUsd(row.shadowCostUsd),
    ...(row.routerShadowRequests ? { routerShadowCostUsd: roundUsd(row.routerShadowCostUsd ?? 0), routerShadowChoiceUsd: roundUsd(row.routerShadowChoiceUsd ?? 0) } : {}),
    latencyMs: Math.round(row.latencyMs * 1000) / 1000,
  }));
}

/** All tokens a row processed: input at every rate plus output (reasoning is part of output). */
export function tokensOf(row: Pick<RollupRow, 'inputTokens' | 'cachedInputTokens' | 'cacheWriteTokens' | 'outputTokens'>): number {
  return row.inputTokens + row.cachedInputTokens + row.cacheWriteTokens + row.outputTokens;
}
