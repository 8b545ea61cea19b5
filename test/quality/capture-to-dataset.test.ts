import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startOpenAiSimulator, type OpenAiSimulator } from '../simulators/openai-simulator.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { adminJson, chat, send } from './capture-support.js';

interface Item {
  sourceRequestId: string | null;
  request: { messages: Array<{ role: string; content: unknown }> };
  reference: { text: string; toolCalls: Array<{ name: string; arguments: string }> } | null;
  metadata: Record<string, string>;
}

/** The loop joined up on a running gateway: captured traffic and its feedback become a dataset, with no injected reader. */
describe('captured traffic becomes a dataset', () => {
  let simulator: OpenAiSimulator;
  let gateway: TestGateway;

  before(async () => {
    simulator = await startOpenAiSimulator();
    gateway = await startTestGateway({
      providers: { sim: { type: 'openai', baseUrl: simulator.url } },
      models: { helper: { provider: 'sim', capture: { sample: 1 } }, quiet: { provider: 'sim' } },
      metrics: { fix: { type: 'demonstration' }, resolved: { type: 'boolean' } },
    });
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  test('the reference is the demonstration where one was given, else the recorded answer; uncaptured requests are left out', async () => {
    const first = await send(gateway, '/v1/chat/completions', chat('helper', 'How do I get a refund?'));
    const second = await send(gateway, '/v1/chat/completions', chat('helper', 'Where is my order?'));
    const uncaptured = await send(gateway, '/v1/chat/completions', chat('quiet', 'Not kept.'));
    assert.deepEqual([first.status, second.status, uncaptured.status], [200, 200, 200]);
    const recorded = (JSON.parse(second.text) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content;
    const feedback = await fetch(`${gateway.url}/v1/feedback`, {
      method: 'POST', headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requestId: first.id, metric: 'fix', value: { text: 'Open the refund form.', toolCalls: [{ name: 'open_form', arguments: { form: 'refund' } }] } }),
    });
    assert.equal(feedback.status, 201, await feedback.text());

    const created = await adminJson<{ name: string; version: number; itemCount: number }>(gateway, '/admin/datasets', { method: 'POST', body: JSON.stringify({ name: 'support', filter: {} }) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.itemCount, 2);
    const items = await adminJson<{ items: Item[] }>(gateway, '/admin/datasets/support/items');
    const bySource = new Map(items.body.items.map((item) => [item.sourceRequestId, item]));
    assert.deepEqual([...bySource.keys()].sort(), [first.id, second.id].sort());
    assert.deepEqual(bySource.get(first.id)?.reference?.text, 'Open the refund form.');
    assert.deepEqual(bySource.get(first.id)?.reference?.toolCalls.map((call) => [call.name, call.arguments]), [['open_form', '{"form":"refund"}']]);
    assert.equal(bySource.get(first.id)?.metadata.reference, 'demonstration');
    assert.equal(bySource.get(second.id)?.reference?.text, recorded);
    assert.equal(bySource.get(second.id)?.metadata.reference, 'recorded');
    assert.deepEqual(bySource.get(second.id)?.request.messages.map((message) => message.role), ['user']);

    const onlyFixed = await adminJson<{ itemCount: number }>(gateway, '/admin/datasets', { method: 'POST', body: JSON.stringify({ name: 'fixed', filter: { feedback: [{ metric: 'fix' }] } }) });
    assert.equal(onlyFixed.body.itemCount, 1);
  });
});
