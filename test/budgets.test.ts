import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { testRedisUrl } from '../src/limits/redis-test-server.js';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { spawnGateway, type SpawnedGateway } from './support/spawn-gateway.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

// Price $1 in / $2 out per 1M tokens; a request with max_tokens 100 and a 5-character prompt reserves
// 2 input tokens x $1 + 100 output tokens x $2 = $0.000202, and really costs 10 x $1 + 2 x $1 + 7 x $2 = $0.000026.
const reservation = 0.000202;
const budgetUsd = 10 * reservation;

async function fire(url: string, key: string, count: number, model = 'house'): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  await Promise.all(Array.from({ length: count }, async () => {
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, max_tokens: 100, messages: [{ role: 'user', content: 'hello' }] }),
    });
    const body = await response.text();
    if (response.status === 429) assert.match(body, /budget_exceeded|rate_limited/);
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  }));
  return statuses;
}

describe('a hard budget holds under 200 concurrent requests in one process', () => {
  let simulator: OpenAiSimulator;
  let gateway: TestGateway;
  let key: string;

  before(async () => {
    simulator = await startOpenAiSimulator();
    simulator.behave({ kind: 'slow', delayMs: 50 });
    gateway = await startTestGateway({
      providers: { sim: { type: 'openai', baseUrl: simulator.url } },
      models: { house: { provider: 'sim', price: { input: 1, output: 2 } }, limited: { provider: 'sim', price: { input: 1, output: 2 }, rateLimit: { rpm: 5 } } },
      teams: { growth: { budget: { usd: budgetUsd, period: 'daily', hard: true } } },
    });
    const created = await gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'growth-app', team: 'growth' }) });
    key = ((await created.json()) as { key: string }).key;
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  test('spend stays within the budget and the rest are refused with budget_exceeded', async () => {
    const statuses = await fire(gateway.url, key, 200);
    const served = statuses.get(200) ?? 0;
    assert.equal(served + (statuses.get(429) ?? 0), 200);
    assert.ok(served >= 10, `served ${served}`);
    const usage = (await (await gateway.admin('/admin/usage?groupBy=team')).json()) as { rows: Array<{ group: string; costUsd: number; requests: number }> };
    const spent = usage.rows.find((row) => row.group === 'growth')?.costUsd ?? 0;
    assert.ok(spent <= budgetUsd + 1e-12, `spent ${spent} of ${budgetUsd}`);
    assert.ok(Math.abs(spent - served * 0.000026) < 1e-9, 'only served requests cost money');
  });

  test('a key budget from POST /admin/keys and a customer budget from PUT /admin/customers hold the same way', async () => {
    const created = await gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'capped', budget: { usd: budgetUsd, period: 'monthly', hard: true }, rateLimit: { rpm: 600 } }) });
    assert.equal(created.status, 201);
    const capped = (await created.json()) as { id: string; key: string; budget: unknown };
    assert.deepEqual(capped.budget, { usd: budgetUsd, period: 'monthly', hard: true });
    const byKey = await fire(gateway.url, capped.key, 100);
    assert.ok((byKey.get(429) ?? 0) > 0 && (byKey.get(200) ?? 0) >= 10);
    const keyRows = (await (await gateway.admin('/admin/usage?groupBy=key')).json()) as { rows: Array<{ group: string; costUsd: number }> };
    assert.ok((keyRows.rows.find((row) => row.group === capped.id)?.costUsd ?? 0) <= budgetUsd + 1e-12);

    assert.equal((await gateway.admin('/admin/customers/acme', { method: 'PUT', body: JSON.stringify({ budget: { usd: budgetUsd, period: 'daily', hard: true } }) })).status, 201);
    const statuses = new Map<number, number>();
    await Promise.all(Array.from({ length: 100 }, async () => {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json', 'x-switchyard-customer': 'acme' },
        body: JSON.stringify({ model: 'house', max_tokens: 100, messages: [{ role: 'user', content: 'hello' }] }),
      });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }));
    assert.ok((statuses.get(429) ?? 0) > 0);
    const customerRows = (await (await gateway.admin('/admin/usage?groupBy=customer')).json()) as { rows: Array<{ group: string; costUsd: number }> };
    assert.ok((customerRows.rows.find((row) => row.group === 'acme')?.costUsd ?? 0) <= budgetUsd + 1e-12);

    const bad = await gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'bad', budget: { usd: -1, period: 'weekly' } }) });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { param: string } }).error.param, /^budget\./);
  });

  test('a model rate limit admits exactly its rpm and answers 429 with Retry-After', async () => {
    const statuses = await fire(gateway.url, gateway.clientKey, 12, 'limited');
    assert.equal(statuses.get(200), 5);
    assert.equal(statuses.get(429), 7);
    const refused = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'limited', messages: [{ role: 'user', content: 'x' }] }),
    });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  });
});

