import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordSystemAudit } from '../../src/server/admin/audit-trail.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

interface Entry {
  seq: number;
  at: string;
  actor: { id: string; role: string };
  action: string;
  target: string | null;
  clientAddress: string | null;
  before: unknown;
  after: unknown;
}

async function as(gateway: TestGateway, key: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) } });
}

async function audit(gateway: TestGateway, query = ''): Promise<{ data: Entry[]; nextCursor: string | null }> {
  const response = await gateway.admin(`/admin/audit${query}`);
  assert.equal(response.status, 200);
  return (await response.json()) as { data: Entry[]; nextCursor: string | null };
}

describe('the audit log', () => {
  let gateway: TestGateway;
  let financeId: string;
  let financeKey: string;
  let clientId: string;
  const startedAt = Date.now();

  before(async () => {
    gateway = await startTestGateway({ providers: { sim: { type: 'openai', baseUrl: 'http://127.0.0.1:9', apiKey: 'k' } }, models: { house: { provider: 'sim' } } });
    const finance = (await (await gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'books', role: 'finance' }) })).json()) as { id: string; key: string };
    financeId = finance.id;
    financeKey = finance.key;
    const client = (await (await gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'app' }) })).json()) as { id: string };
    clientId = client.id;
    assert.equal((await as(gateway, financeKey, `/admin/keys/${clientId}`, { method: 'PATCH', body: JSON.stringify({ budget: { usd: 5, period: 'monthly', hard: true } }) })).status, 200);
    assert.equal((await as(gateway, financeKey, `/admin/keys/${clientId}`, { method: 'PATCH', body: JSON.stringify({ budget: { usd: 9, period: 'monthly', hard: true }, rateLimit: { rpm: 60 } }) })).status, 200);
    assert.equal((await as(gateway, financeKey, '/admin/customers/acme', { method: 'PUT', body: JSON.stringify({ budget: { usd: 100, period: 'monthly', hard: false } }) })).status, 201);
    assert.equal((await as(gateway, financeKey, '/admin/customers/acme', { method: 'PUT', body: JSON.stringify({ budget: { usd: 150, period: 'monthly', hard: false } }) })).status, 200);
    assert.equal((await as(gateway, financeKey, '/admin/revenue', { method: 'POST', body: JSON.stringify({ rows: [{ customer: 'acme', period: '2026-11', usd: 1000 }, { customer: 'globex', period: '2026-11', usd: 400 }] }) })).status, 200);
    assert.equal((await gateway.admin(`/admin/keys/${clientId}/rotate`, { method: 'POST' })).status, 200);
    const line = JSON.stringify({ messages: [{ role: 'user', content: 'Hi?' }, { role: 'assistant', content: 'Hello.' }] });
    assert.equal((await gateway.admin('/admin/datasets?name=support', { method: 'POST', headers: { 'content-type': 'application/jsonl' }, body: line })).status, 201);
    assert.equal((await gateway.admin('/admin/datasets/support', { method: 'DELETE' })).status, 200);
    assert.equal((await gateway.admin(`/admin/keys/${clientId}`, { method: 'DELETE' })).status, 200);
  });

  after(async () => {
    await gateway.stop();
  });

  test('records each action with who, from where and when, newest first', async () => {
    const { data } = await audit(gateway);
    assert.deepEqual(data.map((entry) => [entry.action, entry.actor.role]), [
      ['key.revoke', 'admin'], ['dataset.delete', 'admin'], ['key.rotate', 'admin'], ['revenue.import', 'finance'],
      ['customer.put', 'finance'], ['customer.put', 'finance'], ['key.update', 'finance'], ['key.update', 'finance'],
      ['key.create', 'admin'], ['key.create', 'admin'], ['key.create', 'admin'],
    ]);
    for (const entry of data) {
      assert.equal(entry.clientAddress, '127.0.0.1');
      assert.ok(Date.parse(entry.at) >= startedAt - 1000 && Date.parse(entry.at) <= Date.now());
      assert.equal(entry.actor.id, entry.actor.role === 'finance' ? financeId : 'bootstrap');
    }
    assert.deepEqual(data.find((entry) => entry.action === 'dataset.delete')?.after, { version: 'all', deletedVersions: 1 });
    assert.deepEqual(data.find((entry) => entry.action === 'revenue.import')?.after, { imported: 2, customers: 2, periods: ['2026-11'] });
    assert.doesNotMatch(JSON.stringify(data), /sy-[A-Za-z0-9_-]{20,}/, 'no secret is written to the log');
  });

  test('changes to budgets and limits keep the state before and after', async () => {
    const updates = (await audit(gateway, '?action=key.update')).data;
    assert.deepEqual(updates.map((entry) => [entry.target, entry.before, entry.after]), [
      [clientId, { budget: { usd: 5, period: 'monthly', hard: true }, rateLimit: null, allowedCidrs: null }, { budget: { usd: 9, period: 'monthly', hard: true }, rateLimit: { rpm: 60 }, allowedCidrs: null }],
      [clientId, { budget: null, rateLimit: null, allowedCidrs: null }, { budget: { usd: 5, period: 'monthly', hard: true }, rateLimit: null, allowedCidrs: null }],
    ]);
    const customers = (await audit(gateway, '?action=customer.put')).data;
    assert.equal((customers[0]?.before as { budget: { usd: number } }).budget.usd, 100);
    assert.equal((customers[0]?.after as { budget: { usd: number } }).budget.usd, 150);
    assert.equal(customers[1]?.before, null, 'the first put created the customer');
  });

  test('filters by actor, action prefix and time, and pages through everything with the cursor', async () => {
    assert.deepEqual((await audit(gateway, `?actor=${financeId}`)).data.map((entry) => entry.action), ['revenue.import', 'customer.put', 'customer.put', 'key.update', 'key.update']);
    assert.deepEqual((await audit(gateway, '?action=key.*')).data.map((entry) => entry.action), ['key.revoke', 'key.rotate', 'key.update', 'key.update', 'key.create', 'key.create', 'key.create']);
    assert.deepEqual((await audit(gateway, `?to=${startedAt - 1}`)).data, []);
    const everything = (await audit(gateway)).data;
    const paged: Entry[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await audit(gateway, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.data.length <= 3);
      paged.push(...page.data);
      cursor = page.nextCursor;
    }
    assert.deepEqual(paged, everything);
  });

  test('a refused or failed action writes nothing', async () => {
    const count = (await audit(gateway)).data.length;
    assert.equal((await as(gateway, financeKey, '/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'nope' }) })).status, 403);
    assert.equal((await gateway.admin('/admin/keys/key_missing', { method: 'DELETE' })).status, 404);
    assert.equal((await gateway.admin('/admin/revenue', { method: 'POST', body: JSON.stringify({ rows: [{ customer: 'acme', period: 'November', usd: 1 }] }) })).status, 400);
    assert.equal((await audit(gateway)).data.length, count);
  });

  test('bad filters get 400 naming the parameter', async () => {
    for (const [query, param] of [['?limit=0', 'limit'], ['?limit=501', 'limit'], ['?cursor=abc', 'cursor'], ['?from=yesterday', 'from'], ["?action=key.create'", 'action']]) {
      const response = await gateway.admin(`/admin/audit${query}`);
      assert.equal(response.status, 400, query);
      assert.equal(((await response.json()) as { error: { param: string } }).error.param, param);
    }
  });

  test('the gateway can record its own actions, such as a configuration reload, through the hook', async () => {
    await recordSystemAudit(gateway.running.gateway.store, { action: 'config.reload', target: 'switchyard.yaml', before: { models: 1 }, after: { models: 2 } });
    const [entry] = (await audit(gateway, '?action=config.reload')).data;
    assert.deepEqual([entry?.actor, entry?.target, entry?.clientAddress, entry?.after], [{ id: 'system', role: 'system' }, 'switchyard.yaml', null, { models: 2 }]);
  });
});
