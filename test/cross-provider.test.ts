import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startAnthropicSimulator } from './simulators/anthropic-simulator.js';
import { startBedrockSimulator } from './simulators/bedrock-simulator.js';
import { startGeminiSimulator } from './simulators/gemini-simulator.js';
import { replyAfterTools, simulatedReply, type ProviderSimulator } from './simulators/loopback-server.js';
import { assertCalls, callsOf, expectedCalls, question, readUntilFailure, toolOutputs, tools, wireChecks, withoutIds, type UpstreamName, type WireChecks } from './support/cross-provider-cases.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

type Body = Record<string, unknown>;
type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

interface Upstream {
  name: UpstreamName;
  /** The gateway model name routed to this provider. */
  model: string;
  /** A model on the same simulator through a provider configured with credentials it refuses. */
  refusedKeyModel: string;
  simulator: () => ProviderSimulator;
  checks: WireChecks;
}

let anthropic: ProviderSimulator;
let gemini: ProviderSimulator;
let bedrock: ProviderSimulator;
let gateway: TestGateway;

const upstreams: Upstream[] = [
  { name: 'anthropic', model: 'claude', refusedKeyModel: 'claude-refused', simulator: () => anthropic, checks: wireChecks.anthropic },
  { name: 'gemini', model: 'gemini', refusedKeyModel: 'gemini-refused', simulator: () => gemini, checks: wireChecks.gemini },
  { name: 'bedrock', model: 'bedrock-claude', refusedKeyModel: 'bedrock-claude-refused', simulator: () => bedrock, checks: wireChecks.bedrock },
];

function lastReceived(upstream: Upstream): { body: Body; path: string; headers: Record<string, unknown> } {
  const last = upstream.simulator().received.at(-1);
  assert.ok(last, `${upstream.name} received nothing`);
  return last;
}

/** A conversation's result with what differs by provider (ids, timestamps, model names) left out. */
async function canonicalAnswers(client: OpenAI, model: string): Promise<unknown[]> {
  const plain = await client.chat.completions.create({ model, messages: question });
  const streamed = await client.chat.completions.stream({ model, messages: question, stream_options: { include_usage: true } }).finalChatCompletion();
  const calls = await client.chat.completions.create({ model, messages: question, tools });
  const streamedCalls = await client.chat.completions.stream({ model, messages: question, tools, stream_options: { include_usage: true } }).finalChatCompletion();
  return [plain, streamed, calls, streamedCalls].map((completion) => {
    const choice = completion.choices[0];
    return { content: choice?.message.content ?? null, calls: withoutIds(callsOf(choice?.message)), finish: choice?.finish_reason, usage: completion.usage };
  });
}