describe('one budget and one rate limit hold across two gateway processes sharing Redis', () => {
  let simulator: OpenAiSimulator;
  const gateways: SpawnedGateway[] = [];
  const folders: string[] = [];

  before(async () => {
    simulator = await startOpenAiSimulator();
    simulator.behave({ kind: 'slow', delayMs: 50 });
  });

  after(async () => {
    for (const gateway of gateways) if (gateway.process.exitCode === null) gateway.process.kill('SIGKILL');
    await simulator.close();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  test('200 requests split over both processes overspend neither the shared budget nor the shared rate limit', async () => {
    const redis = await testRedisUrl();
    const team = `shared-${randomBytes(4).toString('hex')}`;
    const model = `capped-${randomBytes(4).toString('hex')}`;
    const config = [
      `redis: "${redis}"`,
      'providers:',
      `  sim: { type: openai, baseUrl: "${simulator.url}" }`,
      'models:',
      '  house: { provider: sim, price: { input: 1, output: 2 } }',
      `  ${model}: { provider: sim, model: house, price: { input: 1, output: 2 }, rateLimit: { rpm: 7 } }`,
      'teams:',
      `  ${team}: { budget: { usd: ${budgetUsd}, period: daily, hard: true } }`,
    ].join('\n');
    const keys: string[] = [];
    // Keys outside the team for the rate-limit part, so that a spent team budget cannot refuse what the limit admits.
    const freeKeys: string[] = [];
    for (let index = 0; index < 2; index += 1) {
      const folder = mkdtempSync(join(tmpdir(), 'switchyard-replica-'));
      folders.push(folder);
      writeFileSync(join(folder, 'switchyard.yaml'), config);
      const gateway = await spawnGateway([], { SWITCHYARD_ADMIN_KEY: 'replica-admin' }, folder);
      gateways.push(gateway);
      const created = await fetch(`${gateway.url}/admin/keys`, { method: 'POST', headers: { authorization: 'Bearer replica-admin' }, body: JSON.stringify({ name: 'app', team }) });
      keys.push(((await created.json()) as { key: string }).key);
      const free = await fetch(`${gateway.url}/admin/keys`, { method: 'POST', headers: { authorization: 'Bearer replica-admin' }, body: JSON.stringify({ name: 'free' }) });
      freeKeys.push(((await free.json()) as { key: string }).key);
    }
    const [first, second] = await Promise.all([fire(gateways[0]!.url, keys[0]!, 100), fire(gateways[1]!.url, keys[1]!, 100)]);
    const served = (first.get(200) ?? 0) + (second.get(200) ?? 0);
    const limited = await Promise.all([fire(gateways[0]!.url, freeKeys[0]!, 10, model), fire(gateways[1]!.url, freeKeys[1]!, 10, model)]);
    for (const gateway of gateways) gateway.process.kill('SIGTERM');
    for (const gateway of gateways) assert.equal(await gateway.exited, 0);
    let spent = 0;
    for (const folder of folders) {
      const database = new Database(join(folder, '.switchyard', 'switchyard.db'), { readonly: true });
      spent += (database.prepare('SELECT COALESCE(SUM(cost_usd), 0) AS total FROM requests WHERE team = ? AND requested_model = ?').get(team, 'house') as { total: number }).total;
      database.close();
    }
    assert.ok(served >= 10, `served ${served}`);
    assert.ok(spent <= budgetUsd + 1e-12, `two replicas spent ${spent} of one budget ${budgetUsd}`);
    assert.equal((limited[0].get(200) ?? 0) + (limited[1].get(200) ?? 0), 7, 'one rpm limit across both replicas');
  });
});

describe('one budget and one rate limit hold across the workers of one gateway without Redis', () => {
  test('switchyard start --workers 2 shares its counters through the primary', async () => {
    const simulator = await startOpenAiSimulator();
    simulator.behave({ kind: 'slow', delayMs: 50 });
    const folder = mkdtempSync(join(tmpdir(), 'switchyard-workers-'));
    writeFileSync(join(folder, 'switchyard.yaml'), [
      'providers:',
      `  sim: { type: openai, baseUrl: "${simulator.url}" }`,
      'models:',
      '  house: { provider: sim, price: { input: 1, output: 2 } }',
      '  capped: { provider: sim, model: house, price: { input: 1, output: 2 }, rateLimit: { rpm: 7 } }',
      'teams:',
      `  growth: { budget: { usd: ${budgetUsd}, period: daily, hard: true } }`,
    ].join('\n'));
    const gateway = await spawnGateway(['--workers', '2'], { SWITCHYARD_ADMIN_KEY: 'workers-admin' }, folder);
    try {
      const created = await fetch(`${gateway.url}/admin/keys`, { method: 'POST', headers: { authorization: 'Bearer workers-admin' }, body: JSON.stringify({ name: 'app', team: 'growth' }) });
      const { key } = (await created.json()) as { key: string };
      const free = await fetch(`${gateway.url}/admin/keys`, { method: 'POST', headers: { authorization: 'Bearer workers-admin' }, body: JSON.stringify({ name: 'free' }) });
      const freeKey = ((await free.json()) as { key: string }).key;
      const statuses = await fire(gateway.url, key, 200);
      const limited = await fire(gateway.url, freeKey, 20, 'capped');
      gateway.process.kill('SIGTERM');
      assert.equal(await gateway.exited, 0, gateway.output());
      const database = new Database(join(folder, '.switchyard', 'switchyard.db'), { readonly: true });
      const spent = (database.prepare("SELECT COALESCE(SUM(cost_usd), 0) AS total FROM requests WHERE team = 'growth' AND requested_model = 'house'").get() as { total: number }).total;
      const recorded = (database.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n;
      database.close();
      assert.ok((statuses.get(200) ?? 0) >= 10);
      assert.ok(spent <= budgetUsd + 1e-12, `two workers spent ${spent} of one budget ${budgetUsd}`);
      assert.equal(limited.get(200), 7, 'one rpm limit across both workers');
      assert.equal(recorded, 220, 'every request of both workers reached the ledger');
    } finally {
      if (gateway.process.exitCode === null) gateway.process.kill('SIGKILL');
      await simulator.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('a soft budget alerts by webhook and never refuses', () => {
  test('crossing 50% and 100% posts one alert each; every request is served', async () => {
    const simulator = await startOpenAiSimulator();
    const alerts: Array<Record<string, unknown>> = [];
    const { createServer } = await import('node:http');
    const hook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        alerts.push(JSON.parse(body) as Record<string, unknown>);
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const port = (hook.address() as { port: number }).port;
    // Each request really costs $0.000026; a soft budget of $0.0001 is crossed at half by the 2nd and in full by the 4th.
    const gateway = await startTestGateway({
      providers: { sim: { type: 'openai', baseUrl: simulator.url } },
      models: { house: { provider: 'sim', price: { input: 1, output: 2 } } },
      alerts: { webhookUrl: `http://127.0.0.1:${port}/budget` },
    });
    try {
      const created = await gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'soft', budget: { usd: 0.0001, period: 'monthly', hard: false, alertAt: [0.5, 1] } }) });
      const { key, id } = (await created.json()) as { key: string; id: string };
      for (let index = 0; index < 6; index += 1) {
        const statuses = await fire(gateway.url, key, 1);
        assert.equal(statuses.get(200), 1, 'a soft budget never refuses');
      }
      for (let poll = 0; poll < 50 && alerts.length < 2; poll += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(alerts.map((alert) => [alert.type, alert.kind, alert.id, alert.threshold, alert.hard]), [
        ['budget.threshold', 'key', id, 0.5, false],
        ['budget.threshold', 'key', id, 1, false],
      ]);
    } finally {
      await gateway.stop();
      await simulator.close();
      hook.close();
    }
  });
});
