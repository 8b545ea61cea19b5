import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Logger } from '../core/logger.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { LedgerRepository } from '../store/store.js';
import type { RequestRecord } from './ledger-record.js';
import { LedgerUpkeep } from './ledger-upkeep.js';

const day = 86_400_000;
const now = Date.UTC(2026, 5, 15);

function record(id: string, startedAt: number): RequestRecord {
  return {
    id, startedAt, endpoint: 'chat', keyId: null, customer: null, team: null, requestedModel: 'm', route: null, provider: 'p', upstreamModel: 'm', stream: false,
    status: 200, errorCode: null, inputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0, costUsd: 0.5, latencyMs: 1,
    ttftMs: null, estimated: false, catalogVersion: 'test', cacheHit: false, savedUsd: 0, attempts: [],
  };
}

function recordingLogger(): Logger & { lines: Array<[string, string, unknown]> } {
  const lines: Array<[string, string, unknown]> = [];
  const log = (level: string) => (message: string, fields?: unknown) => void lines.push([level, message, fields]);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } as unknown as Logger & { lines: typeof lines };
}

test('with retentionDays, a pass deletes the requests older than that many days and logs how many', async () => {
  const store = openSqliteStore(':memory:');
  try {
    await store.ledger.insertBatch([record('old', now - 31 * day), record('edge', now - 30 * day), record('new', now - day)]);
    const logger = recordingLogger();
    await new LedgerUpkeep(store.ledger, { retentionDays: 30, intervalMs: 3_600_000 }, logger).runOnce(now);
    assert.equal(await store.ledger.get('old'), undefined);
    assert.ok(await store.ledger.get('edge'), 'a request exactly retentionDays old stays');
    assert.deepEqual(logger.lines.map(([level, message, fields]) => [level, message, (fields as { deleted?: number }).deleted]), [['info', 'ledger retention', 1]]);
  } finally {
    await store.close();
  }
});

test('without retentionDays nothing is deleted, and a failing pass is logged instead of thrown', async () => {
  const store = openSqliteStore(':memory:');
  try {
    await store.ledger.insertBatch([record('old', now - 400 * day)]);
    await new LedgerUpkeep(store.ledger, { intervalMs: 3_600_000 }, recordingLogger()).runOnce(now);
    assert.ok(await store.ledger.get('old'));
  } finally {
    await store.close();
  }
  const failing = { prepare: async () => { throw new Error('database unreachable'); } } as unknown as LedgerRepository;
  const logger = recordingLogger();
  await new LedgerUpkeep(failing, { retentionDays: 1, intervalMs: 3_600_000 }, logger).runOnce(now);
  assert.deepEqual(logger.lines.map(([level, message]) => [level, message]), [['error', 'ledger upkeep failed']]);
});
