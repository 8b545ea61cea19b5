import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { simulatedThoughtSignature, startGeminiSimulator } from './simulators/gemini-simulator.js';
import { replyAfterTools, simulatedToolCalls, type ProviderSimulator } from './simulators/loopback-server.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

type Json = Record<string, unknown>;

const tools = [
  { type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
  { type: 'function', function: { name: 'get_time', description: 'Time in a zone', parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] } } },
];

/** The model turn Gemini answered with: both calls, the signature on the first, as the simulator sends them. */
const modelTurn = {
  role: 'model',
  parts: simulatedToolCalls.map((call, index) => ({ functionCall: { name: call.name, args: call.input }, ...(index === 0 ? { thoughtSignature: simulatedThoughtSignature } : {}) })),
};

const toolResults = { role: 'user', parts: simulatedToolCalls.map((call) => ({ functionResponse: { name: call.name, response: { output: `result of ${call.name}` } } })) };

describe('a Gemini tool loop through the OpenAI chat ingress returns every thought signature exactly', () => {
  let gemini: ProviderSimulator;
  let gateway: TestGateway;

  before(async () => {
    gemini = await startGeminiSimulator({ apiKey: 'gemini-sim-key' });
    gateway = await startTestGateway({
      providers: { google: { type: 'gemini', baseUrl: gemini.url, apiKey: 'gemini-sim-key' } },
      models: { flash: { provider: 'google', model: 'gemini-3-flash-preview' } },
    });
  });

  after(async () => {
    await gateway.stop();
    await gemini.close();
  });

  async function complete(messages: Json[]): Promise<Json> {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'flash', tools, messages }),
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { choices: Array<{ message: Json }> };
    return body.choices[0]?.message ?? {};
  }

  function results(message: Json): Json[] {
    const calls = (message.tool_calls ?? []) as Array<{ id: string; function: { name: string } }>;
    return calls.map((call) => ({ role: 'tool', tool_call_id: call.id, content: `result of ${call.function.name}` }));
  }

  test('over two tool rounds, each model turn reaches Gemini again field for field, signatures where Gemini put them', async () => {
    const messages: Json[] = [{ role: 'user', content: 'Weather and time in Paris?' }];
    const first = await complete(messages);
    const calls = first.tool_calls as Array<Json>;
    assert.deepEqual(calls.map((call) => call.extra_content), [{ google: { thought_signature: simulatedThoughtSignature } }, undefined]);
    messages.push(first, ...results(first));
    const answer = await complete(messages);
    assert.equal(answer.content, replyAfterTools);
    messages.push(answer, { role: 'user', content: 'And tomorrow?' });
    const second = await complete(messages);
    messages.push(second, ...results(second));
    await complete(messages);
    const contents = gemini.received.at(-1)?.body.contents;
    assert.deepStrictEqual(contents, [
      { role: 'user', parts: [{ text: 'Weather and time in Paris?' }] },
      modelTurn,
      toolResults,
      { role: 'model', parts: [{ text: replyAfterTools }] },
      { role: 'user', parts: [{ text: 'And tomorrow?' }] },
      modelTurn,
      toolResults,
    ]);
  });

  test('a signature the client holds goes back on the very call it rides on, unchanged', async () => {
    const held = 'Y2xpZW50LWhlbGQtc2lnbmF0dXJlLTc=';
    const calls = [
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
      { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{"zone":"CET"}' }, extra_content: { google: { thought_signature: held } } },
    ];
    await complete([{ role: 'user', content: 'Oslo?' }, { role: 'assistant', content: null, tool_calls: calls }, { role: 'tool', tool_call_id: 'call_a', content: 'cold' }, { role: 'tool', tool_call_id: 'call_b', content: '09:00' }]);
    const contents = gemini.received.at(-1)?.body.contents as Array<{ parts: Json[] }>;
    assert.deepStrictEqual(contents[1]?.parts[1], { functionCall: { name: 'get_time', args: { zone: 'CET' } }, thoughtSignature: held });
  });
});