describe('the official openai client through Switchyard against Anthropic, Gemini and Bedrock upstreams', () => {
  before(async () => {
    [anthropic, gemini, bedrock] = await Promise.all([
      startAnthropicSimulator({ apiKey: 'sk-ant-sim-key' }),
      startGeminiSimulator({ apiKey: 'gemini-sim-key' }),
      startBedrockSimulator({ accessKeyId: 'AKIASIMULATOR' }),
    ]);
    gateway = await startTestGateway({
      // The fault cases below share these models with the rest; opening circuits is not what this file is about.
      resilience: { breaker: { consecutiveFailures: 1_000, minimumRequests: 1_000 } },
      providers: {
        anthropic: { type: 'anthropic', baseUrl: anthropic.url, apiKey: '${ANTHROPIC_SIM_KEY}' },
        gemini: { type: 'gemini', baseUrl: gemini.url, apiKey: 'gemini-sim-key' },
        bedrock: { type: 'bedrock', baseUrl: bedrock.url, options: { region: 'eu-west-3', accessKeyId: 'AKIASIMULATOR', secretAccessKey: 'simulator-secret-key' } },
        'anthropic-refused': { type: 'anthropic', baseUrl: anthropic.url, apiKey: 'sk-ant-wrong-key' },
        'gemini-refused': { type: 'gemini', baseUrl: gemini.url, apiKey: 'gemini-wrong-key' },
        'bedrock-refused': { type: 'bedrock', baseUrl: bedrock.url, options: { region: 'eu-west-3', accessKeyId: 'AKIAWRONGKEY', secretAccessKey: 'simulator-secret-key' } },
      },
      models: {
        claude: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
        gemini: { provider: 'gemini', model: 'gemini-2.5-flash' },
        'bedrock-claude': { provider: 'bedrock', model: 'anthropic.claude-3-5-haiku-20241022-v1:0' },
        'claude-refused': { provider: 'anthropic-refused', model: 'claude-sonnet-4-5' },
        'gemini-refused': { provider: 'gemini-refused', model: 'gemini-2.5-flash' },
        'bedrock-claude-refused': { provider: 'bedrock-refused', model: 'anthropic.claude-3-5-haiku-20241022-v1:0' },
        'bedrock-cohere-embed': { provider: 'bedrock', model: 'cohere.embed-multilingual-v3' },
        'bedrock-titan-embed': { provider: 'bedrock', model: 'amazon.titan-embed-text-v2:0' },
      },
    }, { ANTHROPIC_SIM_KEY: 'sk-ant-sim-key' });
  });

  after(async () => {
    await gateway.stop();
    await Promise.all([anthropic.close(), gemini.close(), bedrock.close()]);
  });

  test('bedrock: embeddings through InvokeModel, signed, vectors in order, usage from Bedrock\'s own counts, Titan lists sent one text per call', async () => {
    const cohere = await gateway.client.embeddings.create({ model: 'bedrock-cohere-embed', input: ['harbour at dawn', 'night market'] });
    assert.deepEqual(cohere.data.map((item) => item.embedding), [[15, 104, 0.5], [12, 110, 0.5]]);
    assert.equal(cohere.usage.prompt_tokens, 5, 'the x-amzn-bedrock-input-token-count header, not an estimate');
    const sent = bedrock.received[bedrock.received.length - 1];
    assert.equal(sent?.path, '/model/cohere.embed-multilingual-v3/invoke');
    assert.deepEqual(sent?.body, { texts: ['harbour at dawn', 'night market'], input_type: 'search_document' });
    const titan = await gateway.client.embeddings.create({ model: 'bedrock-titan-embed', input: 'night market', dimensions: 256 });
    assert.deepEqual(titan.data[0]?.embedding, [12, 110, 0.5]);
    assert.equal(titan.usage.prompt_tokens, 2);
    // Titan takes one text per call: a list goes out as one call per text, the vectors back in order, usage summed.
    const before = bedrock.received.length;
    const batch = await gateway.client.embeddings.create({ model: 'bedrock-titan-embed', input: ['harbour at dawn', 'night market', 'x'] });
    assert.deepEqual(batch.data.map((item) => [item.index, item.embedding]), [[0, [15, 104, 0.5]], [1, [12, 110, 0.5]], [2, [1, 120, 0.5]]]);
    assert.equal(batch.usage.prompt_tokens, 3 + 2 + 1);
    assert.deepEqual(bedrock.received.slice(before).map((sent) => sent.body.inputText).sort(), ['harbour at dawn', 'night market', 'x']);
  });

  for (const upstream of upstreams) {
    test(`${upstream.name}: a plain request is answered with text and usage, the system prompt and max tokens placed in the provider's shape`, async () => {
      const completion = await gateway.client.chat.completions.create({ model: upstream.model, messages: question, max_tokens: 50, temperature: 0.2 });
      assert.equal(completion.choices[0]?.message.content, simulatedReply);
      assert.equal(completion.choices[0]?.finish_reason, 'stop');
      assert.equal(completion.model, upstream.model);
      assert.equal(completion.usage?.prompt_tokens, 12);
      assert.equal(completion.usage?.prompt_tokens_details?.cached_tokens, 2);
      assert.equal(completion.usage?.completion_tokens, 7);
      assert.equal(completion.usage?.total_tokens, 19);
      const { body, path, headers } = lastReceived(upstream);
      upstream.checks.checkPlainRequest(body, path, headers);
    });

    test(`${upstream.name}: a streamed answer arrives piece by piece with usage at the end when asked`, async () => {
      const stream = await gateway.client.chat.completions.create({ model: upstream.model, messages: question, stream: true, stream_options: { include_usage: true } });
      let text = '';
      let finish: string | null | undefined;
      let usage: OpenAI.CompletionUsage | null | undefined;
      let textChunks = 0;
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta.content;
        if (delta) textChunks += 1;
        text += delta ?? '';
        finish ??= chunk.choices[0]?.finish_reason;
        if (chunk.usage) usage = chunk.usage;
      }
      assert.equal(text, simulatedReply);
      assert.ok(textChunks >= 2, `expected the text in several chunks, got ${textChunks}`);
      assert.equal(finish, 'stop');
      assert.deepEqual([usage?.prompt_tokens, usage?.completion_tokens, usage?.total_tokens, usage?.prompt_tokens_details?.cached_tokens], [12, 7, 19, 2]);
      const { body, path } = lastReceived(upstream);
      upstream.checks.checkStreamRequest(body, path);
    });

    test(`${upstream.name}: two parallel tool calls come back with ids, names and arguments, tools sent in the provider's shape`, async () => {
      const completion = await gateway.client.chat.completions.create({ model: upstream.model, messages: question, tools, tool_choice: 'auto' });
      assert.equal(completion.choices[0]?.finish_reason, 'tool_calls');
      assert.equal(completion.choices[0]?.message.content, null);
      assertCalls(callsOf(completion.choices[0]?.message), upstream.checks.toolCallIds);
      upstream.checks.checkTools(lastReceived(upstream).body);
    });

    test(`${upstream.name}: streamed tool calls assemble into both calls with intact arguments`, async () => {
      const final = await gateway.client.chat.completions.stream({ model: upstream.model, messages: question, tools, tool_choice: 'auto' }).finalChatCompletion();
      assert.equal(final.choices[0]?.finish_reason, 'tool_calls');
      assertCalls(callsOf(final.choices[0]?.message), upstream.checks.toolCallIds);
      for (const call of final.choices[0]?.message.tool_calls ?? []) {
        if (call.type === 'function') assert.doesNotThrow(() => JSON.parse(call.function.arguments), `arguments of ${call.function.name} are whole JSON`);
      }
      const { body, path } = lastReceived(upstream);
      upstream.checks.checkStreamRequest(body, path);
      upstream.checks.checkTools(body);
    });

    test(`${upstream.name}: tool results sent back reach the provider in its own shape and get the final answer`, async () => {
      const first = await gateway.client.chat.completions.create({ model: upstream.model, messages: question, tools });
      const assistant = first.choices[0]?.message;
      assert.ok(assistant?.tool_calls?.length === 2);
      const ids = assistant.tool_calls.map((call) => call.id);
      const messages: ChatMessage[] = [
        ...question,
        { role: 'assistant', content: assistant.content, tool_calls: assistant.tool_calls },
        ...ids.map((id, index): ChatMessage => ({ role: 'tool', tool_call_id: id, content: toolOutputs[index] ?? '' })),
      ];
      const second = await gateway.client.chat.completions.create({ model: upstream.model, messages, tools });
      assert.equal(second.choices[0]?.message.content, replyAfterTools);
      assert.equal(second.choices[0]?.finish_reason, 'stop');
      upstream.checks.checkToolResults(lastReceived(upstream).body, ids);
    });

    test(`${upstream.name}: an upstream rate limit in the provider's envelope is a RateLimitError, streamed or not`, async () => {
      upstream.simulator().behave({ kind: 'status', status: 429, headers: upstream.name === 'anthropic' ? { 'retry-after': '30' } : {} });
      try {
        const error = await gateway.client.chat.completions.create({ model: upstream.model, messages: question }).then(
          () => assert.fail('expected a rate limit error'),
          (caught: unknown) => caught,
        );
        assert.ok(error instanceof OpenAI.RateLimitError, `got ${String(error)}`);
        assert.equal(error.status, 429);
        assert.equal((error.error as { type?: string } | undefined)?.type, 'rate_limit_error');
        // Anthropic says when in Retry-After, Gemini in a RetryInfo detail; Bedrock's throttling says nothing.
        if (upstream.name !== 'bedrock') assert.equal(error.headers?.get('retry-after'), '30');
        await assert.rejects(
          gateway.client.chat.completions.create({ model: upstream.model, messages: question, stream: true }),
          OpenAI.RateLimitError,
        );
      } finally {
        upstream.simulator().behave({ kind: 'ok' });
      }
    });

    test(`${upstream.name}: a failure after the first token ends the stream with an error, never a finish reason`, async () => {
      let release = (): void => undefined;
      upstream.simulator().behave({ kind: 'stream-error', release: new Promise<void>((resolve) => (release = resolve)) });
      try {
        // The gateway answers only once it holds the first token, so the failure is released after that point.
        const stream = await gateway.client.chat.completions.create({ model: upstream.model, messages: question, stream: true });
        release();
        const seen = await readUntilFailure(stream);
        assert.ok(seen.failure instanceof OpenAI.APIError, `expected the stream to fail, got ${String(seen.failure)}`);
        assert.equal(seen.text, 'Hello ', 'the text before the failure was relayed');
        assert.deepEqual(seen.finishes, []);
      } finally {
        release();
        upstream.simulator().behave({ kind: 'ok' });
      }
    });

    test(`${upstream.name}: credentials the provider refuses are the gateway's problem (502), never the client's 401`, async () => {
      const before = upstream.simulator().received.length;
      const error = await gateway.client.chat.completions.create({ model: upstream.refusedKeyModel, messages: question }).then(
        () => assert.fail('expected an upstream authentication error'),
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof OpenAI.InternalServerError, `got ${String(error)}`);
      assert.equal(error.status, 502);
      assert.doesNotMatch(error.message, /sk-ant-wrong-key|gemini-wrong-key|AKIAWRONGKEY|simulator-secret-key/);
      assert.ok(upstream.simulator().received.length > before, 'the request reached the provider');
    });
  }

  test('anthropic: an overloaded upstream (529) surfaces as an InternalServerError with status 529', async () => {
    anthropic.behave({ kind: 'status', status: 529 });
    try {
      await assert.rejects(gateway.client.chat.completions.create({ model: 'claude', messages: question }), (error: unknown) => {
        assert.ok(error instanceof OpenAI.InternalServerError);
        assert.equal(error.status, 529);
        assert.match(error.message, /overloaded/i);
        return true;
      });
    } finally {
      anthropic.behave({ kind: 'ok' });
    }
  });

  test('a failure read together with the first token still reaches the client after that token', async () => {
    anthropic.behave({ kind: 'stream-error' });
    try {
      const stream = await gateway.client.chat.completions.create({ model: 'claude', messages: question, stream: true });
      const seen = await readUntilFailure(stream);
      assert.ok(seen.failure instanceof OpenAI.APIError);
      assert.equal(seen.text, 'Hello ');
    } finally {
      anthropic.behave({ kind: 'ok' });
    }
  });

  test('the same conversation gives the same canonical answers through every provider', async () => {
    const [fromAnthropic, fromGemini, fromBedrock] = await Promise.all(upstreams.map((upstream) => canonicalAnswers(gateway.client, upstream.model)));
    const usage = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19, prompt_tokens_details: { cached_tokens: 2 }, completion_tokens_details: { reasoning_tokens: 0 } };
    assert.deepEqual(fromAnthropic?.[0], { content: simulatedReply, calls: [], finish: 'stop', usage });
    assert.deepEqual(fromAnthropic?.[2], { content: null, calls: expectedCalls, finish: 'tool_calls', usage });
    assert.deepEqual(fromGemini, fromAnthropic);
    assert.deepEqual(fromBedrock, fromAnthropic);
  });
});

