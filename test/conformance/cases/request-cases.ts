import assert from 'node:assert/strict';
import type { ChatRequest, ToolChoice } from '../../../src/core/canonical.js';
import { chatRequest, conversation, earlierCalls, imageUrl, jsonRequest, pixelPng, timeTool, visionRequest, weatherTool } from '../canonical-cases.js';
import type { ConformanceRow } from '../rows.js';
import type { ToolReadback, WireItem, WireKit } from '../wire-kit.js';
import { buildChat, type ConformanceCase } from './conformance-case.js';

/** The conversation as every provider must receive it, in neutral terms. */
function expectedItems(kit: WireKit): WireItem[] {
  const system = conversation[0]?.role === 'system' ? conversation[0].content : '';
  return [
    { kind: 'system', text: system },
    { kind: 'text', role: 'user', text: 'Is it sunny in Paris, and what time is it in Tokyo?' },
    { kind: 'text', role: 'assistant', text: 'Let me check both.' },
    ...earlierCalls.map((call): WireItem => ({ kind: 'tool-call', id: kit.wireCarriesToolIds ? call.id : undefined, name: call.name, arguments: JSON.parse(call.arguments) as unknown })),
    { kind: 'tool-result', callId: kit.wireCarriesToolIds ? 'call_weather_paris' : undefined, name: kit.wireCarriesToolIds ? undefined : 'get_weather', content: '{"sky":"sunny","temperature":22}' },
    { kind: 'tool-result', callId: kit.wireCarriesToolIds ? 'call_time_tokyo' : undefined, name: kit.wireCarriesToolIds ? undefined : 'get_local_time', content: '{"time":"21:05"}' },
  ];
}

const expectedTools: ToolReadback[] = [weatherTool, timeTool].map((tool) => ({
  name: tool.name,
  description: tool.description,
  propertyNames: Object.keys(tool.parameters.properties as Record<string, unknown>),
  required: tool.parameters.required as string[],
}));

async function checkEnvelope(row: ConformanceRow, stream: boolean): Promise<void> {
  const { upstream, body } = await buildChat(row, chatRequest({ stream }));
  assert.equal(upstream.method, 'POST');
  assert.equal(upstream.url, row.kit.chatUrl(stream));
  assert.equal(row.kit.isStreamRequest(upstream, body), stream, stream ? 'the request asks for a stream' : 'the request asks for one answer');
  assert.equal(row.kit.credentialOf(upstream), row.kit.endpoint.apiKey, 'the configured credential is sent where the provider reads it');
  assert.ok(!upstream.url.includes(row.kit.endpoint.apiKey ?? '\u0000'), 'the credential is never in the URL');
}

function toolChoiceCase(name: string, choice: ToolChoice): ConformanceCase {
  return {
    capability: 'tools',
    id: `tools/choice-${name}`,
    title: `carries tool choice ${typeof choice === 'string' ? `"${choice}"` : `of the named tool ${choice.name}`}`,
    async run(row) {
      const request: ChatRequest = { model: 'travel-assistant', messages: conversation.slice(0, 2), tools: [weatherTool, timeTool], toolChoice: choice, stream: false };
      const { body } = await buildChat(row, request);
      assert.deepEqual(row.kit.read.toolChoice(body), choice);
    },
  };
}

function imageCase(id: 'inline' | 'url', image: { data: string; mediaType: string } | { url: string }): ConformanceCase {
  return {
    capability: 'vision',
    id: `vision/${id}`,
    title: id === 'inline' ? 'carries an inline base64 image beside the text' : 'carries an image given by https URL',
    async run(row) {
      const { body } = await buildChat(row, visionRequest(image));
      const items = row.kit.read.items(body);
      assert.deepEqual(items.filter((item) => item.kind === 'text'), [{ kind: 'text', role: 'user', text: 'Which harbour is this?' }]);
      assert.deepEqual(items.filter((item) => item.kind === 'image'), [{ kind: 'image', ...image }]);
    },
  };
}

export const requestCases: ConformanceCase[] = [
  {
    capability: 'chat',
    id: 'chat/request',
    title: 'sends a request to the provider URL with the credential where the provider reads it',
    run: (row) => checkEnvelope(row, false),
  },
  {
    capability: 'chat',
    id: 'chat/messages',
    title: 'carries the conversation (system, user, assistant tool calls, tool results) and max tokens',
    async run(row) {
      const { body } = await buildChat(row, chatRequest());
      assert.deepEqual(row.kit.read.items(body), expectedItems(row.kit));
      assert.equal(row.kit.read.maxTokens(body), 300);
    },
  },
  {
    capability: 'stream',
    id: 'stream/request',
    title: 'asks for a stream at the provider streaming URL',
    run: (row) => checkEnvelope(row, true),
  },
  {
    capability: 'tools',
    id: 'tools/definitions',
    title: 'carries both tool definitions with names, descriptions and parameter schemas',
    async run(row) {
      const { body } = await buildChat(row, chatRequest());
      assert.deepEqual(row.kit.read.tools(body), expectedTools);
    },
  },
  toolChoiceCase('auto', 'auto'),
  toolChoiceCase('required', 'required'),
  toolChoiceCase('none', 'none'),
  toolChoiceCase('named', { name: 'get_local_time' }),
  {
    capability: 'json',
    id: 'json/request-json',
    title: 'asks for JSON output in JSON mode',
    async run(row) {
      const { body } = await buildChat(row, jsonRequest('json'));
      assert.deepEqual(row.kit.read.jsonMode(body), { type: 'json' });
    },
  },
  {
    capability: 'json',
    id: 'json/request-schema',
    title: 'asks for JSON output that follows the given schema',
    async run(row) {
      const { body } = await buildChat(row, jsonRequest('json-schema'));
      assert.deepEqual(row.kit.read.jsonMode(body), { type: 'json-schema', propertyNames: ['city', 'temperature'] });
    },
  },
  imageCase('inline', { data: pixelPng, mediaType: 'image/png' }),
  imageCase('url', { url: imageUrl }),
];
