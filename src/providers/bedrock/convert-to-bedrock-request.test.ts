import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatRequest } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { convertToBedrockRequest } from './convert-to-bedrock-request.js';

function request(overrides: Partial<ChatRequest>): ChatRequest {
  return { model: 'alias', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: false, ...overrides };
}

const weatherTool = { name: 'get_forecast', description: 'Forecast for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } };

test('system messages, sampling settings and stop sequences map to their Converse fields', () => {
  const body = convertToBedrockRequest(
    request({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Capital of Peru?' }] },
      ],
      maxTokens: 200,
      temperature: 0.3,
      topP: 0.9,
      stop: ['END'],
      seed: 7,
    }),
  );
  assert.deepEqual(body, {
    messages: [{ role: 'user', content: [{ text: 'Capital of Peru?' }] }],
    system: [{ text: 'Be brief.' }],
    inferenceConfig: { maxTokens: 200, temperature: 0.3, topP: 0.9, stopSequences: ['END'] },
  });
});

test('a plain request has no optional sections', () => {
  assert.deepEqual(convertToBedrockRequest(request({})), { messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
});

test('tool calls and tool results become toolUse and toolResult blocks, merged by role', () => {
  const body = convertToBedrockRequest(
    request({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Lisbon and Porto?' }] },
        {
          role: 'assistant',
          content: [{ type: 'text', text: 'Checking.' }],
          reasoning: 'dropped without a signature',
          toolCalls: [
            { id: 'call_1', name: 'get_forecast', arguments: '{"city":"Lisbon"}' },
            { id: 'call_2', name: 'get_forecast', arguments: '' },
          ],
        },
        { role: 'tool', toolCallId: 'call_1', content: '21C sunny' },
        { role: 'tool', toolCallId: 'call_2', content: 'city missing', isError: true },
        { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
      ],
      tools: [weatherTool],
    }),
  );
  assert.deepEqual(body.messages, [
    { role: 'user', content: [{ text: 'Weather in Lisbon and Porto?' }] },
    {
      role: 'assistant',
      content: [
        { text: 'Checking.' },
        { toolUse: { toolUseId: 'call_1', name: 'get_forecast', input: { city: 'Lisbon' } } },
        { toolUse: { toolUseId: 'call_2', name: 'get_forecast', input: {} } },
      ],
    },
    {
      role: 'user',
      content: [
        { toolResult: { toolUseId: 'call_1', content: [{ text: '21C sunny' }] } },
        { toolResult: { toolUseId: 'call_2', content: [{ text: 'city missing' }], status: 'error' } },
        { text: 'Thanks' },
      ],
    },
  ]);
});

test('tools and each tool choice map to toolConfig', () => {
  const spec = { toolSpec: { name: 'get_forecast', description: 'Forecast for a city', inputSchema: { json: weatherTool.parameters } } };
  assert.deepEqual(convertToBedrockRequest(request({ tools: [weatherTool] })).toolConfig, { tools: [spec] });
  assert.deepEqual(convertToBedrockRequest(request({ tools: [weatherTool], toolChoice: 'auto' })).toolConfig?.toolChoice, { auto: {} });
  assert.deepEqual(convertToBedrockRequest(request({ tools: [weatherTool], toolChoice: 'required' })).toolConfig?.toolChoice, { any: {} });
  assert.deepEqual(convertToBedrockRequest(request({ tools: [weatherTool], toolChoice: { name: 'get_forecast' } })).toolConfig?.toolChoice, {
    tool: { name: 'get_forecast' },
  });
});

test('tool choice none leaves the tools out unless the history needs them', () => {
  assert.equal(convertToBedrockRequest(request({ tools: [weatherTool], toolChoice: 'none' })).toolConfig, undefined);
  const withHistory = convertToBedrockRequest(
    request({
      tools: [weatherTool],
      toolChoice: 'none',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Lisbon?' }] },
        { role: 'assistant', content: [], toolCalls: [{ id: 'c', name: 'get_forecast', arguments: '{}' }] },
        { role: 'tool', toolCallId: 'c', content: 'sunny' },
      ],
    }),
  );
  assert.equal(withHistory.toolConfig?.tools.length, 1);
  assert.equal(withHistory.toolConfig?.toolChoice, undefined);
});

test('inline images become image blocks with their format', () => {
  const body = convertToBedrockRequest(
    request({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image', url: 'data:image/jpeg;base64,/9j/4AAQ' },
            { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
          ],
        },
      ],
    }),
  );
  assert.deepEqual(body.messages[0]?.content, [
    { text: 'Compare' },
    { image: { format: 'jpeg', source: { bytes: '/9j/4AAQ' } } },
    { image: { format: 'png', source: { bytes: 'iVBORw0KGgo=' } } },
  ]);
});

test('image links and unsupported formats are refused as invalid requests', () => {
  const remote = request({ messages: [{ role: 'user', content: [{ type: 'image', url: 'https://example.com/cat.png' }] }] });
  assert.throws(() => convertToBedrockRequest(remote), (error: unknown) => {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.code, 'invalid_request');
    assert.match(error.message, /Bedrock needs images inline/);
    return true;
  });
  const tiff = request({ messages: [{ role: 'user', content: [{ type: 'image', data: 'AAAA', mediaType: 'image/tiff' }] }] });
  assert.throws(() => convertToBedrockRequest(tiff), /not image\/tiff/);
});

test('arguments that are not a JSON object are refused', () => {
  const bad = request({
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'x' }] },
      { role: 'assistant', content: [], toolCalls: [{ id: 'c', name: 'f', arguments: '[1,2]' }] },
    ],
  });
  assert.throws(() => convertToBedrockRequest(bad), (error: unknown) => error instanceof GatewayError && error.code === 'invalid_request');
});

test('JSON response formats are asked for in the system prompt', () => {
  const json = convertToBedrockRequest(request({ messages: [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: [{ type: 'text', text: 'x' }] }], responseFormat: { type: 'json' } }));
  assert.equal(json.system?.length, 2);
  const texts = (json.system ?? []).map((block) => ('text' in block ? block.text : ''));
  assert.equal(texts[0], 'Be terse.');
  assert.match(texts[1] ?? '', /valid JSON object/);
  const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
  const withSchema = convertToBedrockRequest(request({ responseFormat: { type: 'json-schema', name: 'person', schema } }));
  const first = withSchema.system?.[0];
  assert.ok(first && 'text' in first && first.text.endsWith(JSON.stringify(schema)));
  assert.equal(convertToBedrockRequest(request({ responseFormat: { type: 'text' } })).system, undefined);
});
