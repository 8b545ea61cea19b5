import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatRequest, ToolDefinition } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { convertToCohereEmbedRequest, convertToCohereRequest } from './convert-to-cohere-request.js';

const weather: ToolDefinition = { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
const time: ToolDefinition = { name: 'get_time', parameters: { type: 'object', properties: {} } };

function chat(overrides: Partial<ChatRequest>): ChatRequest {
  return { model: 'alias', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: false, ...overrides };
}

test('a conversation with every role converts to Cohere v2 messages', () => {
  const body = convertToCohereRequest(chat({
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo and the time?' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Checking both.' }], toolCalls: [
        { id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { id: 'call_2', name: 'get_time', arguments: '{}' },
      ] },
      { role: 'tool', toolCallId: 'call_1', content: '{"temp":4}' },
      { role: 'tool', toolCallId: 'call_2', content: '09:15' },
      { role: 'assistant', content: [{ type: 'text', text: 'It is 4°C at 09:15.' }] },
    ],
  }), 'command-a-03-2025');
  assert.deepEqual(body, {
    model: 'command-a-03-2025',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Oslo and the time?' },
      {
        role: 'assistant',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
        tool_plan: 'Checking both.',
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temp":4}' },
      { role: 'tool', tool_call_id: 'call_2', content: '09:15' },
      { role: 'assistant', content: 'It is 4°C at 09:15.' },
    ],
  });
});

test('a user message with images uses text and image_url blocks; inline data becomes a data URL', () => {
  const body = convertToCohereRequest(chat({
    messages: [{ role: 'user', content: [
      { type: 'text', text: 'Compare these.' },
      { type: 'image', url: 'https://example.com/a.png', detail: 'low' },
      { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
    ] }],
  }), 'command-a-vision-07-2025');
  assert.deepEqual(body.messages, [{ role: 'user', content: [
    { type: 'text', text: 'Compare these.' },
    { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
    { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
  ] }]);
});

test('tools become function definitions; auto sends no tool_choice', () => {
  const body = convertToCohereRequest(chat({ tools: [weather, time], toolChoice: 'auto' }), 'm');
  assert.deepEqual(body.tools, [
    { type: 'function', function: { name: 'get_weather', parameters: weather.parameters, description: 'Weather by city' } },
    { type: 'function', function: { name: 'get_time', parameters: time.parameters } },
  ]);
  assert.equal('tool_choice' in body, false);
});

test('required and none map to REQUIRED and NONE', () => {
  assert.equal(convertToCohereRequest(chat({ tools: [weather], toolChoice: 'required' }), 'm').tool_choice, 'REQUIRED');
  assert.equal(convertToCohereRequest(chat({ tools: [weather], toolChoice: 'none' }), 'm').tool_choice, 'NONE');
});

test('a named tool choice sends only that tool with REQUIRED', () => {
  const body = convertToCohereRequest(chat({ tools: [weather, time], toolChoice: { name: 'get_time' } }), 'm');
  assert.deepEqual(body.tools, [{ type: 'function', function: { name: 'get_time', parameters: time.parameters } }]);
  assert.equal(body.tool_choice, 'REQUIRED');
});

test('a named tool choice that matches no tool is an invalid request', () => {
  assert.throws(
    () => convertToCohereRequest(chat({ tools: [weather], toolChoice: { name: 'nope' } }), 'm'),
    (error: unknown) => error instanceof GatewayError && error.code === 'invalid_request' && error.param === 'tool_choice',
  );
});

test('JSON mode and JSON schema map to json_object, with the schema when given', () => {
  assert.deepEqual(convertToCohereRequest(chat({ responseFormat: { type: 'json' } }), 'm').response_format, { type: 'json_object' });
  const schema = { type: 'object', properties: { answer: { type: 'string' } } };
  assert.deepEqual(convertToCohereRequest(chat({ responseFormat: { type: 'json-schema', name: 'a', schema } }), 'm').response_format, { type: 'json_object', json_schema: schema });
  assert.equal('response_format' in convertToCohereRequest(chat({ responseFormat: { type: 'text' } }), 'm'), false);
});

test('sampling settings use Cohere names and stream is sent only when streaming', () => {
  const body = convertToCohereRequest(chat({ maxTokens: 300, temperature: 0.2, topP: 0.9, stop: ['END'], seed: 7, stream: true, user: 'u1' }), 'm');
  assert.equal(body.max_tokens, 300);
  assert.equal(body.temperature, 0.2);
  assert.equal(body.p, 0.9);
  assert.deepEqual(body.stop_sequences, ['END']);
  assert.equal(body.seed, 7);
  assert.equal(body.stream, true);
  assert.equal('user' in body, false);
  assert.equal('stream' in convertToCohereRequest(chat({}), 'm'), false);
});

test('an embedding request asks for float search_document embeddings, with output_dimension when given', () => {
  assert.deepEqual(convertToCohereEmbedRequest({ model: 'e', input: ['a', 'b'], dimensions: 512 }, 'embed-v4.0'), {
    model: 'embed-v4.0', texts: ['a', 'b'], input_type: 'search_document', embedding_types: ['float'], output_dimension: 512,
  });
  assert.equal('output_dimension' in convertToCohereEmbedRequest({ model: 'e', input: ['a'] }, 'embed-v4.0'), false);
});
