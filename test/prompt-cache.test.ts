import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startAnthropicSimulator } from './simulators/anthropic-simulator.js';
import { startBedrockSimulator } from './simulators/bedrock-simulator.js';
import type { ProviderSimulator } from './simulators/loopback-server.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

type Json = Record<string, unknown>;

interface LedgerTokens {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
}

/** The figures of one conversation: per request, the share of its input tokens read from the cache, and the cost. */
interface Figures {
  readShares: number[];
  costUsd: number;
}

const questions = ['Weather and time in Paris?', 'And what should I wear there?', 'Is it a good evening for a river cruise?', 'Where could I eat near the Louvre?', 'Any museum open late tonight?'];

/** A long, stable system prompt (about 1,600 simulated tokens) and two tools: the prefix worth caching. */
function systemPrompt(label: string): string {
  const topics = ['weather', 'local time', 'clothing', 'transport', 'restaurants', 'museums'];
  const rules = Array.from({ length: 60 }, (_, index) => `Rule ${index + 1}: when asked about ${topics[index % topics.length]}, call the tools first and quote their results in one short sentence.`);
  return [`You are the travel desk of ${label}.`, ...rules].join('\n');
}

const anthropicTools = [
  { name: 'get_weather', description: 'Current weather of a city, in degrees Celsius with a one-word summary.', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  { name: 'get_time', description: 'Current local time in a time zone given by its abbreviation.', input_schema: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] } },
];
const openAiTools = anthropicTools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.input_schema } }));

let gateway: TestGateway;

async function post(path: string, body: Json, headers: Record<string, string>): Promise<{ id: string; text: string }> {
  const response = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return { id: response.headers.get('x-request-id') ?? '', text };
}

const anthropicHeaders = () => ({ 'x-api-key': gateway.clientKey, 'anthropic-version': '2023-06-01' });

/** A client of the Messages API that sends no cache markers: five questions, each answered after one tool round. */
async function anthropicConversation(model: string, label: string): Promise<string[]> {
  const ids: string[] = [];
  const messages: Json[] = [];
  for (const question of questions) {
    messages.push({ role: 'user', content: question });
    for (;;) {
      const sent = await post('/v1/messages', { model, max_tokens: 300, system: systemPrompt(label), tools: anthropicTools, messages }, anthropicHeaders());
      ids.push(sent.id);
      const answer = JSON.parse(sent.text) as { content: Json[]; stop_reason: string };
      messages.push({ role: 'assistant', content: answer.content });
      if (answer.stop_reason !== 'tool_use') break;
      const results = answer.content.filter((block) => block.type === 'tool_use').map((block) => ({ type: 'tool_result', tool_use_id: block.id, content: `result of ${String(block.name)}` }));
      messages.push({ role: 'user', content: results });
    }
  }
  return ids;
}

interface StreamedCall {
  id: string;
  name: string;
  arguments: string;
}

/** The tool calls of a streamed chat completion, assembled from its deltas. */
function streamedCalls(text: string): StreamedCall[] {
  const calls: StreamedCall[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const chunk = JSON.parse(line.slice(6)) as { choices?: Array<{ delta?: { tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }> } }> };
    for (const delta of chunk.choices?.[0]?.delta?.tool_calls ?? []) {
      const call = (calls[delta.index] ??= { id: '', name: '', arguments: '' });
      call.id += delta.id ?? '';
      call.name += delta.function?.name ?? '';
      call.arguments += delta.function?.arguments ?? '';
    }
  }
  return calls;
}

/** The same conversation from an OpenAI chat client, streamed with usage. */
async function openAiConversation(model: string, label: string): Promise<string[]> {
  const ids: string[] = [];
  const messages: Json[] = [{ role: 'system', content: systemPrompt(label) }];
  for (const question of questions) {
    messages.push({ role: 'user', content: question });
    for (;;) {
      const body = { model, max_tokens: 300, stream: true, stream_options: { include_usage: true }, tools: openAiTools, messages };
      const sent = await post('/v1/chat/completions', body, { authorization: `Bearer ${gateway.clientKey}` });
      ids.push(sent.id);
      const calls = streamedCalls(sent.text);
      if (calls.length === 0) {
        messages.push({ role: 'assistant', content: 'answered' });
        break;
      }
      messages.push({ role: 'assistant', content: null, tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })) });
      for (const call of calls) messages.push({ role: 'tool', tool_call_id: call.id, content: `result of ${call.name}` });
    }
  }
  return ids;
}

