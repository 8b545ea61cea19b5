import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.js';
import { anthropicServerTools, decodeMessagesRequest } from './decode-messages-request.js';

const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk';

function base(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'claude-sonnet', max_tokens: 512, messages: [{ role: 'user', content: 'Hi' }], ...extra };
}

function rejects(body: unknown, param: string, message?: RegExp): void {
  assert.throws(() => decodeMessagesRequest(body), (error: unknown) => {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.code, 'invalid_request');
    assert.equal(error.param, param);
    assert.ok(error.message.startsWith(`${param}: `), error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

test('a full conversation decodes every block kind into canonical messages in order', () => {
  const request = decodeMessagesRequest({
    model: 'claude-sonnet',
    max_tokens: 1000,
    system: 'Be brief.',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these pictures?', cache_control: { type: 'ephemeral' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: pixel } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/harbour.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Look up the weather first.', signature: 'sig-abc' },
          { type: 'redacted_thinking', data: 'opaque' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '4 degrees' },
          { type: 'text', text: 'And thanks.' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: '09:00' }, { type: 'text', text: 'CET' }], is_error: true },
        ],
      },
      { role: 'assistant', content: 'Done' },
    ],
  });
  assert.deepEqual(request.messages, [
    { role: 'system', content: 'Be brief.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in these pictures?', cache: {} },
        { type: 'image', url: `data:image/png;base64,${pixel}`, data: pixel, mediaType: 'image/png' },
        { type: 'image', url: 'https://example.com/harbour.jpg' },
      ],
    },
    {
      role: 'assistant',
      content: [{ type: 'text', text: 'Checking.' }],
      toolCalls: [
        { id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { id: 'toolu_2', name: 'get_time', arguments: '{}' },
      ],
      reasoning: 'Look up the weather first.',
      reasoningParts: [
        { text: 'Look up the weather first.', format: 'anthropic', signature: 'sig-abc' },
        { text: '', format: 'anthropic', encrypted: 'opaque' },
      ],
    },
    { role: 'tool', toolCallId: 'toolu_1', content: '4 degrees' },
    { role: 'tool', toolCallId: 'toolu_2', content: '09:00\nCET', isError: true },
    { role: 'user', content: [{ type: 'text', text: 'And thanks.' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'Done' }] },
  ]);
  assert.equal(request.maxTokens, 1000);
  assert.equal(request.stream, false);
});

test('a user turn holding only tool results becomes tool messages alone', () => {
  const request = decodeMessagesRequest(base({
    messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_9' }] }],
  }));
  assert.deepEqual(request.messages, [{ role: 'tool', toolCallId: 'toolu_9', content: '' }]);
});

test('parameters, tools and tool choice map to their canonical fields', () => {
  const request = decodeMessagesRequest(base({
    system: [{ type: 'text', text: 'You are terse.' }, { type: 'text', text: 'Answer in French.', cache_control: { type: 'ephemeral' } }],
    temperature: 0.3,
    top_p: 0.9,
    top_k: 40,
    stop_sequences: ['END'],
    metadata: { user_id: 'customer-42' },
    stream: true,
    tools: [
      { name: 'get_weather', description: 'Weather by city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      { type: 'custom', name: 'noop', input_schema: { type: 'object' } },
    ],
    tool_choice: { type: 'any', disable_parallel_tool_use: true },
    thinking: { type: 'enabled', budget_tokens: 4096 },
  }));
  const { native, ...canonical } = request;
  assert.equal(native?.format, 'anthropic');
  assert.deepEqual(canonical, {
    model: 'claude-sonnet',
    maxTokens: 512,
    stream: true,
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'system', content: 'Answer in French.', cache: {} },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
    ],
    temperature: 0.3,
    topP: 0.9,
    stop: ['END'],
    reasoningEffort: 'medium',
    tools: [
      { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'noop', parameters: { type: 'object' } },
    ],
    toolChoice: 'required',
    parallelToolCalls: false,
    user: 'customer-42',
  });
});

test('each tool_choice type maps to the canonical choice', () => {
  assert.equal(decodeMessagesRequest(base({ tool_choice: { type: 'auto' } })).toolChoice, 'auto');
  assert.equal(decodeMessagesRequest(base({ tool_choice: { type: 'none' } })).toolChoice, 'none');
  const forced = decodeMessagesRequest(base({ tool_choice: { type: 'tool', name: 'get_weather', disable_parallel_tool_use: false } }));
  assert.deepEqual(forced.toolChoice, { name: 'get_weather' });
  assert.equal(forced.parallelToolCalls, undefined);
});

test('the thinking budget becomes a reasoning effort', () => {
  const effort = (thinking: unknown, extra: Record<string, unknown> = {}) => decodeMessagesRequest(base({ thinking, ...extra })).reasoningEffort;
  assert.equal(effort({ type: 'enabled', budget_tokens: 1024 }), 'low');
  assert.equal(effort({ type: 'enabled', budget_tokens: 2048 }), 'low');
  assert.equal(effort({ type: 'enabled', budget_tokens: 2049 }), 'medium');
  assert.equal(effort({ type: 'enabled', budget_tokens: 8192 }), 'medium');
  assert.equal(effort({ type: 'enabled', budget_tokens: 8193 }), 'high');
  assert.equal(effort({ type: 'disabled' }), undefined);
  assert.equal(effort({ type: 'adaptive' }), 'medium');
  assert.equal(effort({ type: 'adaptive' }, { output_config: { effort: 'low' } }), 'low');
  assert.equal(effort({ type: 'adaptive' }, { output_config: { effort: 'max' } }), 'high');
});

