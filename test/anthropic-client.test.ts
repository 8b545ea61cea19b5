import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const weatherTool = { name: 'get_weather', description: 'Weather of a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };

describe('the official Anthropic client through Switchyard against an OpenAI-wire upstream', () => {
  let simulator: OpenAiSimulator;
  let gateway: TestGateway;
  let client: Anthropic;

  before(async () => {
    simulator = await startOpenAiSimulator();
    gateway = await startTestGateway({ providers: { sim: { type: 'openai', baseUrl: simulator.url } }, models: { claude: { provider: 'sim', model: 'house-v1', price: { input: 1, output: 2 } } } });
    client = new Anthropic({ apiKey: gateway.clientKey, baseURL: gateway.url, maxRetries: 0 });
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  test('answers a plain message with usage in Anthropic terms', async () => {
    const message = await client.messages.create({ model: 'claude', max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(message.type, 'message');
    assert.deepEqual(message.content, [{ type: 'text', text: 'Hello from the simulator.' }]);
    assert.equal(message.stop_reason, 'end_turn');
    assert.equal(message.usage.input_tokens, 10);
    assert.equal(message.usage.cache_read_input_tokens, 2);
    assert.equal(message.usage.output_tokens, 7);
    const sent = simulator.received.at(-1)?.body;
    assert.deepEqual(sent?.messages, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }]);
    assert.equal(sent?.max_completion_tokens, 100);
  });

  test('streams with two parallel tool calls, arguments intact', async () => {
    const stream = client.messages.stream({ model: 'claude', max_tokens: 100, tools: [weatherTool], messages: [{ role: 'user', content: 'weather and time?' }] });
    const final = await stream.finalMessage();
    assert.equal(final.stop_reason, 'tool_use');
    const calls = final.content.filter((block) => block.type === 'tool_use').map((block) => [block.id, block.name, block.input]);
    assert.deepEqual(calls, [['call_sim_1', 'get_weather', { city: 'Paris' }], ['call_sim_2', 'get_time', { zone: 'CET' }]]);
    assert.equal(final.usage.output_tokens, 7);
    assert.deepEqual((simulator.received.at(-1)?.body.tools as unknown[])[0], { type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: weatherTool.input_schema } });
  });

  test('sends tool results back as OpenAI tool messages', async () => {
    await client.messages.create({
      model: 'claude',
      max_tokens: 50,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '3°C' }] },
      ],
    });
    const messages = simulator.received.at(-1)?.body.messages as Array<Record<string, unknown>>;
    assert.deepEqual(messages.slice(1), [
      { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_1', content: '3°C' },
    ]);
  });

  test('errors come back in the Anthropic envelope, with x-api-key auth', async () => {
    const wrong = new Anthropic({ apiKey: 'not-a-key', baseURL: gateway.url, maxRetries: 0 });
    await assert.rejects(wrong.messages.create({ model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), Anthropic.AuthenticationError);
    const response = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': gateway.clientKey, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'claude', messages: [] }) });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /max_tokens|messages/);
  });
});