async function figures(ids: string[]): Promise<Figures> {
  const records = await Promise.all(ids.map(async (id) => (await (await gateway.admin(`/admin/requests/${id}`)).json()) as LedgerTokens));
  const readShares = records.map((record) => record.cachedInputTokens / (record.inputTokens + record.cachedInputTokens + record.cacheWriteTokens));
  return { readShares, costUsd: records.reduce((sum, record) => sum + record.costUsd, 0) };
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

describe('promptCache auto makes a client that sends no markers pay cache-read prices from its second request on', () => {
  let anthropic: ProviderSimulator;
  let bedrock: ProviderSimulator;

  before(async () => {
    // A smaller minimum prefix than the real 1,024 tokens keeps the conversation short; the rule is the same.
    anthropic = await startAnthropicSimulator({ promptCache: { minimumTokens: 512 } });
    bedrock = await startBedrockSimulator({ promptCache: { minimumTokens: 512 } });
    const awsKeys = { region: 'us-east-1', accessKeyId: 'AKIASIMULATOR', secretAccessKey: 'simulator-secret-key' };
    const bedrockModel = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
    gateway = await startTestGateway({
      providers: { anthropic: { type: 'anthropic', baseUrl: anthropic.url, apiKey: 'sk-ant-sim' }, bedrock: { type: 'bedrock', baseUrl: bedrock.url, options: awsKeys } },
      models: {
        'claude-auto': { provider: 'anthropic', model: 'claude-sonnet-4-5', promptCache: 'auto' },
        'claude-plain': { provider: 'anthropic', model: 'claude-sonnet-4-5' },
        'bedrock-auto': { provider: 'bedrock', model: bedrockModel, promptCache: 'auto' },
        'bedrock-plain': { provider: 'bedrock', model: bedrockModel },
      },
    });
  });

  after(async () => {
    await gateway.stop();
    await Promise.all([anthropic.close(), bedrock.close()]);
  });

  const cases = [
    { ingress: 'Anthropic Messages', provider: 'Anthropic', model: 'claude', converse: anthropicConversation },
    { ingress: 'Anthropic Messages', provider: 'Bedrock', model: 'bedrock', converse: anthropicConversation },
    { ingress: 'OpenAI chat (streamed)', provider: 'Anthropic', model: 'claude', converse: openAiConversation },
    { ingress: 'OpenAI chat (streamed)', provider: 'Bedrock', model: 'bedrock', converse: openAiConversation },
  ];

  for (const { ingress, provider, model, converse } of cases) {
    test(`${ingress} to ${provider}: over 50% of input tokens are cache reads on requests 2..n, and the conversation costs less than without caching`, async (context) => {
      const label = `${ingress} to ${provider}`;
      const cached = await figures(await converse(`${model}-auto`, label));
      const uncached = await figures(await converse(`${model}-plain`, `${label} uncached`));
      assert.equal(cached.readShares.length, 10, 'five questions, each answered after one tool round');
      assert.equal(cached.readShares[0], 0, 'the first request writes the cache and reads nothing');
      for (const [index, share] of cached.readShares.entries()) {
        if (index > 0) assert.ok(share > 0.5, `request ${index + 1}: ${percent(share)} read from the cache`);
      }
      assert.deepEqual(uncached.readShares, uncached.readShares.map(() => 0), 'without promptCache nothing is cached');
      assert.ok(cached.costUsd > 0 && cached.costUsd < uncached.costUsd, `with ${cached.costUsd}, without ${uncached.costUsd}`);
      assert.ok(cached.costUsd < 0.5 * uncached.costUsd, `with ${cached.costUsd}, without ${uncached.costUsd}`);
      context.diagnostic(`${label}: cache-read share per request ${cached.readShares.map(percent).join(' ')}; cost $${cached.costUsd.toFixed(6)} with, $${uncached.costUsd.toFixed(6)} without`);
    });
  }

  test('markers a Messages client sends itself reach Bedrock as cachePoint blocks, field for field', async () => {
    const system = systemPrompt('markers');
    await post('/v1/messages', {
      model: 'bedrock-plain',
      max_tokens: 100,
      system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral', ttl: '1h' } }],
      tools: [anthropicTools[0], { ...anthropicTools[1], cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather?', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'In Paris.' }] }],
    }, anthropicHeaders());
    const sent = bedrock.received.at(-1)?.body;
    const spec = (tool: (typeof anthropicTools)[number]) => ({ toolSpec: { name: tool.name, description: tool.description, inputSchema: { json: tool.input_schema } } });
    assert.deepEqual(sent?.system, [{ text: system }, { cachePoint: { type: 'default', ttl: '1h' } }]);
    assert.deepEqual((sent?.toolConfig as Json).tools, [spec(anthropicTools[0] as (typeof anthropicTools)[number]), spec(anthropicTools[1] as (typeof anthropicTools)[number]), { cachePoint: { type: 'default' } }]);
    assert.deepEqual(sent?.messages, [{ role: 'user', content: [{ text: 'Weather?' }, { cachePoint: { type: 'default' } }, { text: 'In Paris.' }] }]);
  });

  test('markers a Messages client sends to Anthropic stay exactly where it put them', async () => {
    const body = {
      model: 'claude-plain',
      max_tokens: 100,
      system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: systemPrompt('exact'), cache_control: { type: 'ephemeral', ttl: '1h' } }],
      tools: [{ ...anthropicTools[0], cache_control: { type: 'ephemeral' } }, anthropicTools[1]],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather?', cache_control: { type: 'ephemeral' } }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Which city?' }] },
        { role: 'user', content: 'Paris.' },
      ],
    };
    await post('/v1/messages', body, anthropicHeaders());
    assert.deepEqual(anthropic.received.at(-1)?.body, { ...body, model: 'claude-sonnet-4-5' });
  });
});
