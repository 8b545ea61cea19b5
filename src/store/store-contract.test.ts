import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { AttemptRecord, RequestRecord, UsageGroup, UsageRow } from '../ledger/ledger-record.js';
import { datasetContract } from './dataset-contract-cases.js';
import { openStore } from './open-store.js';
import { postgresMigrations } from './postgres/postgres-schema.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { createTestSchema, queryTestSchema } from './postgres/postgres-test-database.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import { rollupRecords } from '../reports/rollup-records.js';
import { responseContractCases } from './response-contract-cases.js';
import { keyContractCases } from './key-contract-cases.js';
import { auditContractCases } from './audit-contract-cases.js';
import type { CustomerRecord, KeyRecord, RollupQuery, RollupRow, Store } from './store.js';
import { qualityContract } from './quality-contract.js';
import { ledgerRetentionContract } from './ledger-retention-contract.js';
import type { EvaluationRecord, EvaluationResult } from '../quality/evaluation-types.js';

/** Where a store lives: opened once per test, or several times to check what survives a reopen. */
interface Place {
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

interface Target {
  name: string;
  driver: string;
  duplicateCode: string;
  persistent: boolean;
  place(): Promise<Place>;
}

const targets: Target[] = [
  {
    name: 'sqlite :memory:',
    driver: 'sqlite',
    duplicateCode: 'SQLITE_CONSTRAINT_PRIMARYKEY',
    persistent: false,
    place: async () => ({ open: async () => openSqliteStore(':memory:'), dispose: async () => undefined }),
  },
  {
    name: 'sqlite file',
    driver: 'sqlite',
    duplicateCode: 'SQLITE_CONSTRAINT_PRIMARYKEY',
    persistent: true,
    async place() {
      const folder = await mkdtemp(join(tmpdir(), 'switchyard-store-'));
      return { open: async () => openSqliteStore(join(folder, 'nested', 'store.db')), dispose: () => rm(folder, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    driver: 'postgres',
    duplicateCode: '23505',
    persistent: true,
    async place() {
      const schema = await createTestSchema();
      return { open: () => openPostgresStore(schema.url), dispose: schema.drop };
    },
  },
];

async function withStore(target: Target, work: (store: Store) => Promise<void>): Promise<void> {
  const place = await target.place();
  try {
    const store = await place.open();
    try {
      await work(store);
    } finally {
      await store.close();
    }
  } finally {
    await place.dispose();
  }
}

const hour = 3_600_000;
const day = 24 * hour;
const march1 = Date.UTC(2025, 2, 1);

function key(id: string, overrides: Partial<KeyRecord> = {}): KeyRecord {
  return {
    id, name: `key ${id}`, hash: `hash-${id}`, prefix: `sk-${id}`, models: ['gpt-x', 'claude-y'], team: 'red',
    tags: { env: 'test', owner: id }, createdAt: march1, expiresAt: march1 + 30 * day, revokedAt: null,
    budget: id === 'k1' ? { usd: 5, period: 'daily', hard: true } : null, rateLimit: id === 'k1' ? { rpm: 600, tpm: 100000 } : null,
    role: null, previousHash: null, previousValidUntil: null, allowedCidrs: null, ...overrides,
  };
}

function attempt(number: number, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    attempt: number, startedAt: march1 + number, provider: 'openai', upstreamModel: 'gpt-x-2025', model: 'gpt-x', status: 200,
    errorCode: null, inputTokens: 10, cachedInputTokens: 2, cacheWriteTokens: 1, outputTokens: 5, reasoningTokens: 3,
    costUsd: 0.000123, latencyMs: 321.5, ttftMs: 45.25, estimated: false, shadow: false, ...overrides,
  };
}

function record(id: string, overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id, startedAt: march1, endpoint: 'chat', keyId: 'k1', customer: 'acme', team: 'red', requestedModel: 'gpt-x', route: 'fast',
    provider: 'openai', upstreamModel: 'gpt-x-2025', stream: false, status: 200, errorCode: null, inputTokens: 0,
    cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, costUsd: 0, latencyMs: 100, ttftMs: null,
    estimated: false, catalogVersion: '2025-03-01', cacheHit: false, savedUsd: 0, attempts: [], ...overrides,
  };
}

/** Five requests over three UTC days, chosen so that no two groups of any grouping tie on cost. */
const usageRecords: RequestRecord[] = [
  record('r1', { startedAt: march1 + hour, inputTokens: 100, cachedInputTokens: 20, cacheWriteTokens: 5, outputTokens: 50, reasoningTokens: 10, costUsd: 0.1, savedUsd: 0.01 }),
  record('r2', { startedAt: march1 + 2 * hour, status: 502, errorCode: 'upstream_error', inputTokens: 10, costUsd: 0.2 }),
  record('r3', {
    startedAt: march1 + day, keyId: 'k2', customer: 'globex', team: 'blue', requestedModel: 'claude-y', route: null, provider: 'anthropic',
    inputTokens: 1000, cachedInputTokens: 200, cacheWriteTokens: 100, outputTokens: 300, reasoningTokens: 40, costUsd: 1.5, savedUsd: 0.5,
  }),
  record('r4', {
    startedAt: march1 + day + 4 * hour, keyId: null, customer: null, team: null, requestedModel: 'claude-y', route: 'smart',
    provider: 'anthropic', status: 429, errorCode: 'rate_limited', inputTokens: 7,
  }),
  record('r5', { startedAt: march1 + 2 * day, keyId: 'k2', customer: 'globex', team: 'blue', route: 'smart', inputTokens: 400, outputTokens: 120, costUsd: 0.7, savedUsd: 0.02 }),
];

function usageRow(group: string | null, values: Omit<UsageRow, 'group'>): UsageRow {
  return { group, ...values };
}

const acme = { requests: 2, errors: 1, inputTokens: 135, cachedInputTokens: 20, outputTokens: 50, reasoningTokens: 10, costUsd: 0.3, savedUsd: 0.01 };
const globex = { requests: 2, errors: 0, inputTokens: 1700, cachedInputTokens: 200, outputTokens: 420, reasoningTokens: 40, costUsd: 2.2, savedUsd: 0.52 };
const r4Only = { requests: 1, errors: 1, inputTokens: 7, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0, costUsd: 0, savedUsd: 0 };
const claude = { requests: 2, errors: 1, inputTokens: 1307, cachedInputTokens: 200, outputTokens: 300, reasoningTokens: 40, costUsd: 1.5, savedUsd: 0.5 };
const r5Only = { requests: 1, errors: 0, inputTokens: 400, cachedInputTokens: 0, outputTokens: 120, reasoningTokens: 0, costUsd: 0.7, savedUsd: 0.02 };
const gpt = { requests: 3, errors: 1, inputTokens: 535, cachedInputTokens: 20, outputTokens: 170, reasoningTokens: 10, costUsd: 1, savedUsd: 0.03 };

const expectedUsage: Record<UsageGroup, UsageRow[]> = {
  key: [usageRow('k2', globex), usageRow('k1', acme), usageRow(null, r4Only)],
  customer: [usageRow('globex', globex), usageRow('acme', acme), usageRow(null, r4Only)],
  team: [usageRow('blue', globex), usageRow('red', acme), usageRow(null, r4Only)],
  model: [usageRow('claude-y', claude), usageRow('gpt-x', gpt)],
  provider: [usageRow('anthropic', claude), usageRow('openai', gpt)],
  route: [
    usageRow(null, { requests: 1, errors: 0, inputTokens: 1300, cachedInputTokens: 200, outputTokens: 300, reasoningTokens: 40, costUsd: 1.5, savedUsd: 0.5 }),
    usageRow('smart', { requests: 2, errors: 1, inputTokens: 407, cachedInputTokens: 0, outputTokens: 120, reasoningTokens: 0, costUsd: 0.7, savedUsd: 0.02 }),
    usageRow('fast', acme),
  ],
  day: [
    usageRow('2025-03-02', claude),
    usageRow('2025-03-03', r5Only),
    usageRow('2025-03-01', acme),
  ],
};

function evaluation(id: string, createdAt: number): EvaluationRecord {
  return {
    id, createdAt, updatedAt: createdAt, status: 'running', total: 4, message: null,
    spec: { dataset: 'support', version: 2, candidates: ['cheap', 'llama'], baseline: 'recorded', evaluators: [{ type: 'exact-match', name: 'exact-match', ignoreCase: false }], concurrency: 2, maxSpendUsd: 1.5, target: 'support' },
  };
}

function result(itemId: string, candidate: string, finishedAt: number): EvaluationResult {
  return {
    evaluationId: 'ev-1', itemId, candidate, status: 200, errorCode: null, verdict: 'tie', costUsd: 0.000123, judgeCostUsd: 0.5, latencyMs: 12.5, finishedAt,
    answer: { text: 'Reset it from settings.', toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"id":7}' }] },
    scores: { 'exact-match': 1, judge: null }, requestIds: ['r-1', 'r-2'],
  };
}

function contract(target: Target): void {
  const it = (name: string, work: (store: Store) => Promise<void>) => test(name, () => withStore(target, work));

  it('names its driver', async (store) => {
    assert.equal(store.driver, target.driver);
  });

  it('keys: insert, list in creation order, find by hash', async (store) => {
    const later = key('k2', { createdAt: march1 + hour, models: null, team: null, tags: {}, expiresAt: null });
    const earlier = key('k1');
    await store.keys.insert(later);
    await store.keys.insert(earlier);
    assert.deepEqual(await store.keys.list(), [earlier, later]);
    assert.deepEqual(await store.keys.findByHash('hash-k2'), later);
    assert.equal(await store.keys.findByHash('hash-unknown'), undefined);
    await assert.rejects(store.keys.insert(key('k3', { hash: 'hash-k1' })));
    assert.equal((await store.keys.list()).length, 2);
  });

  it('keys: revoke keeps the first revocation time and reports unknown ids', async (store) => {
    await store.keys.insert(key('k1'));
    assert.equal(await store.keys.revoke('k1', march1 + day), true);
    assert.equal(await store.keys.revoke('k1', march1 + 2 * day), true);
    assert.equal((await store.keys.findByHash('hash-k1'))?.revokedAt, march1 + day);
    assert.equal(await store.keys.revoke('missing', march1), false);
  });

  it('settings: get, set, overwrite', async (store) => {
    assert.equal(await store.settings.get('theme'), undefined);
    await store.settings.set('theme', 'dark');
    await store.settings.set('other', 'x');
    assert.equal(await store.settings.get('theme'), 'dark');
    await store.settings.set('theme', 'light');
    assert.equal(await store.settings.get('theme'), 'light');
    assert.equal(await store.settings.get('other'), 'x');
  });

  it('ledger: get returns the record as written, attempts ordered', async (store) => {
    const full = record('req-full', {
      stream: true, estimated: true, cacheHit: true, ttftMs: 12.5, latencyMs: 987.125, costUsd: 0.0123456789, savedUsd: 0.5,
      router: { score: 0.734512, threshold: 0.7, choice: 'gpt-x', shadow: true, choiceCostUsd: null },
      inputTokens: 120, cachedInputTokens: 30, cacheWriteTokens: 7, outputTokens: 60, reasoningTokens: 9,
      attempts: [
        attempt(1, { status: 503, errorCode: 'upstream_unavailable', ttftMs: null, estimated: true }),
        attempt(2, { provider: 'anthropic', upstreamModel: 'claude-y-1', model: 'claude-y' }),
        attempt(3, { shadow: true, costUsd: 0.5 }),
      ],
    });
    const bare = record('req-bare', { keyId: null, customer: null, team: null, route: null, provider: null, upstreamModel: null, endpoint: 'embeddings' });
    await store.ledger.insertBatch([bare, full]);
    assert.deepEqual(await store.ledger.get('req-full'), full);
    assert.deepEqual(await store.ledger.get('req-bare'), bare);
    assert.equal(await store.ledger.get('req-missing'), undefined);
    assert.deepEqual(await store.ledger.count(), { requests: 2, attempts: 3 });
  });

  it('ledger: a batch with a duplicate id writes nothing and fails with the driver duplicate code', async (store) => {
    assert.deepEqual(await store.ledger.count(), { requests: 0, attempts: 0 });
    await store.ledger.insertBatch([record('a', { attempts: [attempt(1)] }), record('b')]);
    const rejected = [record('c', { attempts: [attempt(1), attempt(2)] }), record('a')];
    await assert.rejects(store.ledger.insertBatch(rejected), (error: unknown) => {
      assert.equal((error as { code?: unknown }).code, target.duplicateCode);
      return true;
    });
    await assert.rejects(store.ledger.insertBatch([record('d'), record('d')]));
    // Requests are valid here and only an attempt clashes: the requests already written must go too.
    await assert.rejects(store.ledger.insertBatch([record('e'), record('f', { attempts: [attempt(1), attempt(1)] })]));
    assert.deepEqual(await store.ledger.count(), { requests: 2, attempts: 1 });
    assert.equal(await store.ledger.get('c'), undefined);
    assert.equal(await store.ledger.get('d'), undefined);
    assert.equal(await store.ledger.get('e'), undefined);
    await store.ledger.insertBatch([]);
    assert.deepEqual(await store.ledger.count(), { requests: 2, attempts: 1 });
  });

  it('ledger: a batch larger than one statement can carry is written whole', async (store) => {
    const records = Array.from({ length: 3000 }, (_unused, index) => record(`bulk-${index}`, { startedAt: march1 + index, costUsd: 0.001, attempts: [attempt(1)] }));
    await store.ledger.insertBatch(records);
    assert.deepEqual(await store.ledger.count(), { requests: 3000, attempts: 3000 });
    assert.deepEqual(await store.ledger.usage({ groupBy: 'model' }), [usageRow('gpt-x', { ...r4Only, requests: 3000, errors: 0, inputTokens: 0, costUsd: 3 })]);
  });

  it('ledger: usage by every grouping, ordered by cost, with exact sums', async (store) => {
    await store.ledger.insertBatch(usageRecords);
    for (const groupBy of Object.keys(expectedUsage) as UsageGroup[]) {
      assert.deepEqual(await store.ledger.usage({ groupBy }), expectedUsage[groupBy], `usage grouped by ${groupBy}`);
    }
  });

  it('ledger: usage of one key counts only its requests', async (store) => {
    await store.ledger.insertBatch(usageRecords);
    assert.deepEqual(await store.ledger.usage({ groupBy: 'key', keyId: 'k2' }), [usageRow('k2', globex)]);
    assert.deepEqual(await store.ledger.usage({ groupBy: 'model', keyId: 'k1' }), [usageRow('gpt-x', acme)]);
    assert.deepEqual(await store.ledger.usage({ groupBy: 'model', keyId: 'k-none' }), []);
  });

  it('ledger: usage honours from (inclusive) and to (exclusive)', async (store) => {
    await store.ledger.insertBatch(usageRecords);
    assert.deepEqual(await store.ledger.usage({ groupBy: 'day', from: march1 + day, to: march1 + 2 * day }), [usageRow('2025-03-02', claude)]);
    const firstOnly = { requests: 1, errors: 0, inputTokens: 125, cachedInputTokens: 20, outputTokens: 50, reasoningTokens: 10, costUsd: 0.1, savedUsd: 0.01 };
    assert.deepEqual(await store.ledger.usage({ groupBy: 'customer', to: march1 + 2 * hour }), [usageRow('acme', firstOnly)]);
    assert.deepEqual(await store.ledger.usage({ groupBy: 'model', from: march1 + 2 * day }), [usageRow('gpt-x', r5Only)]);
    assert.deepEqual(await store.ledger.usage({ groupBy: 'model', from: march1 + 3 * day }), []);
  });

  it('revenue: upsert replaces the amount of a (customer, period), list filters by month, both ends inclusive', async (store) => {
    await store.revenue.upsert([
      { customer: 'globex', period: '2025-03', usd: 900 },
      { customer: 'acme', period: '2025-03', usd: 100 },
      { customer: 'acme', period: '2025-02', usd: 80.5 },
      { customer: 'acme', period: '2025-04', usd: 120 },
    ]);
    await store.revenue.upsert([{ customer: 'acme', period: '2025-03', usd: 150.25 }]);
    await store.revenue.upsert([]);
    assert.deepEqual(await store.revenue.list(), [
      { customer: 'acme', period: '2025-02', usd: 80.5 },
      { customer: 'acme', period: '2025-03', usd: 150.25 },
      { customer: 'globex', period: '2025-03', usd: 900 },
      { customer: 'acme', period: '2025-04', usd: 120 },
    ]);
    assert.deepEqual(await store.revenue.list({ from: '2025-03', to: '2025-03' }), [
      { customer: 'acme', period: '2025-03', usd: 150.25 },
      { customer: 'globex', period: '2025-03', usd: 900 },
    ]);
    assert.deepEqual((await store.revenue.list({ from: '2025-03' })).map((row) => row.period), ['2025-03', '2025-03', '2025-04']);
    assert.deepEqual((await store.revenue.list({ to: '2025-02' })).map((row) => row.usd), [80.5]);
  });

  it('revenue: a batch with a row the database refuses writes nothing', async (store) => {
    await store.revenue.upsert([{ customer: 'acme', period: '2025-03', usd: 1 }]);
    const broken = { customer: 'globex', period: '2025-03', usd: null as unknown as number };
    await assert.rejects(store.revenue.upsert([{ customer: 'acme', period: '2025-03', usd: 2 }, { customer: 'initech', period: '2025-03', usd: 3 }, broken]));
    assert.deepEqual(await store.revenue.list(), [{ customer: 'acme', period: '2025-03', usd: 1 }]);
  });

  it('customers: put inserts or replaces, get by id, list ordered by id', async (store) => {
    const acme: CustomerRecord = {
      id: 'acme', name: 'Acme Corp', tags: { plan: 'pro' }, budget: { usd: 500, period: 'monthly', hard: true, alertAt: [0.5, 0.9] },
      rateLimit: { rpm: 60, tpm: 100_000 }, updatedAt: march1,
    };
    const bare: CustomerRecord = { id: 'Zeta', name: null, tags: {}, budget: null, rateLimit: null, updatedAt: march1 + 1 };
    await store.customers.put(acme);
    await store.customers.put(bare);
    assert.deepEqual(await store.customers.get('acme'), acme);
    assert.deepEqual(await store.customers.get('Zeta'), bare);
    assert.equal(await store.customers.get('missing'), undefined);
    const changed: CustomerRecord = { ...acme, budget: { usd: 50, period: 'daily', hard: false }, rateLimit: { rpm: 5 }, updatedAt: march1 + day };
    await store.customers.put(changed);
    assert.deepEqual(await store.customers.list(), [bare, changed]);
  });

  it('ledger: series counts requests, errors and cost per bucket from `from`, with nearest-rank latency percentiles', async (store) => {
    // 100 requests in the first hour with latencies 1..100 ms (the tenth of them failing), 3 in the third hour.
    const first = Array.from({ length: 100 }, (_, index) =>
      record(`s${index}`, { startedAt: march1 + index * 30_000, latencyMs: 100 - index, costUsd: 0.01, ...(index % 10 === 0 ? { status: 500, errorCode: 'upstream_error' } : {}) }));
    const third = [7.5, 2.25, 40].map((latencyMs, index) => record(`t${index}`, { startedAt: march1 + 2 * hour + index, latencyMs, costUsd: 0.5 }));
    await store.ledger.insertBatch([...first, ...third]);
    assert.deepEqual(await store.ledger.series({ from: march1, to: march1 + 3 * hour, bucketMs: hour }), [
      { bucket: march1, requests: 100, errors: 10, costUsd: 1, p50Ms: 50, p99Ms: 99 },
      { bucket: march1 + 2 * hour, requests: 3, errors: 0, costUsd: 1.5, p50Ms: 7.5, p99Ms: 40 },
    ]);
    // Buckets start at `from`, not at a round hour; `to` is exclusive.
    assert.deepEqual(await store.ledger.series({ from: march1 + 30 * 60_000, to: march1 + 2 * hour + 1, bucketMs: hour }), [
      { bucket: march1 + 30 * 60_000, requests: 40, errors: 4, costUsd: 0.4, p50Ms: 20, p99Ms: 40 },
      { bucket: march1 + 90 * 60_000, requests: 1, errors: 0, costUsd: 0.5, p50Ms: 7.5, p99Ms: 7.5 },
    ]);
    const [whole] = await store.ledger.series({ from: march1, to: march1 + day, bucketMs: day });
    assert.deepEqual(whole, { bucket: march1, requests: 103, errors: 10, costUsd: 2.5, p50Ms: 49, p99Ms: 99 });
    assert.deepEqual(await store.ledger.series({ from: march1 + 5 * day, to: march1 + 6 * day, bucketMs: hour }), []);
  });

  it('ledger: rollup sums per bucket and dimension exactly as the in-memory reference, shadow cost apart', async (store) => {
    const records = [
      ...usageRecords,
      record('r6', {
        startedAt: march1 + hour + 5 * 60_000, inputTokens: 30, outputTokens: 10, costUsd: 0.05, latencyMs: 250,
        attempts: [attempt(1, { costUsd: 0.05 }), attempt(2, { shadow: true, costUsd: 0.25 }), attempt(3, { shadow: true, costUsd: 0.125 })],
      }),
      record('r7', { startedAt: march1 + hour + 10 * 60_000, cacheHit: true, savedUsd: 0.3, provider: null, upstreamModel: null, latencyMs: 3 }),
      record('r8', { startedAt: march1 + 3 * hour + 20 * 60_000, route: 'smart', costUsd: 0.5, router: { score: 0.25, threshold: 0.7, choice: 'small', shadow: true, choiceCostUsd: 0.125 } }),
      record('r9', { startedAt: march1 + 3 * hour + 21 * 60_000, route: 'smart', costUsd: 0.25, router: { score: 0.5, threshold: 0.7, choice: 'small', shadow: true, choiceCostUsd: 0.0625 } }),
      record('r10', { startedAt: march1 + 3 * hour + 22 * 60_000, route: 'smart', costUsd: 0.5, router: { score: 0.9, threshold: 0.7, choice: 'large', shadow: false, choiceCostUsd: 0.5 } }),
    ];
    await store.ledger.insertBatch(records);
    const sorted = (rows: RollupRow[]) => [...rows].sort((left, right) => (JSON.stringify(left) < JSON.stringify(right) ? -1 : 1));
    const queries: RollupQuery[] = [
      { bucket: 'hour', from: 0, to: march1 + 10 * day },
      { bucket: 'day', from: 0, to: march1 + 10 * day },
      { bucket: 'day', from: march1 + day, to: march1 + 2 * day + 1 },
      { bucket: 'hour', from: 0, to: march1 + 10 * day, route: 'smart' },
      { bucket: 'hour', from: 0, to: march1 + 10 * day, provider: 'openai', upstreamModel: 'gpt-x-2025' },
    ];
    for (const query of queries) assert.deepEqual(sorted(await store.ledger.rollup(query)), sorted(rollupRecords(records, query)), JSON.stringify(query));
    const hourOne = (await store.ledger.rollup({ bucket: 'hour', from: march1 + hour, to: march1 + 2 * hour })).filter((row) => !row.cacheHit);
    // r1 (cost 0.1, 100 input, latency 100) and r6 (cost 0.05, 30 input, latency 250, shadow 0.25 + 0.125) share every dimension.
    assert.deepEqual(hourOne.map((row) => [row.bucket, row.requests, row.inputTokens, row.costUsd, row.latencyMs, row.shadowAttempts, row.shadowCostUsd]), [
      [march1 + hour, 2, 130, 0.15, 350, 2, 0.375],
    ]);
    assert.deepEqual(await store.ledger.rollup({ bucket: 'day', from: march1 + 5 * day, to: march1 + 6 * day }), []);
    // r8 and r9 are shadow-mode router decisions: what they cost, and what the router's choices would have.
    const routed = (await store.ledger.rollup({ bucket: 'day', from: march1, to: march1 + day, route: 'smart' })).filter((row) => row.routerShadowRequests);
    assert.deepEqual(routed.map((row) => [row.routerShadowRequests, row.routerShadowCostUsd, row.routerShadowChoiceUsd]), [[2, 0.75, 0.1875]]);
  });

  datasetContract(it);
  responseContractCases(it);
  keyContractCases(it);
  auditContractCases(it);
  qualityContract(it, record);
  ledgerRetentionContract(it, record, attempt);
  it('evaluations: insert, get, list newest first, status updates, unknown ids', async (store) => {
    const first = evaluation('ev-1', march1);
    const second = evaluation('ev-2', march1 + hour);
    await store.evaluations.insert(first);
    await store.evaluations.insert(second);
    assert.deepEqual(await store.evaluations.get('ev-1'), first);
    assert.deepEqual((await store.evaluations.list()).map((row) => row.id), ['ev-2', 'ev-1']);
    assert.equal(await store.evaluations.setStatus('ev-1', { status: 'stopped', message: 'spend cap reached', updatedAt: march1 + day }), true);
    assert.deepEqual(await store.evaluations.get('ev-1'), { ...first, status: 'stopped', message: 'spend cap reached', updatedAt: march1 + day });
    assert.equal(await store.evaluations.setStatus('missing', { status: 'done', message: null, updatedAt: march1 }), false);
    assert.equal(await store.evaluations.get('missing'), undefined);
    await assert.rejects(store.evaluations.insert(first));
  });

  it('evaluations: a result is written once per (evaluation, item, candidate), listed by finish time', async (store) => {
    await store.evaluations.insert(evaluation('ev-1', march1));
    const late = result('item-1', 'cheap', march1 + 2 * hour);
    const early = result('item-2', 'cheap', march1 + hour);
    assert.equal(await store.evaluations.saveResult(late), true);
    assert.equal(await store.evaluations.saveResult(early), true);
    assert.equal(await store.evaluations.saveResult({ ...late, costUsd: 99 }), false);
    assert.equal(await store.evaluations.saveResult(result('item-1', '$baseline', march1 + 2 * hour)), true);
    assert.deepEqual(await store.evaluations.results('ev-1'), [early, result('item-1', '$baseline', march1 + 2 * hour), late]);
    assert.deepEqual(await store.evaluations.results('ev-other'), []);
  });

  if (target.persistent) {
    test('data survives closing and reopening', async () => {
      const place = await target.place();
      try {
        const first = await place.open();
        await first.keys.insert(key('k1'));
        await first.ledger.insertBatch([record('kept', { attempts: [attempt(1)] })]);
        await first.settings.set('theme', 'dark');
        const kept = { id: 'resp_kept', owner: { keyId: 'k1', team: null }, previousResponseId: null, createdAt: march1, response: { id: 'resp_kept' }, inputItems: [], carry: null };
        await first.responses.insert(kept);
        await first.close();
        const second = await place.open();
        try {
          assert.deepEqual(await second.keys.list(), [key('k1')]);
          assert.deepEqual(await second.ledger.count(), { requests: 1, attempts: 1 });
          assert.equal(await second.settings.get('theme'), 'dark');
          assert.deepEqual(await second.responses.get('resp_kept', { keyId: 'k1', team: null }, 0), kept);
        } finally {
          await second.close();
        }
      } finally {
        await place.dispose();
      }
    });
  }
}

for (const target of targets) describe(`store contract: ${target.name}`, () => contract(target));

describe('postgres driver specifics', () => {
  test('replicas starting at once migrate exactly once', async () => {
    const schema = await createTestSchema();
    try {
      const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(schema.url)));
      await Promise.all(stores.map((store) => store.close()));
      const versions = await queryTestSchema<{ version: number }>(schema, 'SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(versions.map((row) => row.version), postgresMigrations.map((_sql, index) => index + 1));
    } finally {
      await schema.drop();
    }
  });

  test('openStore picks the PostgreSQL driver for a postgres:// URL', async () => {
    const schema = await createTestSchema();
    try {
      const store = await openStore(schema.url, join(tmpdir(), 'unused.db'));
      await store.close();
      assert.equal(store.driver, 'postgres');
    } finally {
      await schema.drop();
    }
  });
});
