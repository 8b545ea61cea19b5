import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startOpenAiSimulator, type OpenAiSimulator } from '../simulators/openai-simulator.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { adminJson, chat, createKey, send } from './capture-support.js';

interface UsageRow {
  group: string | null;
  requests: number;
  feedback?: Record<string, { type: string; count: number; rate?: number; mean?: number }>;
}

describe('feedback on served requests', () => {
  let simulator: OpenAiSimulator;
  let gateway: TestGateway;
  let agent: { id: string; key: string };
  let teammate: { id: string; key: string };
  let stranger: { id: string; key: string };

  before(async () => {
    simulator = await startOpenAiSimulator();
    gateway = await startTestGateway({
      providers: { sim: { type: 'openai', baseUrl: simulator.url } },
      models: { helper: { provider: 'sim' }, other: { provider: 'sim' } },
      routes: { desk: { strategy: 'fallback', targets: ['helper'] } },
      metrics: { resolved: { type: 'boolean' }, rating: { type: 'float', min: 1, max: 5 }, fix: { type: 'demonstration' } },
    });
    agent = await createKey(gateway, { name: 'agent', team: 'support' });
    teammate = await createKey(gateway, { name: 'teammate', team: 'support' });
    stranger = await createKey(gateway, { name: 'stranger', team: 'sales' });
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  const give = async (key: string, body: unknown) => {
    const response = await fetch(`${gateway.url}/v1/feedback`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { param: string; message: string } } };
  };

  test('a key gives feedback on its own request right after the answer; several per request are kept', async () => {
    const { id } = await send(gateway, '/v1/chat/completions', chat('helper', 'hello'), { key: agent.key });
    const first = await give(agent.key, { requestId: id, metric: 'resolved', value: false });
    assert.equal(first.status, 201);
    assert.equal(first.body.requestId, id);
    assert.equal((await give(agent.key, { requestId: id, metric: 'resolved', value: true, comment: 'second try worked' })).status, 201);
    assert.equal((await give(agent.key, { requestId: id, metric: 'rating', value: 4.5 })).status, 201);
    const fix = { text: 'Open the refund form.', toolCalls: [{ name: 'open_form', arguments: { form: 'refund' } }] };
    assert.equal((await give(agent.key, { requestId: id, metric: 'fix', value: fix })).status, 201);
    assert.equal((await give(agent.key, { requestId: id, metric: 'fix', value: 'Just say sorry.' })).status, 201);
    const stored = await gateway.running.gateway.store.feedback.listFor(id);
    assert.deepEqual(stored.map((item) => [item.metric, item.value, item.keyId]), [
      ['resolved', false, agent.id], ['resolved', true, agent.id], ['rating', 4.5, agent.id],
      ['fix', { text: 'Open the refund form.', toolCalls: [{ name: 'open_form', arguments: '{"form":"refund"}' }] }, agent.id], ['fix', { text: 'Just say sorry.' }, agent.id],
    ]);
    assert.equal(stored[1]?.comment, 'second try worked');
    const detail = await adminJson<{ feedback: Array<{ metric: string }> }>(gateway, `/admin/requests/${id}`);
    assert.equal(detail.body.feedback.length, 5);
  });

  test('a key of the same team may rate; another key gets 404 as if the request did not exist', async () => {
    const { id } = await send(gateway, '/v1/chat/completions', chat('helper', 'hello'), { key: agent.key });
    assert.equal((await give(teammate.key, { requestId: id, metric: 'resolved', value: true })).status, 201);
    const refused = await give(stranger.key, { requestId: id, metric: 'resolved', value: false });
    const missing = await give(stranger.key, { requestId: '0190c1d2-0000-7000-8000-000000000000', metric: 'resolved', value: false });
    assert.equal(refused.status, 404);
    assert.equal(missing.status, 404);
    assert.equal(refused.body.error?.param, 'requestId');
    assert.equal(refused.body.error?.message.replace(id, 'ID'), missing.body.error?.message.replace('0190c1d2-0000-7000-8000-000000000000', 'ID'));
    const teamless = await give(gateway.clientKey, { requestId: id, metric: 'resolved', value: false });
    assert.equal(teamless.status, 404);
    assert.equal((await gateway.running.gateway.store.feedback.listFor(id)).length, 1);
  });

  test('each bad input gets a 4xx naming the field', async () => {
    const { id } = await send(gateway, '/v1/chat/completions', chat('helper', 'hello'), { key: agent.key });
    const cases: Array<[unknown, number, string]> = [
      [[1, 2], 400, 'body'],
      [{ metric: 'resolved', value: true }, 400, 'requestId'],
      [{ requestId: 42, metric: 'resolved', value: true }, 400, 'requestId'],
      [{ requestId: id, metric: 'happiness', value: true }, 400, 'metric'],
      [{ requestId: id, value: true }, 400, 'metric'],
      [{ requestId: id, metric: 'resolved' }, 400, 'value'],
      [{ requestId: id, metric: 'resolved', value: 'yes' }, 400, 'value'],
      [{ requestId: id, metric: 'rating', value: '4' }, 400, 'value'],
      [{ requestId: id, metric: 'rating', value: 0.5 }, 400, 'value'],
      [{ requestId: id, metric: 'rating', value: 5.5 }, 400, 'value'],
      [{ requestId: id, metric: 'fix', value: 7 }, 400, 'value'],
      [{ requestId: id, metric: 'fix', value: { toolCalls: [] } }, 400, 'value.text'],
      [{ requestId: id, metric: 'fix', value: { text: 'x', toolCalls: [{ arguments: '{}' }] } }, 400, 'value.toolCalls[0].name'],
      [{ requestId: id, metric: 'fix', value: { text: 'x', toolCalls: [{ name: 'f', arguments: 3 }] } }, 400, 'value.toolCalls[0].arguments'],
      [{ requestId: id, metric: 'resolved', value: true, comment: 5 }, 400, 'comment'],
      [{ requestId: id, metric: 'resolved', value: true, comment: 'x'.repeat(4001) }, 400, 'comment'],
      [{ requestId: 'no-such-request', metric: 'resolved', value: true }, 404, 'requestId'],
    ];
    for (const [body, status, param] of cases) {
      const result = await give(agent.key, body);
      assert.equal(result.status, status, JSON.stringify(body).slice(0, 120));
      assert.equal(result.body.error?.param, param, JSON.stringify(body).slice(0, 120));
    }
    const notJson = await fetch(`${gateway.url}/v1/feedback`, { method: 'POST', headers: { authorization: `Bearer ${agent.key}`, 'content-type': 'application/json' }, body: '{' });
    assert.equal(notJson.status, 400);
    const noKey = await fetch(`${gateway.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requestId: id, metric: 'resolved', value: true }) });
    assert.equal(noKey.status, 401);
    assert.equal((await gateway.running.gateway.store.feedback.listFor(id)).length, 0);
  });

  test('usage rows carry feedback rates per model and per route: share of true, mean rating, counts', async () => {
    const rate = async (model: string, resolved: boolean | undefined, rating: number | undefined) => {
      const { id } = await send(gateway, '/v1/chat/completions', chat(model, 'hello'), { key: agent.key });
      if (resolved !== undefined) assert.equal((await give(agent.key, { requestId: id, metric: 'resolved', value: resolved })).status, 201);
      if (rating !== undefined) assert.equal((await give(agent.key, { requestId: id, metric: 'rating', value: rating })).status, 201);
    };
    await rate('other', true, 5);
    await rate('other', false, 2);
    await rate('other', true, undefined);
    await rate('other', undefined, undefined);
    await rate('desk', false, 3);
    const byModel = await adminJson<{ rows: UsageRow[] }>(gateway, '/admin/usage?groupBy=model');
    const other = byModel.body.rows.find((row) => row.group === 'other');
    assert.equal(other?.requests, 4);
    assert.deepEqual(other?.feedback, { resolved: { type: 'boolean', count: 3, rate: 0.666667 }, rating: { type: 'float', count: 2, mean: 3.5 } });
    const byRoute = await adminJson<{ rows: UsageRow[] }>(gateway, '/admin/usage?groupBy=route');
    assert.deepEqual(byRoute.body.rows.find((row) => row.group === 'desk')?.feedback, { resolved: { type: 'boolean', count: 1, rate: 0 }, rating: { type: 'float', count: 1, mean: 3 } });
  });
});
