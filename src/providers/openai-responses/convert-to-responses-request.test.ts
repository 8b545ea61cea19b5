import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatRequest } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { convertToResponsesRequest } from './convert-to-responses-request.js';
import { createResponsesAdapter } from './openai-responses-adapter.js';

const conversation: ChatRequest = {
  model: 'alias',
  stream: false,
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'text', text: 'Weather?' }, { type: 'image', url: 'https://example.com/a.png', detail: 'low' }, { type: 'file', data: 'JVBERi0=', mediaType: 'application/pdf', filename: 'a.pdf' }] },
    {
      role: 'assistant',
      content: [{ type: 'text', text: 'Checking.' }],
      toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', providerMetadata: { 'openai-responses': { itemId: 'fc_1' } } }],
      reasoningParts: [
        { text: 'Think.', format: 'openai-responses', id: 'rs_1', encrypted: 'enc', summary: ['Think.'] },
        { text: 'Claude thought', format: 'anthropic', signature: 'sig' },
      ],
    },
    { role: 'tool', toolCallId: 'call_1', content: '18C' },
    { role: 'system', content: 'Answer in French.' },
  ],
  tools: [{ name: 'get_weather', parameters: { type: 'object' } }],
  toolChoice: { name: 'get_weather' },
  parallelToolCalls: false,
  responseFormat: { type: 'json-schema', name: 'answer', schema: { type: 'object' }, strict: true },
  reasoningEffort: 'low',
  maxTokens: 100,
  temperature: 0.5,
  topP: 0.9,
  user: 'end-user-7',
};

test('a canonical conversation becomes Responses input items, stateless, with encrypted reasoning requested back', () => {
  assert.deepEqual(convertToResponsesRequest(conversation, 'gpt-5-mini'), {
    model: 'gpt-5-mini',
    instructions: 'Be brief.',
    input: [
      { type: 'message', role: 'user', content: [
        { type: 'input_text', text: 'Weather?' },
        { type: 'input_image', image_url: 'https://example.com/a.png', detail: 'low' },
        { type: 'input_file', file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' },
      ] },
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Think.' }], encrypted_content: 'enc' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.', annotations: [] }] },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', id: 'fc_1' },
      { type: 'function_call_output', call_id: 'call_1', output: '18C' },
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Answer in French.' }] },
    ],
    tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' }, strict: false }],
    tool_choice: { type: 'function', name: 'get_weather' },
    parallel_tool_calls: false,
    text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } },
    reasoning: { effort: 'low' },
    max_output_tokens: 100,
    temperature: 0.5,
    top_p: 0.9,
    safety_identifier: 'end-user-7',
    store: false,
    include: ['reasoning.encrypted_content'],
  });
});

test('stop sequences, which the Responses API lacks, are refused with the field named', () => {
  assert.throws(() => convertToResponsesRequest({ ...conversation, stop: ['END'] }, 'm'), (error: unknown) => error instanceof GatewayError && error.code === 'invalid_request' && error.param === 'stop');
});

test('a native Responses body is sent as the client wrote it, built-in tools included, with only the model and statelessness added', () => {
  const body = { model: 'alias', input: 'Search the news', tools: [{ type: 'web_search' }, { type: 'mcp', server_label: 'x', server_url: 'https://mcp.example.com' }], include: ['web_search_call.action.sources'], metadata: { a: '1' } };
  const sent = convertToResponsesRequest({ ...conversation, stream: true, native: { format: 'openai-responses', body } }, 'gpt-5');
  assert.deepEqual(sent, { ...body, model: 'gpt-5', stream: true, store: false, include: ['web_search_call.action.sources', 'reasoning.encrypted_content'] });
  const stored = convertToResponsesRequest({ ...conversation, native: { format: 'openai-responses', body: { ...body, store: true } } }, 'gpt-5');
  assert.equal(stored.store, true);
  assert.deepEqual(stored.include, ['web_search_call.action.sources']);
});

test('a native body with previous_response_id goes out with the expanded conversation instead of the id', () => {
  const body = { model: 'alias', previous_response_id: 'resp_gateway_1', input: 'And tomorrow?', tools: [{ type: 'web_search' }] };
  const sent = convertToResponsesRequest({ ...conversation, native: { format: 'openai-responses', body } }, 'gpt-5');
  assert.equal('previous_response_id' in sent, false);
  assert.equal(sent.instructions, 'Be brief.');
  assert.equal((sent.input as unknown[]).length, 6);
  assert.deepEqual(sent.tools, [{ type: 'web_search' }]);
});

test('Azure is called on its v1 Responses path with the deployment as model and an api-key header', () => {
  const built = createResponsesAdapter('azure-openai').buildChatRequest(conversation, 'gpt-5-mini', {
    name: 'azure', baseUrl: 'https://res.openai.azure.com', apiKey: 'azure-key', options: { deployment: 'my-deploy' },
  }) as { url: string; headers: Record<string, string>; body: string };
  assert.equal(built.url, 'https://res.openai.azure.com/openai/v1/responses');
  assert.equal(built.headers['api-key'], 'azure-key');
  assert.equal(built.headers.authorization, undefined);
  assert.equal((JSON.parse(built.body) as { model: string }).model, 'my-deploy');
  const openai = createResponsesAdapter('openai').buildChatRequest(conversation, 'gpt-5-mini', { name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-x' }) as { url: string; headers: Record<string, string> };
  assert.equal(openai.url, 'https://api.openai.com/v1/responses');
  assert.equal(openai.headers.authorization, 'Bearer sk-x');
});
