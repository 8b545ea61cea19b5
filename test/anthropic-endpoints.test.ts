import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startAnthropicSimulator } from './simulators/anthropic-simulator.js';
import { startOpenAiSimulator } from './simulators/openai-simulator.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

describe('POST /v1/messages/count_tokens', () => {
  let gateway: TestGateway;
  let anthropic: Awaited<ReturnType<typeof startAnthropicSimulator>>;
  let openai: Awaited<ReturnType<typeof startOpenAiSimulator>>;

  before(async () => {
    anthropic = await startAnthropicSimulator();
    openai = await startOpenAiSimulator();
    gateway = await startTestGateway({
      providers: { anthropic: { type: 'anthropic', apiKey: 'sk-ant-test', baseUrl: anthropic.url }, openai: { type: 'openai', apiKey: 'sk-test', baseUrl: `${openai.url}/v1` } },
      models: { claude: { provider: 'anthropic', model: 'claude-sonnet-4-5' }, mini: { provider: 'openai', model: 'gpt-4o-mini' } },
    });
  });

  after(async () => {
    await gateway.stop();
    await anthropic.close();
    await openai.close();
  });

  const count = (body: unknown) =>
    fetch(`${gateway.url}/v1/messages/count_tokens`, { method: 'POST', headers: { 'x-api-key': gateway.clientKey, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' }, body: JSON.stringify(body) });

  const messages = [{ role: 'user', content: 'How many tokens is this?' }];

  test('an Anthropic model is counted by the provider, with the upstream model name and no max_tokens', async () => {
    const answer = await count({ model: 'claude', messages, system: 'Be brief.' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-switchyard-estimated'), null);
    assert.deepEqual(await answer.json(), { input_tokens: 1000 + JSON.stringify(messages).length });
    const received = anthropic.received.at(-1);
    assert.equal(received?.body.model, 'claude-sonnet-4-5');
    assert.equal(received?.body.system, 'Be brief.');
  });

  test('another provider gets the tokenizer estimate, marked as one', async () => {
    const answer = await count({ model: 'mini', messages });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-switchyard-estimated'), 'true');
    const { input_tokens } = (await answer.json()) as { input_tokens: number };
    assert.ok(input_tokens > 5 && input_tokens < 30, `estimate ${input_tokens}`);
  });

  test('a body without messages is a 400 in the Anthropic envelope naming the field', async () => {
    const answer = await count({ model: 'claude' });
    assert.equal(answer.status, 400);
    const body = (await answer.json()) as { type: string; error: { type: string; message: string } };
    assert.equal(body.type, 'error');
    assert.match(body.error.message, /messages/);
  });
});

describe('GET /v1/models', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ providers: { openai: { type: 'openai', apiKey: 'sk-test', baseUrl: 'http://127.0.0.1:9/v1' } }, models: { mini: { provider: 'openai', model: 'gpt-4o-mini' } } });
  });

  after(() => gateway.stop());

  test("answers in Anthropic's shape to a client that sends anthropic-version, and in OpenAI's otherwise", async () => {
    const anthropicList = (await (await fetch(`${gateway.url}/v1/models`, { headers: { 'x-api-key': gateway.clientKey, 'anthropic-version': '2023-06-01' } })).json()) as Record<string, unknown>;
    assert.equal(anthropicList.has_more, false);
    assert.equal(anthropicList.first_id, 'mini');
    const [first] = anthropicList.data as Array<Record<string, unknown>>;
    assert.equal(first?.type, 'model');
    assert.equal(first?.display_name, 'mini');
    assert.match(String(first?.created_at), /^\d{4}-\d\d-\d\dT/);
    const openAiList = await gateway.client.models.list();
    assert.deepEqual(openAiList.data.map((model) => model.id), ['mini']);
  });
});
