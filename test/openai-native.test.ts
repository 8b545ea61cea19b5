import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { simulatedThoughtSignature, startGeminiSimulator } from './simulators/gemini-simulator.js';
import type { ProviderSimulator } from './simulators/loopback-server.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const weatherTool = { type: 'function' as const, function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };
const timeTool = { type: 'function' as const, function: { name: 'get_time', description: 'Time in a zone', parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] } } };

/** Every field current clients send, plus one this gateway has never heard of. */
const fullBody = {
  model: 'house',
  messages: [
    { role: 'developer' as const, content: 'Answer in French.' },
    { role: 'user' as const, content: 'hi' },
    { role: 'system' as const, content: 'Be brief.' },
  ],
  prompt_cache_key: 'tenant-7',
  service_tier: 'flex' as const,
  verbosity: 'low' as const,
  prediction: { type: 'content' as const, content: 'Bonjour' },
  logprobs: true,
  top_logprobs: 2,
  n: 2,
  store: true,
  metadata: { team: 'search' },
  reasoning_effort: 'minimal' as const,
  max_completion_tokens: 64,
  future_field: { anything: [1, 'two'] },
};

describe('OpenAI to OpenAI travels losslessly', () => {
  let simulator: OpenAiSimulator;
  let gemini: ProviderSimulator;
  let gateway: TestGateway;

  before(async () => {
    simulator = await startOpenAiSimulator();
    gemini = await startGeminiSimulator({ apiKey: 'gemini-sim-key' });
    gateway = await startTestGateway({
      providers: { sim: { type: 'openai', baseUrl: simulator.url, apiKey: 'k' }, google: { type: 'gemini', baseUrl: gemini.url, apiKey: 'gemini-sim-key' } },
      models: { house: { provider: 'sim', model: 'house-v1' }, flash: { provider: 'google', model: 'gemini-3-flash-preview' } },
    });
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
    await gemini.close();
  });

  test('a plain request reaches OpenAI field for field, and both choices with logprobs come back', async () => {
    const completion = await gateway.client.chat.completions.create(fullBody as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming);
    const sent = simulator.received.at(-1)?.body;
    assert.deepStrictEqual(sent, { ...fullBody, model: 'house-v1' });
    assert.equal(completion.choices.length, 2);
    assert.deepEqual(completion.choices.map((choice) => choice.index), [0, 1]);
    assert.equal(completion.choices[1]?.logprobs?.content?.[0]?.logprob, -0.25);
    assert.equal(completion.service_tier, 'flex');
    assert.equal(completion.system_fingerprint, 'fp_sim');
    assert.equal(completion.model, 'house');
  });

  test('a stream reaches OpenAI field for field but for the usage option, and every choice chunk comes back', async () => {
    const body = { ...fullBody, stream: true as const };
    const stream = await gateway.client.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsStreaming);
    const texts = ['', ''];
    let logprobChunks = 0;
    let usageSeen = false;
    for await (const chunk of stream) {
      if (chunk.usage) usageSeen = true;
      for (const choice of chunk.choices) {
        texts[choice.index] += choice.delta.content ?? '';
        if (choice.logprobs?.content?.length) logprobChunks += 1;
      }
    }
    const sent = simulator.received.at(-1)?.body;
    assert.deepStrictEqual(sent, { ...body, model: 'house-v1', stream_options: { include_usage: true } });
    assert.deepEqual(texts, ['w0 w1 w2 w3 w4 ', 'w0 w1 w2 w3 w4 ']);
    assert.equal(logprobChunks, 10);
    assert.equal(usageSeen, false, 'usage the client did not ask for is not relayed');

    const asked = await gateway.client.chat.completions.create({ model: 'house', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let usageChunks = 0;
    for await (const chunk of asked) if (chunk.usage) usageChunks += 1;
    assert.equal(usageChunks, 1, 'the upstream usage chunk is relayed once, not doubled');
  });

  test('a Gemini tool loop sends the thought signature Gemini returned back on the next turn', async () => {
    const first = await gateway.client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'Weather and time in Paris?' }], tools: [weatherTool, timeTool], reasoning_effort: 'low' });
    const message = first.choices[0]?.message;
    assert.ok(message?.tool_calls && message.tool_calls.length === 2);
    const firstSent = gemini.received.at(-1)?.body as { generationConfig?: unknown };
    assert.deepEqual(firstSent.generationConfig, { thinkingConfig: { thinkingLevel: 'low', includeThoughts: true } });
    const results = message.tool_calls.map((call) => ({ role: 'tool' as const, tool_call_id: call.id, content: 'done' }));
    await gateway.client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'Weather and time in Paris?' }, message, ...results], tools: [weatherTool, timeTool] });
    const contents = gemini.received.at(-1)?.body.contents as Array<{ parts: Array<Record<string, unknown>> }>;
    assert.equal(contents[1]?.parts[0]?.thoughtSignature, simulatedThoughtSignature);
    assert.equal(contents[1]?.parts[1]?.thoughtSignature, undefined);

    const stream = gateway.client.chat.completions.stream({ model: 'flash', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool, timeTool] });
    const streamed = (await stream.finalChatCompletion()).choices[0]?.message;
    assert.ok(streamed?.tool_calls);
    const replay = streamed.tool_calls.map((call) => ({ role: 'tool' as const, tool_call_id: call.id, content: 'done' }));
    await gateway.client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'Weather?' }, streamed, ...replay], tools: [weatherTool, timeTool] });
    const again = gemini.received.at(-1)?.body.contents as Array<{ parts: Array<Record<string, unknown>> }>;
    assert.equal(again[1]?.parts[0]?.thoughtSignature, simulatedThoughtSignature, 'the streamed call carries the signature too');
  });

  test('a field a non-OpenAI target cannot honour is refused by name', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ n: 2 }, 'n'],
      [{ modalities: ['text', 'audio'] }, 'modalities'],
      [{ audio: { voice: 'alloy', format: 'wav' } }, 'audio'],
      [{ web_search_options: {} }, 'web_search_options'],
      [{ logprobs: true }, 'logprobs'],
      [{ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }] }, 'messages[0].content[0]'],
    ];
    for (const [extra, param] of cases) {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'flash', messages: [{ role: 'user', content: 'hi' }], ...extra }),
      });
      const error = (await response.json()) as { error: { param: string; message: string } };
      assert.equal(response.status, 400, param);
      assert.equal(error.error.param, param);
      assert.match(error.error.message, new RegExp(param.replace(/[[\]]/g, '\\$&')));
    }
  });
});
