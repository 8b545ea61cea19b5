import assert from 'node:assert/strict';
import type { AttemptRecord, RequestRecord } from '../ledger/ledger-record.js';
import { rollupRecords } from '../reports/rollup-records.js';
import type { ContractCase } from './quality-contract.js';
import type { RollupRow } from './store.js';

const hour = 3_600_000;
const day = 24 * hour;
const march1 = Date.UTC(2025, 2, 1);
const february1 = Date.UTC(2025, 1, 1);

type RecordMaker = (id: string, overrides?: Partial<RequestRecord>) => RequestRecord;
type AttemptMaker = (number: number, overrides?: Partial<AttemptRecord>) => AttemptRecord;

const sorted = (rows: RollupRow[]) => [...rows].sort((left, right) => (JSON.stringify(left) < JSON.stringify(right) ? -1 : 1));

/** Retention and the rollup table, the same on every driver. */
export function ledgerRetentionContract(it: ContractCase, record: RecordMaker, attempt: AttemptMaker): void {
  it('ledger: deleteBefore removes older requests with their attempts, in several batches, and the hourly rollups stay', async (store) => {
    // More than one SQLite batch (2,000), spread over February at a request every 19 minutes.
    const old = Array.from({ length: 2_100 }, (_value, index) => {
      const startedAt = february1 + index * 19 * 60_000;
      return record(`old-${index}`, { startedAt, costUsd: 0.001, inputTokens: 3, customer: `c${index % 7}`, attempts: [attempt(1, { startedAt })], ...(index % 10 === 0 ? { tags: { batch: 'old' } } : {}) });
    });
    const recent = [0, 1, 2].map((index) => record(`new-${index}`, { startedAt: march1 + index * hour, costUsd: 0.5, attempts: [attempt(1, { startedAt: march1 + index * hour })] }));
    for (let start = 0; start < old.length; start += 500) await store.ledger.insertBatch(old.slice(start, start + 500));
    await store.ledger.insertBatch(recent);
    const query = { bucket: 'day' as const, from: february1, to: march1 };
    const rolledBefore = await store.ledger.rollup(query);
    assert.deepEqual(sorted(rolledBefore), sorted(rollupRecords(old, query)));

    assert.equal(await store.ledger.deleteBefore(march1), old.length);
    assert.deepEqual(await store.ledger.count(), { requests: 3, attempts: 3 });
    assert.equal(await store.ledger.get('old-0'), undefined);
    assert.equal((await store.ledger.get('new-0'))?.attempts.length, 1);
    assert.deepEqual(sorted(await store.ledger.rollup(query)), sorted(rolledBefore), 'the rollups of deleted requests remain');
    const usage = await store.ledger.usage({ groupBy: 'model', from: february1, to: march1 + day });
    assert.equal(usage[0]?.requests, old.length + recent.length, 'usage reads the rollups, so deleted requests still count');
    assert.equal(await store.ledger.deleteBefore(march1), 0);
  });

  it('ledger: the rollup table answers whole hours and raw requests the partial hours at either end', async (store) => {
    const records = [0, 1, 2, 3, 4, 5].map((index) => record(`r${index}`, { startedAt: march1 + index * 25 * 60_000, costUsd: 0.125 * (index + 1), outputTokens: index }));
    await store.ledger.insertBatch(records.slice(0, 3));
    await store.ledger.insertBatch(records.slice(3));
    for (const [from, to] of [[march1 + 10 * 60_000, march1 + 2 * hour + 1], [march1, march1 + hour], [march1 + 30 * 60_000, march1 + 40 * 60_000]] as Array<[number, number]>) {
      for (const bucket of ['hour', 'day'] as const) {
        assert.deepEqual(sorted(await store.ledger.rollup({ bucket, from, to })), sorted(rollupRecords(records, { bucket, from, to })), `${bucket} ${from}..${to}`);
      }
    }
  });
}
