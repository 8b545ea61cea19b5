import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeImageResponse } from './encode-image-response.js';

test('URL images keep their revised prompt; data images are sent as b64_json', () => {
  assert.deepEqual(encodeImageResponse({
    created: 1761210000,
    images: [{ url: 'https://images.example.invalid/a.png', revisedPrompt: 'A red kite, watercolour' }, { b64: 'iVBORw0KGgo=' }],
  }), {
    created: 1761210000,
    data: [{ url: 'https://images.example.invalid/a.png', revised_prompt: 'A red kite, watercolour' }, { b64_json: 'iVBORw0KGgo=' }],
  });
});

test('token usage reported by the provider is passed on in OpenAI names', () => {
  const body = encodeImageResponse({
    created: 1,
    images: [{ b64: 'x' }],
    usage: { inputTokens: 18, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 2112, reasoningTokens: 0 },
  });
  assert.deepEqual(body.usage, { input_tokens: 18, output_tokens: 2112, total_tokens: 2130 });
});

test('no usage object when the provider reported none', () => {
  assert.equal('usage' in encodeImageResponse({ created: 1, images: [{ b64: 'x' }] }), false);
});
