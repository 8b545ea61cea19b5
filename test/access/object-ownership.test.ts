import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startOpenAiSimulator, type OpenAiSimulator } from '../simulators/openai-simulator.js';
import { chat, createKey, send } from '../quality/capture-support.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

type ErrorBody = { error: { message: string; code: string; param: string | null } };

async function as(gateway: TestGateway, key: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } });
  return { status: response.status, body: await response.json() };
}

/** The error with the id asked for taken out, so a refusal can be compared with the answer for an unknown id. */
function withoutId(body: unknown, id: string): unknown {
  return JSON.parse(JSON.stringify(body).replaceAll(id, '<id>'));
}

describe('a client key reads only what it owns', () => {
  let simulator: OpenAiSimulator;
  let gateway: TestGateway;
  let alice: { id: string; key: string };
  let bob: { id: string; key: string };
  let aliceRequest: string;
  let aliceResponse: string;

  before(async () => {
    simulator = await startOpenAiSimulator();
    gateway = await startTestGateway({
      providers: { sim: { type: 'openai', baseUrl: simulator.url } },
      models: { house: { provider: 'sim', capture: { sample: 1 } } },
      metrics: { resolved: { type: 'boolean' } },
    });
    alice = await createKey(gateway, { name: 'alice' });
    bob = await createKey(gateway, { name: 'bob' });
    aliceRequest = (await send(gateway, '/v1/chat/completions', chat('house', 'alice private question'), { key: alice.key })).id;
    await send(gateway, '/v1/chat/completions', chat('house', 'bob question'), { key: bob.key });
    await send(gateway, '/v1/chat/completions', chat('house', 'bob again'), { key: bob.key });
    const created = await as(gateway, alice.key, '/v1/responses', { method: 'POST', body: JSON.stringify({ model: 'house', input: 'alice stored answer' }) });
    assert.equal(created.status, 200);
    aliceResponse = (created.body as { id: string }).id;
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  test("another key's stored response answers exactly as an unknown id, on every verb", async () => {
    const unknown = 'resp_0000000000000000000000000000';
    for (const [path, method] of [[`/v1/responses/${aliceResponse}`, 'GET'], [`/v1/responses/${aliceResponse}/input_items`, 'GET'], [`/v1/responses/${aliceResponse}`, 'DELETE']] as const) {
      const refused = await as(gateway, bob.key, path, { method });
      const missing = await as(gateway, bob.key, path.replace(aliceResponse, unknown), { method });
      assert.equal(refused.status, 404, `${method} ${path}`);
      assert.deepEqual(withoutId(refused.body, aliceResponse), withoutId(missing.body, unknown));
    }
    assert.equal((await as(gateway, alice.key, `/v1/responses/${aliceResponse}`)).status, 200, 'the owner still reads it after the refusals');
  });

  test("feedback on another key's request answers exactly as an unknown request, and stores nothing", async () => {
    const unknown = '0190c1d2-0000-7000-8000-000000000000';
    const feedback = (requestId: string) => as(gateway, bob.key, '/v1/feedback', { method: 'POST', body: JSON.stringify({ requestId, metric: 'resolved', value: false }) });
    const refused = await feedback(aliceRequest);
    const missing = await feedback(unknown);
    assert.equal(refused.status, 404);
    assert.deepEqual(withoutId(refused.body, aliceRequest), withoutId(missing.body, unknown));
    assert.deepEqual(await gateway.running.gateway.store.feedback.listFor(aliceRequest), []);
  });

  test('GET /v1/usage counts only the calling key', async () => {
    const bobUsage = await as(gateway, bob.key, '/v1/usage?groupBy=model');
    assert.equal(bobUsage.status, 200);
    const body = bobUsage.body as { keyId: string; rows: Array<{ group: string; requests: number }> };
    assert.equal(body.keyId, bob.id);
    assert.deepEqual(body.rows.map((row) => [row.group, row.requests]), [['house', 2]]);
    const aliceRows = (await as(gateway, alice.key, '/v1/usage?groupBy=model')).body as { rows: Array<{ requests: number }> };
    assert.equal(aliceRows.rows[0]?.requests, 2, 'the chat and the stored response');
    const bad = await as(gateway, bob.key, '/v1/usage?groupBy=key');
    assert.equal(bad.status, 400);
    assert.equal((bad.body as ErrorBody).error.param, 'groupBy');
  });

  test('request records are reachable only through admin routes, which refuse client keys', async () => {
    for (const path of ['/admin/requests', `/admin/requests/${aliceRequest}`, '/admin/usage?groupBy=key']) {
      const refused = await as(gateway, bob.key, path);
      assert.equal(refused.status, 403, path);
      assert.doesNotMatch(JSON.stringify(refused.body), /alice private question/);
    }
  });

  test('finance and viewer keys see a request record without its captured bodies; the admin role sees them', async () => {
    const viewer = await createKey(gateway, { name: 'viewer', role: 'viewer' });
    const finance = await createKey(gateway, { name: 'finance', role: 'finance' });
    for (const key of [viewer.key, finance.key]) {
      const detail = await as(gateway, key, `/admin/requests/${aliceRequest}`);
      assert.equal(detail.status, 200);
      const capture = (detail.body as { capture: Record<string, unknown> }).capture;
      assert.equal(capture.bodies, true, 'the summary says bodies were captured');
      assert.equal(capture.request, undefined);
      assert.equal(capture.answer, undefined);
      assert.doesNotMatch(JSON.stringify(detail.body), /alice private question/);
    }
    const full = await gateway.admin(`/admin/requests/${aliceRequest}`);
    assert.match(await full.text(), /alice private question/);
  });
});
