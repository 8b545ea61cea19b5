import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type OpenAI from 'openai';
import { replyAfterTools, simulatedReply, type ProviderSimulator } from './simulators/loopback-server.js';
import { responsesCallIds, simulatedReasoning, startOpenAiResponsesSimulator } from './simulators/openai-responses-simulator.js';
import { parseConfig } from '../src/config/load-config.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

type Body = Record<string, unknown>;

const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } } },
];

let simulator: ProviderSimulator;
let gateway: TestGateway;

function lastBody(): Body {
  const last = simulator.received.at(-1);
  assert.ok(last, 'the simulator received nothing');
  return last.body;
}

describe('an OpenAI provider configured with api: responses, called through /v1/chat/completions', () => {
  before(async () => {
    simulator = await startOpenAiResponsesSimulator();
    gateway = await startTestGateway({
      providers: {
        openai: { type: 'openai', api: 'responses', baseUrl: `${simulator.url}/v1`, apiKey: 'sk-sim' },
        azure: { type: 'azure-openai', api: 'responses', baseUrl: simulator.url, apiKey: 'azure-sim', options: { deployment: 'gpt5-deploy' } },
      },
      models: { gpt: { provider: 'openai', model: 'gpt-5-mini' }, 'azure-gpt': { provider: 'azure', model: 'gpt-5-mini' } },
    });
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  test('a plain request goes to /v1/responses, stateless, and comes back as a chat completion with reasoning tokens counted', async () => {
    const completion = await gateway.client.chat.completions.create({ model: 'gpt', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], max_tokens: 50 });
    assert.equal(completion.choices[0]?.message.content, simulatedReply);
    assert.equal(completion.choices[0]?.finish_reason, 'stop');
    assert.equal(completion.usage?.prompt_tokens, 12);
    assert.equal(completion.usage?.completion_tokens, 7);
    assert.equal(simulator.received.at(-1)?.path, '/v1/responses');
    assert.equal(simulator.received.at(-1)?.headers.authorization, 'Bearer sk-sim');
    const body = lastBody();
    assert.equal(body.model, 'gpt-5-mini');
    assert.equal(body.instructions, 'Be brief.');
    assert.deepEqual(body.input, [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }]);
    assert.equal(body.max_output_tokens, 50);
    assert.equal(body.store, false);
    assert.deepEqual(body.include, ['reasoning.encrypted_content']);
  });

  test('a streamed request is relayed as chat chunks with the reply and usage', async () => {
    const stream = await gateway.client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, simulatedReply);
    assert.equal(finish, 'stop');
    assert.equal(usage?.prompt_tokens, 12);
    assert.equal(lastBody().stream, true);
  });

  for (const streamed of [false, true]) {
    test(`a tool loop (${streamed ? 'streamed' : 'not streamed'}): two function calls, then their outputs sent back as function_call_output items`, async () => {
      const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather and time in Paris?' }];
      const first = streamed
        ? await gateway.client.chat.completions.stream({ model: 'gpt', messages, tools }).finalChatCompletion()
        : await gateway.client.chat.completions.create({ model: 'gpt', messages, tools });
      const message = first.choices[0]?.message;
      assert.equal(first.choices[0]?.finish_reason, 'tool_calls');
      const calls = (message?.tool_calls ?? []).map((call) => (call.type === 'function' ? [call.id, call.function.name, JSON.parse(call.function.arguments)] : []));
      assert.deepEqual(calls, [[responsesCallIds[0], 'get_weather', { city: 'Paris' }], [responsesCallIds[1], 'get_time', { zone: 'CET' }]]);
      assert.deepEqual((lastBody().tools as Body[]).map((tool) => [tool.type, tool.name, tool.strict]), [['function', 'get_weather', false], ['function', 'get_time', false]]);
      messages.push(message as OpenAI.Chat.Completions.ChatCompletionMessageParam);
      messages.push({ role: 'tool', tool_call_id: responsesCallIds[0], content: '18C sunny' }, { role: 'tool', tool_call_id: responsesCallIds[1], content: '14:05' });
      const second = await gateway.client.chat.completions.create({ model: 'gpt', messages, tools });
      assert.equal(second.choices[0]?.message.content, replyAfterTools);
      const input = lastBody().input as Body[];
      assert.deepEqual(input.map((item) => item.type), ['message', 'function_call', 'function_call', 'function_call_output', 'function_call_output']);
      assert.deepEqual(input.slice(3).map((item) => [item.call_id, item.output]), [[responsesCallIds[0], '18C sunny'], [responsesCallIds[1], '14:05']]);
    });
  }

  test('Azure: the v1 Responses path with the api-key header and the deployment as model', async () => {
    const completion = await gateway.client.chat.completions.create({ model: 'azure-gpt', messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(completion.choices[0]?.message.content, simulatedReply);
    const last = simulator.received.at(-1);
    assert.equal(last?.path, '/openai/v1/responses');
    assert.equal(last?.headers['api-key'], 'azure-sim');
    assert.equal(last?.body.model, 'gpt5-deploy');
  });

  test('the simulator sends encrypted reasoning only to a request that includes it', async () => {
    const response = await fetch(`${simulator.url}/v1/responses`, { method: 'POST', headers: { authorization: 'Bearer x', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', input: 'Hi', include: ['reasoning.encrypted_content'] }) });
    const body = (await response.json()) as { output: Body[] };
    assert.equal(body.output[0]?.encrypted_content, simulatedReasoning.encrypted);
  });

  test('an upstream 429 is classified like any OpenAI rate limit', async () => {
    simulator.behave({ kind: 'status', status: 429 });
    try {
      await assert.rejects(gateway.client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'Hi' }] }), (error: { status?: number }) => error.status === 429);
    } finally {
      simulator.behave({ kind: 'ok' });
    }
  });
});

test('api: responses on a provider type without a Responses API is a configuration error naming the field', () => {
  assert.throws(() => parseConfig({ providers: { claude: { type: 'anthropic', api: 'responses', apiKey: 'k' } } }, {}), /providers\.claude\.api|api: responses/);
});