describe('the official Anthropic client through Switchyard against a Gemini upstream', () => {
  let simulator: ProviderSimulator;
  let anthropicGateway: TestGateway;
  let client: Anthropic;
  const anthropicTools = [
    { name: 'get_weather', description: 'Weather of a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } },
    { name: 'get_time', description: 'Time in a zone', input_schema: { type: 'object' as const, properties: { zone: { type: 'string' } }, required: ['zone'] } },
  ];

  before(async () => {
    simulator = await startGeminiSimulator({ apiKey: 'gemini-sim-key' });
    anthropicGateway = await startTestGateway({
      providers: { google: { type: 'gemini', baseUrl: simulator.url, apiKey: 'gemini-sim-key' } },
      models: { 'claude-on-gemini': { provider: 'google', model: 'gemini-2.5-flash' } },
    });
    client = new Anthropic({ apiKey: anthropicGateway.clientKey, baseURL: anthropicGateway.url, maxRetries: 0 });
  });

  after(async () => {
    await anthropicGateway.stop();
    await simulator.close();
  });

  test('streams two parallel tool calls as tool_use blocks, with Gemini receiving its own request shape', async () => {
    const stream = client.messages.stream({ model: 'claude-on-gemini', max_tokens: 200, system: 'Use the tools.', tools: anthropicTools, messages: [{ role: 'user', content: 'Weather and time in Paris?' }] });
    const final = await stream.finalMessage();
    assert.equal(final.stop_reason, 'tool_use');
    const calls = final.content.filter((block) => block.type === 'tool_use').map((block) => [block.id, block.name, block.input]);
    assertCalls(calls, [/^call_[a-z0-9]+_0$/, /^call_[a-z0-9]+_1$/], [['get_weather', { city: 'Paris' }], ['get_time', { zone: 'CET' }]]);
    assert.deepEqual([final.usage.input_tokens, final.usage.cache_read_input_tokens, final.usage.output_tokens], [10, 2, 7]);
    const sent = simulator.received.at(-1);
    assert.equal(sent?.path, '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    assert.deepEqual(sent?.body.systemInstruction, { parts: [{ text: 'Use the tools.' }] });
    assert.deepEqual(sent?.body.generationConfig, { maxOutputTokens: 200 });
    const declarations = (sent?.body.tools as Array<{ functionDeclarations: Array<{ name: string }> }>)[0]?.functionDeclarations;
    assert.deepEqual(declarations?.map((declaration) => declaration.name), ['get_weather', 'get_time']);
  });

  test('tool results go back to Gemini as functionResponse parts named after their calls', async () => {
    const message = await client.messages.create({
      model: 'claude-on-gemini',
      max_tokens: 200,
      tools: anthropicTools,
      messages: [
        { role: 'user', content: 'Weather and time in Paris?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: { city: 'Paris' } }, { type: 'tool_use', id: 'toolu_b', name: 'get_time', input: { zone: 'CET' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: '18°C and sunny' }, { type: 'tool_result', tool_use_id: 'toolu_b', content: '14:05' }] },
      ],
    });
    assert.deepEqual(message.content, [{ type: 'text', text: replyAfterTools }]);
    assert.equal(message.stop_reason, 'end_turn');
    const contents = simulator.received.at(-1)?.body.contents as unknown[];
    assert.deepEqual(contents[2], {
      role: 'user',
      parts: [
        { functionResponse: { name: 'get_weather', response: { output: '18°C and sunny' } } },
        { functionResponse: { name: 'get_time', response: { output: '14:05' } } },
      ],
    });
  });
});
