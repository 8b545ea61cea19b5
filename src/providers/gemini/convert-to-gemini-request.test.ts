import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatRequest, Message } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { convertToGeminiRequest } from './convert-to-gemini-request.js';

function chat(messages: Message[], extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'alias', messages, stream: false, ...extra };
}

test('system messages become systemInstruction and turns use the user and model roles', () => {
  const body = convertToGeminiRequest(chat([
    { role: 'system', content: 'Answer in French.' },
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'Bonjour' }] },
    { role: 'user', content: [{ type: 'text', text: 'How are you?' }] },
  ]));
  assert.deepEqual(body.systemInstruction, { parts: [{ text: 'Answer in French.' }, { text: 'Be brief.' }] });
  assert.deepEqual(body.contents, [
    { role: 'user', parts: [{ text: 'Hello' }] },
    { role: 'model', parts: [{ text: 'Bonjour' }] },
    { role: 'user', parts: [{ text: 'How are you?' }] },
  ]);
  assert.equal(body.generationConfig, undefined);
  assert.equal(body.tools, undefined);
});

test('tool calls become functionCall parts and results find their function name by call id', () => {
  const body = convertToGeminiRequest(chat([
    { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo and time in Tokyo?' }] },
    {
      role: 'assistant',
      content: [],
      toolCalls: [
        { id: 'call_a', name: 'get_forecast', arguments: '{"city":"Oslo"}' },
        { id: 'call_b', name: 'get_local_time', arguments: '{"city":"Tokyo"}' },
      ],
    },
    { role: 'tool', toolCallId: 'call_b', content: '14:05' },
    { role: 'tool', toolCallId: 'call_a', content: 'rate limit', isError: true },
    { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
  ]));
  assert.deepEqual(body.contents[1], {
    role: 'model',
    parts: [
      { functionCall: { name: 'get_forecast', args: { city: 'Oslo' } }, thoughtSignature: 'skip_thought_signature_validator' },
      { functionCall: { name: 'get_local_time', args: { city: 'Tokyo' } } },
    ],
  });
  assert.deepEqual(body.contents[2], {
    role: 'user',
    parts: [
      { functionResponse: { name: 'get_local_time', response: { output: '14:05' } } },
      { functionResponse: { name: 'get_forecast', response: { error: 'rate limit' } } },
    ],
  });
  assert.deepEqual(body.contents[3], { role: 'user', parts: [{ text: 'Thanks' }] });
});

test('a reused call id resolves to the most recent call with that id', () => {
  const body = convertToGeminiRequest(chat([
    { role: 'user', content: [{ type: 'text', text: 'go' }] },
    { role: 'assistant', content: [], toolCalls: [{ id: 'call_0', name: 'first_tool', arguments: '{}' }] },
    { role: 'tool', toolCallId: 'call_0', content: 'one' },
    { role: 'assistant', content: [], toolCalls: [{ id: 'call_0', name: 'second_tool', arguments: '' }] },
    { role: 'tool', toolCallId: 'call_0', content: 'two' },
  ]));
  assert.deepEqual(body.contents[2]?.parts, [{ functionResponse: { name: 'first_tool', response: { output: 'one' } } }]);
  assert.deepEqual(body.contents[3]?.parts[0]?.functionCall, { name: 'second_tool', args: {} });
  assert.deepEqual(body.contents[4]?.parts, [{ functionResponse: { name: 'second_tool', response: { output: 'two' } } }]);
});

test('a tool result without a matching call is an invalid request', () => {
  assert.throws(
    () => convertToGeminiRequest(chat([{ role: 'tool', toolCallId: 'call_x', content: 'orphan' }])),
    (error: unknown) => error instanceof GatewayError && error.code === 'invalid_request' && error.message.includes('call_x'),
  );
});

test('images become inlineData for base64 and data URLs, fileData for https URLs', () => {
  const body = convertToGeminiRequest(chat([{
    role: 'user',
    content: [
      { type: 'text', text: 'Compare these' },
      { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' },
      { type: 'image', data: 'R0lGODlhAQABAAAAACw=', mediaType: 'image/gif' },
      { type: 'image', url: 'https://example.com/photos/cat.webp?size=large' },
      { type: 'image', url: 'https://example.com/render' },
    ],
  }]));
  assert.deepEqual(body.contents[0]?.parts, [
    { text: 'Compare these' },
    { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
    { inlineData: { mimeType: 'image/gif', data: 'R0lGODlhAQABAAAAACw=' } },
    { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/photos/cat.webp?size=large' } },
    { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/render' } },
  ]);
});

test('a data URL that is not base64 is rejected', () => {
  assert.throws(
    () => convertToGeminiRequest(chat([{ role: 'user', content: [{ type: 'image', url: 'data:image/svg+xml,<svg/>' }] }])),
    (error: unknown) => error instanceof GatewayError && error.code === 'invalid_request',
  );
});

test('tools are declared with schemas stripped of keywords Gemini rejects, recursively', () => {
  const body = convertToGeminiRequest(chat([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], {
    tools: [
      {
        name: 'create_event',
        description: 'Create a calendar event',
        parameters: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          additionalProperties: false,
          properties: {
            title: { type: 'string', minLength: 1 },
            additionalProperties: { type: 'string', description: 'a property that happens to share a keyword name' },
            attendees: {
              type: 'array',
              items: { type: 'object', additionalProperties: false, properties: { email: { type: 'string', format: 'email' } }, required: ['email'] },
            },
            room: { type: ['string', 'null'] },
            priority: { const: 'high' },
          },
          required: ['title'],
        },
      },
      { name: 'ping', parameters: { type: 'object', properties: {}, additionalProperties: false } },
    ],
    toolChoice: { name: 'create_event' },
  }));
  assert.deepEqual(body.tools, [{
    functionDeclarations: [
      {
        name: 'create_event',
        description: 'Create a calendar event',
        parameters: {
          type: 'object',
          properties: {
            title: { type: 'string', minLength: 1 },
            additionalProperties: { type: 'string', description: 'a property that happens to share a keyword name' },
            attendees: { type: 'array', items: { type: 'object', properties: { email: { type: 'string', format: 'email' } }, required: ['email'] } },
            room: { type: 'string', nullable: true },
            priority: { enum: ['high'], type: 'string' },
          },
          required: ['title'],
        },
      },
      { name: 'ping' },
    ],
  }]);
  assert.deepEqual(body.toolConfig, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['create_event'] } });
});

test('local $refs are inlined and a recursive reference stops at a plain object', () => {
  const body = convertToGeminiRequest(chat([{ role: 'user', content: [{ type: 'text', text: 'x' }] }], {
    responseFormat: {
      type: 'json-schema',
      name: 'tree',
      schema: {
        type: 'object',
        properties: { root: { $ref: '#/$defs/Node', description: 'The top node' } },
        $defs: {
          Node: {
            type: 'object',
            properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } },
          },
        },
      },
    },
  }));
  assert.deepEqual(body.generationConfig?.responseSchema, {
    type: 'object',
    properties: {
      root: {
        type: 'object',
        description: 'The top node',
        properties: { label: { type: 'string' }, children: { type: 'array', items: { type: 'object' } } },
      },
    },
  });
});

test('tool choices map to AUTO, NONE and ANY', () => {
  const tools = [{ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }];
  const mode = (toolChoice: ChatRequest['toolChoice']) =>
    convertToGeminiRequest(chat([{ role: 'user', content: [{ type: 'text', text: 'x' }] }], { tools, toolChoice })).toolConfig?.functionCallingConfig.mode;
  assert.equal(mode('auto'), 'AUTO');
  assert.equal(mode('none'), 'NONE');
  assert.equal(mode('required'), 'ANY');
  assert.equal(mode(undefined), undefined);
});

test('sampling settings, json-schema output and reasoning effort go into generationConfig', () => {
  const body = convertToGeminiRequest(chat([{ role: 'user', content: [{ type: 'text', text: 'x' }] }], {
    temperature: 0.2,
    topP: 0.9,
    maxTokens: 300,
    stop: ['END'],
    seed: 7,
    reasoningEffort: 'low',
    responseFormat: {
      type: 'json-schema',
      name: 'answer',
      schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { value: { type: 'integer' } }, additionalProperties: false },
    },
  }));
  assert.deepEqual(body.generationConfig, {
    temperature: 0.2,
    topP: 0.9,
    maxOutputTokens: 300,
    stopSequences: ['END'],
    seed: 7,
    responseMimeType: 'application/json',
    responseSchema: { type: 'object', properties: { value: { type: 'integer' } } },
    thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
  });
});

test('json mode sets only the mime type, and effort none turns thinking off', () => {
  const body = convertToGeminiRequest(chat([{ role: 'user', content: [{ type: 'text', text: 'x' }] }], {
    responseFormat: { type: 'json' },
    reasoningEffort: 'none',
  }));
  assert.deepEqual(body.generationConfig, { responseMimeType: 'application/json', thinkingConfig: { thinkingBudget: 0, includeThoughts: false } });
});

test('assistant tool call arguments that are not JSON are rejected', () => {
  assert.throws(
    () => convertToGeminiRequest(chat([{ role: 'assistant', content: [], toolCalls: [{ id: 'c', name: 'f', arguments: '{broken' }] }])),
    (error: unknown) => error instanceof GatewayError && error.code === 'invalid_request',
  );
});
