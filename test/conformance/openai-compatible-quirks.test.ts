import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatRequest } from '../../src/core/canonical.js';
import type { ProviderAdapter, ProviderEndpoint } from '../../src/core/provider.js';
import { adapterFor, defaultBaseUrl } from '../../src/providers/registry.js';
import { chatRequest, conversation, timeTool, weatherTool } from './canonical-cases.js';
import { usageObject } from './kits/openai-hosts.js';
import { sse } from './kits/wire-helpers.js';
import { summarise, decodeStream } from './stream-harness.js';

/** The documented differences of OpenAI-wire hosts, checked on the one OpenAI adapter each profile configures. */

function adapter(type: string): ProviderAdapter {
  const found = adapterFor(type);
  if (!found) throw new Error(`no adapter for ${type}`);
  return found;
}

async function body(type: string, request: ChatRequest, endpoint: Partial<ProviderEndpoint> = {}): Promise<{ url: string; headers: Record<string, string>; body: Record<string, unknown> }> {
  const full: ProviderEndpoint = { name: type, baseUrl: defaultBaseUrl(type), apiKey: 'quirk-test-key-0123456789', ...endpoint };
  const upstream = await adapter(type).buildChatRequest(request, 'quirk-model', full);
  return { url: upstream.url, headers: upstream.headers, body: JSON.parse(upstream.body) as Record<string, unknown> };
}

const seeded = chatRequest({ seed: 42, user: 'traveller-7', stream: true, toolChoice: 'required' });

describe('OpenAI itself', () => {
  test('sends max_completion_tokens and asks for usage at the end of a stream', async () => {
    const sent = await body('openai', seeded);
    assert.equal(sent.url, 'https://api.openai.com/v1/chat/completions');
    assert.equal(sent.body.max_completion_tokens, 300);
    assert.equal(sent.body.max_tokens, undefined);
    assert.deepEqual(sent.body.stream_options, { include_usage: true });
    assert.equal(sent.body.seed, 42);
    assert.equal(sent.headers.authorization, 'Bearer quirk-test-key-0123456789');
  });
});

describe('Azure OpenAI', () => {
  test('addresses the deployment with an api-version and sends the key in the api-key header', async () => {
    const sent = await body('azure-openai', seeded, { baseUrl: 'https://travel.openai.azure.com', options: { deployment: 'mini-eu', apiVersion: '2024-10-21' } });
    assert.equal(sent.url, 'https://travel.openai.azure.com/openai/deployments/mini-eu/chat/completions?api-version=2024-10-21');
    assert.equal(sent.headers['api-key'], 'quirk-test-key-0123456789');
    assert.equal(sent.headers.authorization, undefined, 'no bearer token beside the api-key header');
  });

  test('names the deployment after the upstream model when no deployment is configured', async () => {
    const sent = await body('azure-openai', chatRequest(), { baseUrl: 'https://travel.openai.azure.com' });
    assert.match(sent.url, /^https:\/\/travel\.openai\.azure\.com\/openai\/deployments\/quirk-model\/chat\/completions\?api-version=[\d-]+(-preview)?$/);
  });
});

describe('Groq', () => {
  test('sends max_completion_tokens and drops the parameters Groq rejects', async () => {
    const sent = await body('groq', seeded);
    assert.equal(sent.url, 'https://api.groq.com/openai/v1/chat/completions');
    assert.equal(sent.body.max_completion_tokens, 300);
    assert.equal(sent.body.seed, undefined);
  });

  test('reads stream usage that Groq reports only under x_groq', () => {
    const usage = usageObject({ input: 30, cacheRead: 0, cacheWrite: 0, output: 4 }, 'groq');
    const base = { id: 'chatcmpl-q', object: 'chat.completion.chunk', created: 1767225600, model: 'llama-3.3-70b-versatile' };
    const bytes = sse([
      { data: { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }] } },
      { data: { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], x_groq: { id: 'req_q', usage } } },
      { data: '[DONE]' },
    ]);
    const summary = summarise(decodeStream(adapter('groq'), 'llama-3.3-70b-versatile', bytes, 9));
    assert.equal(summary.usage?.inputTokens, 30);
    assert.equal(summary.usage?.outputTokens, 4);
    assert.equal(summary.finish?.finishReason, 'stop');
  });
});

describe('Mistral', () => {
  test('sends max_tokens, random_seed and tool_choice "any", and nothing Mistral rejects', async () => {
    const sent = await body('mistral', seeded);
    assert.equal(sent.url, 'https://api.mistral.ai/v1/chat/completions');
    assert.equal(sent.body.max_tokens, 300);
    assert.equal(sent.body.max_completion_tokens, undefined);
    assert.equal(sent.body.random_seed, 42);
    assert.equal(sent.body.seed, undefined);
    assert.equal(sent.body.tool_choice, 'any');
    assert.equal(sent.body.stream_options, undefined, 'Mistral sends stream usage unasked and rejects stream_options');
    assert.equal(sent.body.user, undefined);
  });
});

describe('DeepSeek', () => {
  test('sends max_tokens and leaves out seed and user', async () => {
    const sent = await body('deepseek', seeded);
    assert.equal(sent.url, 'https://api.deepseek.com/v1/chat/completions');
    assert.equal(sent.body.max_tokens, 300);
    assert.equal(sent.body.seed, undefined);
    assert.equal(sent.body.user, undefined);
  });

  test('keeps the reasoning of deepseek-reasoner apart from the answer', () => {
    const response = adapter('deepseek').parseChatResponse(
      {
        id: 'c1',
        object: 'chat.completion',
        created: 1767225600,
        model: 'deepseek-reasoner',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Tokyo is 8 hours ahead.', reasoning_content: 'Paris is UTC+1, Tokyo UTC+9.' }, finish_reason: 'stop' }],
        usage: usageObject({ input: 12, cacheRead: 64, cacheWrite: 0, output: 20 }, 'deepseek'),
      },
      'deepseek-reasoner',
    );
    assert.equal(response.text, 'Tokyo is 8 hours ahead.');
    assert.equal(response.reasoning, 'Paris is UTC+1, Tokyo UTC+9.');
    assert.equal(response.usage?.cacheReadTokens, 64);
    assert.equal(response.usage?.inputTokens, 12);
  });
});

describe('local servers (Ollama, vLLM)', () => {
  for (const [type, base] of [['ollama', 'http://127.0.0.1:11434/v1'], ['vllm', 'http://127.0.0.1:8000/v1']] as const) {
    test(`${type} defaults to ${base}, sends max_tokens and no credential when none is configured`, async () => {
      const request: ChatRequest = { model: 'm', messages: conversation, tools: [weatherTool, timeTool], maxTokens: 64, stream: false };
      const sent = await body(type, request, { apiKey: undefined });
      assert.equal(sent.url, `${base}/chat/completions`);
      assert.equal(sent.body.max_tokens, 64);
      assert.equal(sent.headers.authorization, undefined);
    });
  }
});
