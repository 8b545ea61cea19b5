import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatRequest } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { bundledPriceCatalog } from '../../ledger/price-catalog.js';
import { priceFamily } from '../registry.js';
import { bedrockRequestBody } from './bedrock-adapter.js';
import { cachePointSupport } from './bedrock-cache-points.js';
import { convertToBedrockRequest } from './convert-to-bedrock-request.js';

const claude = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const point = { cachePoint: { type: 'default' } };
const tool = { name: 'get_forecast', parameters: { type: 'object' } };
const spec = { toolSpec: { name: 'get_forecast', inputSchema: { json: { type: 'object' } } } };

function marked(): ChatRequest {
  return {
    model: 'alias',
    stream: false,
    tools: [tool],
    cacheTools: {},
    messages: [
      { role: 'system', content: 'Rules.', cache: { ttl: '1h' } },
      { role: 'user', content: [{ type: 'text', text: 'Forecast?', cache: {} }, { type: 'text', text: 'Lisbon' }] },
      { role: 'assistant', content: [], toolCalls: [{ id: 't1', name: 'get_forecast', arguments: '{}' }] },
      { role: 'tool', toolCallId: 't1', content: 'sunny', cache: {} },
    ],
  };
}

test('cache markers become cachePoint blocks after the marked block in system, messages and tools', () => {
  const body = convertToBedrockRequest(marked(), claude);
  assert.deepEqual(body.system, [{ text: 'Rules.' }, { cachePoint: { type: 'default', ttl: '1h' } }]);
  assert.deepEqual(body.messages, [
    { role: 'user', content: [{ text: 'Forecast?' }, point, { text: 'Lisbon' }] },
    { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'get_forecast', input: {} } }] },
    { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ text: 'sunny' }] } }, point] },
  ]);
  assert.deepEqual(body.toolConfig?.tools, [spec, point]);
});

test('models without prompt caching on Bedrock get no cachePoint, and Nova none in tools', () => {
  const plain = convertToBedrockRequest(marked(), 'meta.llama3-70b-instruct-v1:0');
  assert.equal(JSON.stringify(plain).includes('cachePoint'), false);
  assert.equal(JSON.stringify(convertToBedrockRequest(marked(), 'anthropic.claude-3-haiku-20240307-v1:0')).includes('cachePoint'), false);
  assert.equal(JSON.stringify(convertToBedrockRequest(marked())).includes('cachePoint'), false, 'no model, no checkpoints');
  const nova = convertToBedrockRequest(marked(), 'us.amazon.nova-pro-v1:0');
  assert.deepEqual(nova.toolConfig?.tools, [spec]);
  assert.deepEqual(nova.system?.at(-1), { cachePoint: { type: 'default', ttl: '1h' } });
  assert.deepEqual(cachePointSupport('anthropic.claude-3-5-haiku-20241022-v1:0'), { tools: true });
  assert.deepEqual(cachePointSupport('global.anthropic.claude-haiku-4-5-20251001-v1:0'), { tools: true });
  assert.deepEqual(cachePointSupport('arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0'), { tools: true });
  assert.equal(cachePointSupport('anthropic.claude-3-5-sonnet-20240620-v1:0'), undefined);
  assert.equal(cachePointSupport('mistral.mistral-large-2407-v1:0'), undefined);
});

test('more than four markers, or a ttl Bedrock does not offer, is refused naming the field', () => {
  const request = marked();
  const five: ChatRequest = { ...request, messages: [...request.messages, { role: 'user', content: [{ type: 'text', text: 'more', cache: {} }] }] };
  assert.throws(() => convertToBedrockRequest(five, claude), (error: unknown) => error instanceof GatewayError && error.code === 'invalid_request' && error.param === 'cache_control' && /at most 4/.test(error.message));
  const odd: ChatRequest = { ...request, cacheTools: { ttl: '10m' } };
  assert.throws(() => convertToBedrockRequest(odd, claude), (error: unknown) => error instanceof GatewayError && error.code === 'invalid_request' && error.param === 'cache_control.ttl');
  assert.doesNotThrow(() => convertToBedrockRequest(five, 'us.amazon.nova-lite-v1:0'), 'the tools marker Nova drops does not count');
});

test('promptCache auto adds checkpoints on the stable prefix for models that take them, and on no other', () => {
  const request: ChatRequest = {
    model: 'alias',
    stream: false,
    promptCache: 'auto',
    tools: [tool],
    messages: [
      { role: 'system', content: 'Rules.' },
      { role: 'user', content: [{ type: 'text', text: 'one' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'two' }] },
      { role: 'user', content: [{ type: 'text', text: 'three' }] },
    ],
  };
  const body = bedrockRequestBody(request, claude);
  assert.deepEqual(body.system, [{ text: 'Rules.' }, point]);
  assert.deepEqual(body.toolConfig?.tools, [spec, point]);
  assert.deepEqual(body.messages.map((message) => message.content), [[{ text: 'one' }, point], [{ text: 'two' }], [{ text: 'three' }, point]]);
  const nova = bedrockRequestBody(request, 'amazon.nova-micro-v1:0');
  assert.deepEqual(nova.toolConfig?.tools, [spec]);
  assert.equal(JSON.stringify(bedrockRequestBody(request, 'cohere.command-r-v1:0')).includes('cachePoint'), false);
  assert.equal(JSON.stringify(bedrockRequestBody({ ...request, promptCache: undefined }, claude)).includes('cachePoint'), false);
});

test('Bedrock model ids find their catalog price, cache reads and writes included', () => {
  const catalog = bundledPriceCatalog();
  const sonnet = catalog.lookup(priceFamily('bedrock', claude), claude);
  assert.deepEqual([sonnet?.input, sonnet?.cachedInput, sonnet?.cacheWrite], [3, 0.3, 3.75]);
  const nova = 'us.amazon.nova-pro-v1:0';
  const novaPrice = catalog.lookup(priceFamily('bedrock', nova), nova);
  assert.deepEqual([novaPrice?.input, novaPrice?.cachedInput], [0.8, 0.2]);
});
