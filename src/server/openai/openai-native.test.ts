import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatResponse } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { openAiAdapter, createOpenAiCompatibleAdapter } from '../../providers/openai/openai-adapter.js';
import { openAiHostProfiles, type OpenAiHostProfile } from '../../providers/openai/openai-compatible-hosts.js';
import { parseOpenAiChatResponse } from '../../providers/openai/openai-response.js';
import { decodeChatRequest } from './decode-chat-request.js';
import { encodeChatResponse } from './encode-chat-response.js';
import { OpenAiStreamEncoder } from './encode-chat-stream.js';

const endpoint = { name: 'openai', baseUrl: 'https://api.example/v1', apiKey: 'k' };
const usage = { inputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0 };

test('developer and system messages stay where they are, files decode, the body is kept as sent', () => {
  const body = {
    model: 'm',
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'read' }, { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' } }, { type: 'file', file: { file_id: 'file-1' } }] },
      { role: 'developer', content: 'Now be terse.' },
    ],
    reasoning_effort: 'high',
    verbosity: 'low',
  };
  const request = decodeChatRequest(body);
  assert.deepEqual(request.messages, [
    { role: 'user', content: [{ type: 'text', text: 'read' }, { type: 'file', mediaType: 'application/pdf', data: 'JVBE', filename: 'a.pdf' }, { type: 'file', fileId: 'file-1' }] },
    { role: 'system', content: 'Now be terse.' },
  ]);
  assert.equal(request.reasoningEffort, 'high');
  assert.equal(request.native?.format, 'openai-chat');
  assert.equal(request.native?.body, body);
});

test('each OpenAI-only field is checked and a bad value names it', () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ reasoning_effort: 'max' }, 'reasoning_effort'],
    [{ verbosity: 'loud' }, 'verbosity'],
    [{ store: 'yes' }, 'store'],
    [{ metadata: { a: 1 } }, 'metadata.a'],
    [{ prompt_cache_key: 5 }, 'prompt_cache_key'],
    [{ service_tier: 1 }, 'service_tier'],
    [{ prediction: { type: 'text' } }, 'prediction.type'],
    [{ top_logprobs: 3 }, 'top_logprobs'],
    [{ logprobs: true, top_logprobs: 21 }, 'top_logprobs'],
    [{ n: 0 }, 'n'],
    [{ modalities: ['video'] }, 'modalities[0]'],
    [{ audio: 'alloy' }, 'audio'],
    [{ web_search_options: true }, 'web_search_options'],
    [{ messages: [{ role: 'user', content: [{ type: 'file', file: {} }] }] }, 'messages[0].content[0].file'],
    [{ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] }, 'messages[0].content[0].input_audio.data'],
  ];
  for (const [extra, param] of cases) {
    const body = { model: 'm', messages: [{ role: 'user', content: 'x' }], ...extra };
    assert.throws(() => decodeChatRequest(body), (error: unknown) => error instanceof GatewayError && error.code === 'invalid_request' && error.param === param, param);
  }
});

test('OpenAI gets the native body with the model replaced and usage asked in a stream; a converted host refuses n', () => {
  const request = decodeChatRequest({ model: 'alias', messages: [{ role: 'user', content: 'x' }], n: 2, stream: true, stream_options: { include_obfuscation: false }, max_completion_tokens: 9 });
  const sent = JSON.parse((openAiAdapter.buildChatRequest(request, 'gpt-5', endpoint) as { body: string }).body) as Record<string, unknown>;
  assert.deepStrictEqual(sent, { model: 'gpt-5', messages: [{ role: 'user', content: 'x' }], n: 2, stream: true, stream_options: { include_obfuscation: false, include_usage: true }, max_completion_tokens: 9 });
  const router = createOpenAiCompatibleAdapter(openAiHostProfiles.openrouter as OpenAiHostProfile);
  const routed = JSON.parse((router.buildChatRequest(request, 'x/y', endpoint) as { body: string }).body) as Record<string, unknown>;
  assert.equal(routed.max_tokens, 9, 'the host quirks still apply to a native body');
  assert.equal(routed.max_completion_tokens, undefined);
  const groq = createOpenAiCompatibleAdapter(openAiHostProfiles.groq as OpenAiHostProfile);
  assert.throws(() => groq.buildChatRequest(request, 'llama', endpoint), (error: unknown) => error instanceof GatewayError && error.param === 'n');
});

test('an OpenAI answer goes back as it came, under the requested model name', () => {
  const body = { id: 'c1', object: 'chat.completion', created: 1, model: 'gpt-5', choices: [{ index: 0, message: { role: 'assistant', content: 'a' }, logprobs: { content: [] }, finish_reason: 'stop' }, { index: 1, message: { role: 'assistant', content: 'b' }, logprobs: null, finish_reason: 'stop' }], service_tier: 'flex', usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } };
  const parsed = parseOpenAiChatResponse(body, 'gpt-5', 'openai', true);
  assert.equal(parsed.text, 'a');
  assert.deepStrictEqual(encodeChatResponse(parsed, 'x', 'alias', usage), { ...body, model: 'alias' });
});

test('native chunks are relayed verbatim but for the model, without usage the client did not ask for', () => {
  const chunk = (extra: Record<string, unknown>) => JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-5', ...extra });
  const choices = [{ index: 1, delta: { content: 'b' }, logprobs: { content: [{ token: 'b', logprob: -1 }] }, finish_reason: null }];
  const quiet = new OpenAiStreamEncoder('id', 'alias', false);
  const text = [
    quiet.encode({ type: 'native', format: 'openai-chat', event: undefined, data: chunk({ choices, usage: null }) }),
    quiet.encode({ type: 'text-delta', text: 'b' }),
    quiet.encode({ type: 'native', format: 'openai-chat', event: undefined, data: chunk({ choices: [], usage: { total_tokens: 3 } }) }),
    quiet.close(usage),
  ].join('');
  assert.equal(text, `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'alias', choices })}\n\ndata: [DONE]\n\n`);
  const asked = new OpenAiStreamEncoder('id', 'alias', true);
  const withUsage = asked.encode({ type: 'native', format: 'openai-chat', event: undefined, data: chunk({ choices: [], usage: { total_tokens: 3 } }) }) + asked.close(usage);
  assert.equal(withUsage.match(/total_tokens/g)?.length, 1);
});

test('a Gemini signature rides on the tool call as extra_content and is read back from the client', () => {
  const response: ChatResponse = { id: 'r', model: 'g', created: 1, text: '', toolCalls: [{ id: 'call_1', name: 'f', arguments: '{}', providerMetadata: { gemini: { thoughtSignature: 'SIG' } } }], finishReason: 'tool-calls', rawFinishReason: 'STOP', usage };
  const encoded = encodeChatResponse(response, 'x', 'alias', usage) as { choices: Array<{ message: { tool_calls: unknown[] } }> };
  const call = encoded.choices[0]?.message.tool_calls[0];
  assert.deepEqual(call, { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' }, extra_content: { google: { thought_signature: 'SIG' } } });
  const request = decodeChatRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: null, tool_calls: [call] }] });
  assert.deepEqual(request.messages[1], { role: 'assistant', content: [], toolCalls: [{ id: 'call_1', name: 'f', arguments: '{}', providerMetadata: { gemini: { thoughtSignature: 'SIG' } } }] });
});
