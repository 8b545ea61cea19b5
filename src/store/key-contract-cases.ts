import assert from 'node:assert/strict';
import type { KeyRecord, Store } from './store.js';

/** Registers a contract case; the store it gets is fresh and empty. */
type Case = (name: string, work: (store: Store) => Promise<void>) => void;

const march1 = Date.UTC(2025, 2, 1);

function plainKey(id: string, overrides: Partial<KeyRecord> = {}): KeyRecord {
  return {
    id, name: `key ${id}`, hash: `hash-${id}`, prefix: `sy-${id}`, models: null, team: null, tags: {}, createdAt: march1, expiresAt: null,
    revokedAt: null, budget: null, rateLimit: null, role: null, previousHash: null, previousValidUntil: null, allowedCidrs: null, ...overrides,
  };
}

/** The same cases for every driver: admin roles, limit updates, rotation and allowed networks on keys. */
export function keyContractCases(it: Case): void {
  it('keys: an admin key keeps its role and allowed networks; get by id', async (store) => {
    const admin = plainKey('a1', { role: 'finance', allowedCidrs: ['10.0.0.0/8', '::1/128'] });
    await store.keys.insert(admin);
    await store.keys.insert(plainKey('c1'));
    assert.deepEqual(await store.keys.get('a1'), admin);
    assert.equal((await store.keys.get('c1'))?.role, null);
    assert.equal(await store.keys.get('missing'), undefined);
  });

  it('keys: update changes only the fields given, null clears, unknown ids give undefined', async (store) => {
    await store.keys.insert(plainKey('k1', { budget: { usd: 5, period: 'daily', hard: true } }));
    const limited = await store.keys.update('k1', { rateLimit: { rpm: 10 } });
    assert.deepEqual(limited?.budget, { usd: 5, period: 'daily', hard: true });
    assert.deepEqual(limited?.rateLimit, { rpm: 10 });
    const cleared = await store.keys.update('k1', { budget: null, allowedCidrs: ['192.0.2.0/24'] });
    assert.equal(cleared?.budget, null);
    assert.deepEqual(cleared?.allowedCidrs, ['192.0.2.0/24']);
    assert.deepEqual(await store.keys.get('k1'), cleared);
    assert.equal(await store.keys.update('missing', { budget: null }), undefined);
  });

  it('keys: rotate moves the hash to previous, both hashes find the key, a revoked key is not rotated', async (store) => {
    await store.keys.insert(plainKey('k1'));
    const rotated = await store.keys.rotate('k1', { hash: 'hash-new', prefix: 'sy-new', previousValidUntil: march1 + 1000 });
    assert.equal(rotated?.hash, 'hash-new');
    assert.equal(rotated?.prefix, 'sy-new');
    assert.equal(rotated?.previousHash, 'hash-k1');
    assert.equal(rotated?.previousValidUntil, march1 + 1000);
    assert.equal((await store.keys.findByHash('hash-k1'))?.id, 'k1');
    assert.equal((await store.keys.findByHash('hash-new'))?.id, 'k1');
    const twice = await store.keys.rotate('k1', { hash: 'hash-third', prefix: 'sy-third', previousValidUntil: march1 + 2000 });
    assert.equal(twice?.previousHash, 'hash-new');
    assert.equal(await store.keys.findByHash('hash-k1'), undefined);
    await store.keys.revoke('k1', march1);
    assert.equal(await store.keys.rotate('k1', { hash: 'hash-fourth', prefix: 'sy-4', previousValidUntil: march1 }), undefined);
    assert.equal(await store.keys.rotate('missing', { hash: 'hash-5', prefix: 'sy-5', previousValidUntil: march1 }), undefined);
  });
}
