import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeChatRequest } from '../server/openai/decode-chat-request.js';
import { exactCacheKey } from './cache-key.js';

test('OpenAI fields that change the answer are part of the cache key; hints that do not, are not', () => {
  const key = (extra: Record<string, unknown>) => exactCacheKey(decodeChatRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...extra }), 'scope');
  assert.notEqual(key({ n: 2 }), key({}));
  assert.notEqual(key({ logprobs: true }), key({}));
  assert.equal(key({ metadata: { team: 'a' }, store: true }), key({}));
});
