import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatRequest, Message } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';

const model = 'claude-sonnet-4-5-20250929';

function convert(overrides: Partial<ChatRequest>): Record<string, unknown> {
  const request: ChatRequest = { model: 'smart', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: false, ...overrides };
  return convertToAnthropicRequest(request, model);
}

const weatherTool = { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

test('a plain request uses the upstream model, a default max_tokens and no optional fields', () => {
  assert.deepEqual(convert({}), {
    model,
    max_tokens: 4096,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
  });
});

test('sampling options, stop sequences, user and stream map to their Anthropic names', () => {
  const body = convert({ maxTokens: 300, temperature: 0.2, topP: 0.9, stop: ['END'], user: 'customer-42', stream: true, seed: 7 });
  assert.equal(body.max_tokens, 300);
  assert.equal(body.temperature, 0.2);
  assert.equal(body.top_p, 0.9);
  assert.deepEqual(body.stop_sequences, ['END']);
  assert.deepEqual(body.metadata, { user_id: 'customer-42' });
  assert.equal(body.stream, true);
  assert.equal('seed' in body, false);
});

test('leading system messages form the system prompt; a later one is user text at its place', () => {
  const body = convert({
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      { role: 'system', content: 'Answer in French.' },
    ],
  });
  assert.equal(body.system, 'You are terse.');
  assert.deepEqual(body.messages, [{ role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'text', text: 'Answer in French.' }] }]);
});

test('consecutive messages of the same role are merged into one turn', () => {
  const body = convert({
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'First' }] },
      { role: 'user', content: [{ type: 'text', text: 'Second' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'A' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'B' }] },
    ],
  });
  assert.deepEqual(body.messages, [
    { role: 'user', content: [{ type: 'text', text: 'First' }, { type: 'text', text: 'Second' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }] },
  ]);
});

