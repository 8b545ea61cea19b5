import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gatewayCaptureReader } from '../../src/quality/capture-reader.js';
import { startOpenAiSimulator, type OpenAiSimulator } from '../simulators/openai-simulator.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { adminJson, chat, createKey, send } from './capture-support.js';

interface Listed {
  id: string;
  requestedModel: string;
  keyId: string;
  status: number;
  tags: Record<string, string>;
  capture: { redacted: boolean; bodies: boolean } | null;
  feedback: Record<string, unknown>;
}

interface Page {
  data: Listed[];
  nextCursor: string | null;
}

describe('request tags and the request log API', () => {
  let simulator: OpenAiSimulator;
  let gateway: TestGateway;
  let other: { id: string; key: string };
  const sent: Array<{ id: string; model: string; key: 'main' | 'other'; tags?: string; status: number }> = [];

  before(async () => {
    simulator = await startOpenAiSimulator();
    gateway = await startTestGateway({
      providers: { sim: { type: 'openai', baseUrl: simulator.url } },
      models: { alpha: { provider: 'sim', capture: {} }, beta: { provider: 'sim' } },
      metrics: { resolved: { type: 'boolean' }, rating: { type: 'float', min: 1, max: 5 } },
    });
    other = await createKey(gateway, { name: 'other-app' });
    const plan: Array<{ model: string; key: 'main' | 'other'; tags?: string }> = [];
    for (let index = 0; index < 23; index += 1) {
      plan.push({ model: index % 2 === 0 ? 'alpha' : 'beta', key: index % 3 === 0 ? 'other' : 'main', ...(index % 4 === 0 ? { tags: `flow=refund,step=${index}` } : index % 4 === 1 ? { tags: 'flow=login' } : {}) });
    }
    for (const item of plan) {
      const result = await send(gateway, '/v1/chat/completions', chat(item.model, 'hello'), { key: item.key === 'other' ? other.key : gateway.clientKey, headers: item.tags ? { 'x-switchyard-tags': item.tags } : {} });
      sent.push({ ...item, id: result.id, status: result.status });
    }
    sent.push({ model: 'missing-model', key: 'main', id: (await send(gateway, '/v1/chat/completions', chat('missing-model', 'hello'))).id, status: 404 });
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  async function walk(query: string, limit: number): Promise<Listed[]> {
    const rows: Listed[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages += 1) {
      const page: { status: number; body: Page } = await adminJson<Page>(gateway, `/admin/requests?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(page.status, 200);
      assert.ok(page.body.data.length <= limit);
      rows.push(...page.body.data);
      cursor = page.body.nextCursor;
      if (!cursor) return rows;
    }
    throw new Error('the cursor never ended');
  }

  test('tags from the header are stored on the ledger record of every request', async () => {
    const tagged = sent.find((item) => item.tags === 'flow=login');
    const detail = await adminJson<{ tags: Record<string, string>; attempts: unknown[] }>(gateway, `/admin/requests/${tagged?.id}`);
    assert.deepEqual(detail.body.tags, { flow: 'login' });
    assert.equal(detail.body.attempts.length, 1);
  });

  test('bad tag headers are refused with 400 naming the header', async () => {
    const cases = ['flow', 'flow=', '=x', 'a=1,a=2', 'bad key=1', `k=${'v'.repeat(200)}`, Array.from({ length: 17 }, (_, index) => `t${index}=v`).join(','), 'k=v;drop'];
    for (const header of cases) {
      const result = await send(gateway, '/v1/chat/completions', chat('alpha', 'hello'), { headers: { 'x-switchyard-tags': header } });
      assert.equal(result.status, 400, header);
      const error = (JSON.parse(result.text) as { error: { param: string; message: string } }).error;
      assert.equal(error.param, 'x-switchyard-tags', header);
      assert.match(error.message, /x-switchyard-tags/);
    }
    const embeddings = await send(gateway, '/v1/embeddings', { model: 'alpha', input: 'x' }, { headers: { 'x-switchyard-tags': 'no-equals' } });
    assert.equal(embeddings.status, 400);
  });

  test('the cursor walks every request once, newest first, whatever the page size', async () => {
    const everything = await walk('', 200);
    assert.ok(everything.length >= sent.length);
    for (const size of [1, 5, 7]) {
      const walked = await walk('', size);
      assert.deepEqual(walked.map((row) => row.id), everything.map((row) => row.id), `page size ${size}`);
      assert.equal(new Set(walked.map((row) => row.id)).size, walked.length, 'no duplicates');
    }
    // Request ids are time-ordered, so newest first is descending id order here.
    const ours = everything.filter((row) => sent.some((item) => item.id === row.id)).map((row) => row.id);
    assert.deepEqual(ours, [...sent.map((item) => item.id)].reverse());
  });

  test('filters: model, key, status, tag and capture', async () => {
    const ids = (rows: Listed[]) => rows.map((row) => row.id).sort();
    const expect = (keep: (item: (typeof sent)[number]) => boolean) => sent.filter(keep).map((item) => item.id).sort();
    assert.deepEqual(ids(await walk('&model=beta', 4)), expect((item) => item.model === 'beta'));
    assert.deepEqual(ids(await walk(`&key=${other.id}`, 4)), expect((item) => item.key === 'other'));
    assert.deepEqual(ids(await walk('&status=404', 4)), expect((item) => item.status === 404));
    assert.ok((await walk('&status=error', 50)).every((row) => row.status >= 400));
    assert.deepEqual(ids(await walk('&tag=flow%3Drefund', 2)), expect((item) => item.tags?.startsWith('flow=refund') === true));
    assert.deepEqual(ids(await walk('&tag=flow%3Drefund&tag=step%3D4', 2)), expect((item) => item.tags === 'flow=refund,step=4'));
    assert.deepEqual(ids(await walk('&model=alpha&bodies=true', 3)), expect((item) => item.model === 'alpha' && item.status === 200));
    const alpha = (await walk('&model=alpha', 200)).filter((row) => sent.some((item) => item.id === row.id));
    assert.equal(alpha.length, expect((item) => item.model === 'alpha').length);
    assert.ok(alpha.every((row) => row.capture !== null && row.capture.bodies && !row.capture.redacted));
    assert.ok((await walk('&model=beta', 200)).every((row) => row.capture === null));
    const now = Date.now();
    assert.deepEqual(await walk(`&from=${now + 60_000}`, 10), []);
    assert.equal((await walk(`&to=${new Date(now + 60_000).toISOString()}&model=beta`, 200)).length, expect((item) => item.model === 'beta').length);
  });

  test('filter by feedback: the latest value per metric', async () => {
    const [first, second] = sent.filter((item) => item.key === 'main' && item.status === 200);
    const give = (requestId: string, metric: string, value: unknown) =>
      fetch(`${gateway.url}/v1/feedback`, { method: 'POST', headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ requestId, metric, value }) });
    assert.equal((await give(first?.id as string, 'resolved', false)).status, 201);
    assert.equal((await give(first?.id as string, 'resolved', true)).status, 201);
    assert.equal((await give(second?.id as string, 'resolved', false)).status, 201);
    assert.equal((await give(second?.id as string, 'rating', 2)).status, 201);
    assert.deepEqual((await walk('&feedback=resolved%3Dtrue', 10)).map((row) => row.id), [first?.id]);
    assert.deepEqual((await walk('&feedback=resolved%3Dfalse', 10)).map((row) => row.id), [second?.id]);
    assert.deepEqual((await walk('&feedback=resolved', 10)).map((row) => row.id).sort(), [first?.id, second?.id].sort());
    assert.deepEqual((await walk('&feedback=rating%3C%3D3', 10)).map((row) => row.id), [second?.id]);
    const listed = (await walk('&feedback=rating', 10))[0];
    assert.deepEqual(listed?.feedback, { rating: 2, resolved: false });
  });

  test('bad query parameters get 400 naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['limit=0', 'limit'], ['limit=201', 'limit'], ['limit=ten', 'limit'], ['cursor=not-a-cursor', 'cursor'], ['from=yesterday', 'from'],
      ['status=fine', 'status'], ['tag=novalue', 'tag'], ['feedback=unknown', 'feedback'], ['feedback=rating%3Dhigh', 'feedback'],
      ['feedback=resolved%3E%3Dtrue', 'feedback'], ['bodies=maybe', 'bodies'],
    ];
    for (const [query, param] of cases) {
      const result = await adminJson<{ error: { param: string } }>(gateway, `/admin/requests?${query}`);
      assert.equal(result.status, 400, query);
      assert.equal(result.body.error.param, param, query);
    }
    assert.equal((await fetch(`${gateway.url}/admin/requests`, { headers: { authorization: `Bearer ${gateway.clientKey}` } })).status, 403);
  });

  test('GET /admin/requests/:id returns the record, its attempts, the bodies and the feedback', async () => {
    const captured = sent.find((item) => item.model === 'alpha' && item.status === 200);
    const detail = await adminJson<{ id: string; attempts: unknown[]; capture: { request: { model: string }; answer: { text: string } }; feedback: unknown[] }>(gateway, `/admin/requests/${captured?.id}`);
    assert.equal(detail.body.id, captured?.id);
    assert.equal(detail.body.attempts.length, 1);
    assert.equal(detail.body.capture.request.model, 'alpha');
    assert.equal(detail.body.capture.answer.text, 'Hello from the simulator.');
    assert.deepEqual(detail.body.feedback, []);
    assert.equal((await gateway.admin('/admin/requests/no-such-id')).status, 404);
  });

  test('the capture reader lists captured requests with bodies and pages through them', async () => {
    const reader = gatewayCaptureReader(gateway.running.gateway);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await reader.list({ model: 'alpha', withBodies: true }, { limit: 3, ...(cursor ? { cursor } : {}) });
      for (const item of page.items) {
        assert.equal(item.request?.model, 'alpha');
        assert.equal(item.answer?.text, 'Hello from the simulator.');
        seen.push(item.requestId);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    assert.deepEqual(seen.sort(), sent.filter((item) => item.model === 'alpha' && item.status === 200).map((item) => item.id).sort());
    const tagged = sent.find((item) => item.model === 'alpha' && item.tags === 'flow=refund,step=0');
    const one = await reader.get(tagged?.id as string);
    assert.deepEqual(one?.tags, { flow: 'refund', step: '0' });
    assert.equal(one?.capture?.truncated.length, 0);
    assert.equal(await reader.get('missing'), undefined);
    await assert.rejects(reader.list({}, { limit: 500 }), /limit/);
  });
});