test('max_tokens is required and must be a positive integer', () => {
  const { max_tokens: _omitted, ...withoutMaxTokens } = base();
  rejects(withoutMaxTokens, 'max_tokens', /required/);
  rejects(base({ max_tokens: 0 }), 'max_tokens');
  rejects(base({ max_tokens: 10.5 }), 'max_tokens');
});

test('top-level problems name their field', () => {
  rejects('not an object', 'body');
  rejects(base({ model: '' }), 'model');
  rejects(base({ messages: [] }), 'messages');
  rejects(base({ system: 42 }), 'system');
  rejects(base({ system: [{ type: 'image' }] }), 'system[0].type');
  rejects(base({ temperature: 1.5 }), 'temperature');
  rejects(base({ top_k: -1 }), 'top_k');
  rejects(base({ stop_sequences: ['ok', 7] }), 'stop_sequences[1]');
  rejects(base({ metadata: { user_id: 5 } }), 'metadata.user_id');
  rejects(base({ stream: 'yes' }), 'stream');
  rejects(base({ tools: [{ name: 'x' }] }), 'tools[0].input_schema');
  rejects(base({ tools: [{ type: 7, name: 'web_search' }] }), 'tools[0].type');
  rejects(base({ system: [{ type: 'text', text: 'x', cache_control: { type: 'forever' } }] }), 'system[0].cache_control.type');
  rejects(base({ tool_choice: { type: 'required' } }), 'tool_choice.type');
  rejects(base({ tool_choice: { type: 'tool' } }), 'tool_choice.name');
  rejects(base({ thinking: { type: 'enabled' } }), 'thinking.budget_tokens');
  rejects(base({ thinking: { type: 'sometimes' } }), 'thinking.type');
});

test('message and block problems name the path down to the field', () => {
  const turns = (third: unknown) => base({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, third] });
  rejects(turns({ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: pixel } }] }), 'messages[2].content[0].source.media_type', /image\/png/);
  rejects(turns({ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'file_1' } }] }), 'messages[2].content[0].source.type');
  rejects(turns({ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: '' } }] }), 'messages[2].content[0].source.data');
  rejects(turns({ role: 'user', content: [{ type: 'text', text: 'see' }, { type: 'document', source: { type: 'zip', data: 'x' } }] }), 'messages[2].content[1].source.type');
  rejects(turns({ role: 'user', content: [{ type: 'tool_use', id: 't', name: 'n', input: {} }] }), 'messages[2].content[0].type');
  rejects(turns({ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }), 'messages[2].content[0].tool_use_id');
  rejects(turns({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'tool_use' }] }] }), 'messages[2].content[0].content[0].type');
  rejects(turns({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', is_error: 'yes' }] }), 'messages[2].content[0].is_error');
  rejects(turns({ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'n', input: '{}' }] }), 'messages[2].content[0].input');
  rejects(turns({ role: 'assistant', content: [{ type: 'tool_result', tool_use_id: 't' }] }), 'messages[2].content[0].type');
  rejects(turns({ role: 'assistant', content: [{ type: 'thinking' }] }), 'messages[2].content[0].thinking');
  rejects(turns({ role: 'developer', content: 'x' }), 'messages[2].role');
  rejects(turns({ role: 'system', content: [{ type: 'image' }] }), 'messages[2].content[0].type');
  rejects(turns({ role: 'user', content: 5 }), 'messages[2].content');
  rejects(turns({ role: 'user', content: [{ type: 'text' }] }), 'messages[2].content[0].text');
});

test('Claude Code requests decode: mid-conversation system messages, documents, tool markers, server tools and the beta header', () => {
  const body = base({
    system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
    messages: [
      { role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }, title: 'spec.pdf' }, { type: 'text', text: 'Read it.' }] },
      { role: 'assistant', content: [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } }, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] }, { type: 'text', text: 'Read.' }] },
      { role: 'system', content: 'The user switched to plan mode.' },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'ok' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: pixel } }], cache_control: { type: 'ephemeral' } }] },
    ],
    tools: [{ name: 'Bash', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } }, { type: 'web_search_20250305', name: 'web_search', max_uses: 3 }],
    context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
    some_future_field: { on: true },
  });
  const request = decodeMessagesRequest(body, { 'anthropic-beta': 'context-management-2025-06-27' });
  assert.deepEqual(request.messages, [
    { role: 'system', content: 'You are Claude Code.', cache: { ttl: '1h' } },
    { role: 'user', content: [{ type: 'file', mediaType: 'application/pdf', data: 'JVBERi0=', filename: 'spec.pdf' }, { type: 'text', text: 'Read it.' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'Read.' }] },
    { role: 'system', content: 'The user switched to plan mode.' },
    { role: 'tool', toolCallId: 'toolu_1', content: 'ok', cache: {} },
    { role: 'user', content: [{ type: 'image', url: `data:image/png;base64,${pixel}`, data: pixel, mediaType: 'image/png' }] },
  ]);
  assert.deepEqual(request.tools, [{ name: 'Bash', parameters: { type: 'object' } }]);
  assert.deepEqual(request.cacheTools, {});
  assert.deepEqual(request.native, { format: 'anthropic', body, headers: { 'anthropic-beta': 'context-management-2025-06-27' } });
  assert.deepEqual(anthropicServerTools(request), ['web_search (web_search_20250305)']);
});