test('assistant tool calls become tool_use blocks and tool messages become one user turn of tool_result blocks', () => {
  const messages: Message[] = [
    { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo and Lima?' }] },
    {
      role: 'assistant',
      content: [{ type: 'text', text: 'Checking.' }],
      reasoning: 'unsigned thoughts',
      toolCalls: [
        { id: 'toolu_a', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { id: 'toolu_b', name: 'get_weather', arguments: '{"city":"Lima"}' },
      ],
    },
    { role: 'tool', toolCallId: 'toolu_a', content: '4°C, snow' },
    { role: 'tool', toolCallId: 'toolu_b', content: 'station offline', isError: true },
    { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
  ];
  const body = convert({ messages, tools: [weatherTool] });
  assert.deepEqual(body.messages, [
    { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo and Lima?' }] },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: { city: 'Oslo' } },
        { type: 'tool_use', id: 'toolu_b', name: 'get_weather', input: { city: 'Lima' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_a', content: '4°C, snow' },
        { type: 'tool_result', tool_use_id: 'toolu_b', content: 'station offline', is_error: true },
        { type: 'text', text: 'Thanks' },
      ],
    },
  ]);
});

test('tool results are moved ahead of user text merged into the same turn', () => {
  const body = convert({
    messages: [
      { role: 'assistant', content: [], toolCalls: [{ id: 'toolu_a', name: 'ping', arguments: '' }] },
      { role: 'user', content: [{ type: 'text', text: 'Also this' }] },
      { role: 'tool', toolCallId: 'toolu_a', content: 'pong' },
    ],
  });
  assert.deepEqual(body.messages, [
    { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_a', name: 'ping', input: {} }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: 'pong' }, { type: 'text', text: 'Also this' }] },
  ]);
});

test('tool call arguments that are not a JSON object are rejected, naming the call', () => {
  for (const argumentsText of ['{"city": "Os', '[1, 2]']) {
    assert.throws(
      () => convert({ messages: [{ role: 'assistant', content: [], toolCalls: [{ id: 'toolu_bad', name: 'get_weather', arguments: argumentsText }] }] }),
      (error: unknown) => error instanceof GatewayError && error.code === 'invalid_request' && error.message.includes('toolu_bad') && error.message.includes('get_weather'),
    );
  }
});

test('images become base64 or url sources', () => {
  const body = convert({
    messages: [{
      role: 'user',
      content: [
        { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' },
        { type: 'image', data: 'R0lGODlhAQABAAAAACw=', mediaType: 'image/gif' },
        { type: 'image', url: 'https://example.com/cat.jpg' },
        { type: 'text', text: 'What are these?' },
      ],
    }],
  });
  assert.deepEqual(body.messages, [{
    role: 'user',
    content: [
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/gif', data: 'R0lGODlhAQABAAAAACw=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      { type: 'text', text: 'What are these?' },
    ],
  }]);
});

test('an image data URL that is not base64 is an invalid request', () => {
  assert.throws(
    () => convert({ messages: [{ role: 'user', content: [{ type: 'image', url: 'data:image/svg+xml,%3Csvg%3E' }] }] }),
    (error: unknown) => error instanceof GatewayError && error.code === 'invalid_request',
  );
});

test('tools carry name, description and input_schema', () => {
  const body = convert({ tools: [weatherTool, { name: 'get_time', parameters: {} }] });
  assert.deepEqual(body.tools, [
    { name: 'get_weather', description: 'Current weather', input_schema: weatherTool.parameters },
    { name: 'get_time', input_schema: { type: 'object' } },
  ]);
  assert.equal('tool_choice' in body, false);
});

test('each tool choice maps to its Anthropic form', () => {
  const cases: Array<[ChatRequest['toolChoice'], Record<string, unknown>]> = [
    ['auto', { type: 'auto' }],
    ['required', { type: 'any' }],
    ['none', { type: 'none' }],
    [{ name: 'get_weather' }, { type: 'tool', name: 'get_weather' }],
  ];
  for (const [toolChoice, expected] of cases) {
    assert.deepEqual(convert({ tools: [weatherTool], toolChoice }).tool_choice, expected);
  }
});

test('parallelToolCalls false disables parallel tool use, with or without a tool choice', () => {
  assert.deepEqual(convert({ tools: [weatherTool], parallelToolCalls: false }).tool_choice, { type: 'auto', disable_parallel_tool_use: true });
  assert.deepEqual(convert({ tools: [weatherTool], toolChoice: 'required', parallelToolCalls: false }).tool_choice, { type: 'any', disable_parallel_tool_use: true });
});

test('JSON response formats add an instruction to the system prompt', () => {
  const schema = { type: 'object', properties: { answer: { type: 'number' } } };
  const body = convert({
    messages: [{ role: 'system', content: 'Be exact.' }, { role: 'user', content: [{ type: 'text', text: '2+2' }] }],
    responseFormat: { type: 'json-schema', name: 'sum', schema },
  });
  const system = String(body.system);
  assert.ok(system.startsWith('Be exact.\n\n'));
  assert.ok(system.includes('JSON'));
  assert.ok(system.includes(JSON.stringify(schema)));
  assert.ok(String(convert({ responseFormat: { type: 'json' } }).system).includes('JSON'));
  assert.equal('system' in convert({ responseFormat: { type: 'text' } }), false);
});

test('reasoning effort enables thinking with a budget below max_tokens', () => {
  const medium = convert({ reasoningEffort: 'medium', temperature: 0.3 });
  assert.deepEqual(medium.thinking, { type: 'enabled', budget_tokens: 4096 });
  assert.equal(medium.max_tokens, 8192);
  assert.equal('temperature' in medium, false);
  const high = convert({ reasoningEffort: 'high', maxTokens: 20000 });
  assert.deepEqual(high.thinking, { type: 'enabled', budget_tokens: 16384 });
  assert.equal(high.max_tokens, 20000);
  assert.deepEqual(convert({ reasoningEffort: 'low', maxTokens: 500 }).max_tokens, 1524);
  assert.equal('thinking' in convert({ reasoningEffort: 'none' }), false);
  assert.throws(() => convert({ reasoningEffort: 'extreme' }), (error: unknown) => error instanceof GatewayError && error.param === 'reasoning_effort');
});
