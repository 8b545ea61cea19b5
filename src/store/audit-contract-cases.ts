import assert from 'node:assert/strict';
import type { NewAuditEntry } from './audit-store.js';
import type { Store } from './store.js';

/** Registers a contract case; the store it gets is fresh and empty. */
type Case = (name: string, work: (store: Store) => Promise<void>) => void;

const march1 = Date.UTC(2025, 2, 1);

function entry(at: number, overrides: Partial<NewAuditEntry> = {}): NewAuditEntry {
  return { at, actor: { id: 'key_admin', role: 'admin' }, action: 'key.create', target: 'key_1', clientAddress: '2001:db8::1', before: null, after: null, ...overrides };
}

/** The same cases for every driver: what an audit entry keeps, its order, filters and pages. */
export function auditContractCases(it: Case): void {
  it('audit: entries are kept as appended, with before and after JSON, newest first', async (store) => {
    const change = entry(march1, {
      action: 'key.update', actor: { id: 'key_fin', role: 'finance' }, clientAddress: '10.1.2.3',
      before: { budget: null, rateLimit: { rpm: 5 } }, after: { budget: { usd: 5, period: 'daily', hard: true, note: 'é 日本' }, rateLimit: { rpm: 5 } },
    });
    const first = await store.audit.append(change);
    const second = await store.audit.append(entry(march1 + 1, { target: null, clientAddress: null, actor: { id: 'system', role: 'system' }, action: 'config.reload' }));
    assert.ok(second.seq > first.seq);
    assert.deepEqual(await store.audit.list({ limit: 10 }), [second, { ...change, seq: first.seq }]);
  });

  it('audit: filters by actor, action or action prefix, and time; pages with beforeSeq and limit', async (store) => {
    const written = [];
    for (let index = 0; index < 7; index += 1) {
      written.push(await store.audit.append(entry(march1 + index * 1000, {
        actor: { id: index % 2 === 0 ? 'key_a' : 'key_b', role: 'admin' },
        action: ['key.create', 'key.revoke', 'customer.put', 'keystone.set'][index % 4] as string,
        target: `t${index}`,
      })));
    }
    const targets = (entries: Array<{ target: string | null }>) => entries.map((item) => item.target);
    assert.deepEqual(targets(await store.audit.list({ limit: 10, actorId: 'key_b' })), ['t5', 't3', 't1']);
    assert.deepEqual(targets(await store.audit.list({ limit: 10, action: 'key.revoke' })), ['t5', 't1']);
    assert.deepEqual(targets(await store.audit.list({ limit: 10, action: 'key.*' })), ['t5', 't4', 't1', 't0']);
    assert.deepEqual(targets(await store.audit.list({ limit: 10, from: march1 + 2000, to: march1 + 5000 })), ['t4', 't3', 't2']);
    const page1 = await store.audit.list({ limit: 3 });
    const page2 = await store.audit.list({ limit: 3, beforeSeq: page1.at(-1)?.seq as number });
    const page3 = await store.audit.list({ limit: 3, beforeSeq: page2.at(-1)?.seq as number });
    assert.deepEqual([...page1, ...page2, ...page3].map((item) => item.seq), written.map((item) => item.seq).reverse());
    assert.deepEqual(await store.audit.list({ limit: 10, actorId: 'nobody' }), []);
  });

  it('audit: the repository offers no way to change or remove an entry', async (store) => {
    assert.deepEqual(Object.keys(store.audit).sort(), ['append', 'list']);
  });
}
