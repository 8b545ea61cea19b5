import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeChatRequest } from '../server/openai/decode-chat-request.js';
import { exactCacheKey } from './cache-key.js';
import { decodeMessagesRequest } from '../server/anthropic/decode-messages-request.js';
import { decodeResponsesRequest } from '../server/responses/decode-responses-request.js';

test('OpenAI fields that change the answer are part of the cache key; hints that do not, are not', () => {
  const key = (extra: Record<string, unknown>) => exactCacheKey(decodeChatRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...extra }), 'scope');
  assert.notEqual(key({ n: 2 }), key({}));
  assert.notEqual(key({ logprobs: true }), key({}));
  assert.equal(key({ metadata: { team: 'a' }, store: true }), key({}));
});

test('Responses built-in tools and include, and Anthropic thinking and beta headers, are part of the cache key', () => {
  const responses = (extra: Record<string, unknown>) => exactCacheKey(decodeResponsesRequest({ model: 'm', input: 'hi', ...extra }), 'scope');
  assert.notEqual(responses({ tools: [{ type: 'web_search' }] }), responses({}));
  assert.notEqual(responses({ include: ['reasoning.encrypted_content'] }), responses({}));
  assert.equal(responses({ metadata: { team: 'a' }, store: false }), responses({}));
  const messages = (extra: Record<string, unknown>, headers?: Record<string, string>) =>
    exactCacheKey(decodeMessagesRequest({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], ...extra }, headers), 'scope');
  assert.notEqual(messages({ tools: [{ type: 'web_search_20250305', name: 'web_search' }] }), messages({}));
  assert.notEqual(messages({}, { 'anthropic-beta': 'context-management-2025-06-27' }), messages({}));
  assert.equal(messages({ metadata: { user_id: 'u' } }), messages({}));
});
