import { addTokenCounts, type AttemptRecord, type RequestRecord } from '../ledger/ledger-record.js';
import type { Principal } from './auth/key-service.js';

export interface RequestIdentity {
  id: string;
  endpoint: RequestRecord['endpoint'];
  principal: Principal;
  customer: string | null;
  requestedModel: string;
  stream: boolean;
}

export function newRequestRecord(identity: RequestIdentity, catalogVersion: string): RequestRecord {
  return {
    id: identity.id,
    startedAt: Date.now(),
    endpoint: identity.endpoint,
    keyId: identity.principal.key?.id ?? (identity.principal.kind === 'admin' ? 'admin' : null),
    customer: identity.customer,
    team: identity.principal.key?.team ?? null,
    requestedModel: identity.requestedModel,
    route: null,
    provider: null,
    upstreamModel: null,
    stream: identity.stream,
    status: 0,
    errorCode: null,
    // The fields of noTokens(), written out: this runs for every request, and a spread costs a copy.
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
    latencyMs: 0,
    ttftMs: null,
    estimated: false,
    catalogVersion,
    cacheHit: false,
    savedUsd: 0,
    attempts: [],
  };
}

/** Sums the attempts into the request's totals; the served attempt names provider, model and time to first token. */
export function settleRequestRecord(record: RequestRecord, attempts: AttemptRecord[], status: number, errorCode: string | null, startedAtMs: number): void {
  record.attempts = attempts;
  record.status = status;
  record.errorCode = errorCode;
  record.latencyMs = Math.round((performance.now() - startedAtMs) * 1000) / 1000;
  for (const attempt of attempts) {
    addTokenCounts(record, attempt);
    record.estimated ||= attempt.estimated;
  }
  const served = attempts[attempts.length - 1];
  if (served) {
    record.provider = served.provider;
    record.upstreamModel = served.upstreamModel;
    record.ttftMs = served.ttftMs;
  }
}
