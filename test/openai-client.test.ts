import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const weatherTool = { type: 'function' as const, function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };

describe('the official openai client through Switchyard', () => {
  let simulator: OpenAiSimulator;
  let gateway: TestGateway;

  before(async () => {
    simulator = await startOpenAiSimulator();
    gateway = await startTestGateway({
      providers: { sim: { type: 'openai', baseUrl: simulator.url, apiKey: '${SIM_KEY}' } },
      models: { 'gpt-4o-mini': { provider: 'sim' }, house: { provider: 'sim', model: 'house-v1', price: { input: 1, output: 2 } } },
      routes: { chat: { strategy: 'fallback', targets: ['house', 'gpt-4o-mini'] } },
    }, { SIM_KEY: 'upstream-secret' });
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  test('gets the upstream answer for a plain request, with the upstream model and credentials applied', async () => {
    const completion = await gateway.client.chat.completions.create({ model: 'house', messages: [{ role: 'user', content: 'hi' }], temperature: 0.2, seed: 7, stop: ['END'], max_tokens: 50 });
    assert.equal(completion.choices[0]?.message.content, 'Hello from the simulator.');
    assert.equal(completion.choices[0]?.finish_reason, 'stop');
    assert.equal(completion.usage?.prompt_tokens, 12);
    assert.equal(completion.usage?.completion_tokens, 7);
    const sent = simulator.received.at(-1);
    assert.equal(sent?.body.model, 'house-v1');
    assert.equal(sent?.headers.authorization, 'Bearer upstream-secret');
    assert.equal(sent?.body.temperature, 0.2);
    assert.equal(sent?.body.seed, 7);
    assert.deepEqual(sent?.body.stop, ['END']);
    assert.equal(sent?.body.max_tokens, 50, 'the client\'s body reaches OpenAI as sent');
  });

  test('relays a stream chunk by chunk with usage at the end when asked', async () => {
    const stream = await gateway.client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | undefined | null;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? '';
      finish ??= chunk.choices[0]?.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, 'w0 w1 w2 w3 w4 ');
    assert.equal(finish, 'stop');
    assert.equal(usage?.total_tokens, 19);
    assert.ok(chunks >= 7, `expected every upstream chunk relayed, got ${chunks}`);
  });

  test('returns tool calls, plain and streamed with two parallel calls', async () => {
    const plain = await gateway.client.chat.completions.create({ model: 'house', messages: [{ role: 'user', content: 'weather?' }], tools: [weatherTool], tool_choice: 'auto' });
    assert.equal(plain.choices[0]?.finish_reason, 'tool_calls');
    assert.deepEqual(plain.choices[0]?.message.tool_calls?.map((call) => call.type === 'function' && [call.id, call.function.name, call.function.arguments]), [['call_sim_1', 'get_weather', '{"city":"Paris"}']]);
    assert.deepEqual((simulator.received.at(-1)?.body.tools as unknown[])[0], weatherTool);

    const stream = gateway.client.chat.completions.stream({ model: 'house', messages: [{ role: 'user', content: 'weather?' }], tools: [weatherTool] });
    const final = await stream.finalChatCompletion();
    const calls = final.choices[0]?.message.tool_calls?.map((call) => call.type === 'function' && [call.id, call.function.name, call.function.arguments]);
    assert.deepEqual(calls, [['call_sim_1', 'get_weather', '{"city":"Paris"}'], ['call_sim_2', 'get_time', '{"zone":"CET"}']]);
    assert.equal(final.choices[0]?.finish_reason, 'tool_calls');
  });

  test('passes JSON mode and JSON schema through', async () => {
    const completion = await gateway.client.chat.completions.create({
      model: 'house',
      messages: [{ role: 'user', content: 'answer' }],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object', properties: { answer: { type: 'number' } } }, strict: true } },
    });
    assert.deepEqual(JSON.parse(completion.choices[0]?.message.content ?? ''), { answer: 42 });
    assert.deepEqual(simulator.received.at(-1)?.body.response_format, { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object', properties: { answer: { type: 'number' } } }, strict: true } });
    await gateway.client.chat.completions.create({ model: 'house', messages: [{ role: 'user', content: 'answer' }], response_format: { type: 'json_object' } });
    assert.deepEqual(simulator.received.at(-1)?.body.response_format, { type: 'json_object' });
  });

  test('sends image content parts through unchanged', async () => {
    const image = 'data:image/png;base64,iVBORw0KGgo=';
    await gateway.client.chat.completions.create({ model: 'house', messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: image, detail: 'low' } }] }] });
    assert.deepEqual(simulator.received.at(-1)?.body.messages, [{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: image, detail: 'low' } }] }]);
  });

  test('serves embeddings and lists models and routes', async () => {
    const embeddings = await gateway.client.embeddings.create({ model: 'gpt-4o-mini', input: ['a', 'b'] });
    assert.equal(embeddings.data.length, 2);
    // The client asks for base64 (float32) by default, so values come back at float32 precision.
    assert.deepEqual(embeddings.data[1]?.embedding.map((value) => Math.round(value * 1e6) / 1e6), [0.1, 0.2, 0.3]);
    assert.equal(simulator.received.at(-1)?.body.encoding_format, undefined, 'upstream is asked for floats; encoding happens at the edge');
    // More inputs than one call may carry (2,048 for OpenAI): two calls, one answer in input order, usage summed.
    const before = simulator.received.length;
    const many = Array.from({ length: 2_050 }, (_, index) => `text ${index}`);
    const batched = await gateway.client.embeddings.create({ model: 'gpt-4o-mini', input: many });
    assert.deepEqual(batched.data.map((item) => item.index), many.map((_, index) => index));
    assert.equal(batched.usage.prompt_tokens, 4 * 2_050);
    const calls = simulator.received.slice(before).map((sent) => sent.body.input as string[]);
    assert.deepEqual(calls.map((input) => input.length).sort((left, right) => right - left), [2_048, 2]);
    assert.deepEqual(calls.flat().sort(), [...many].sort());
    const models = await gateway.client.models.list();
    assert.deepEqual(models.data.map((model) => model.id).sort(), ['chat', 'gpt-4o-mini', 'house']);
  });
});
