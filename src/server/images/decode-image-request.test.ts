import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.js';
import { decodeImageRequest } from './decode-image-request.js';

function rejects(body: unknown, param: string, pattern?: RegExp): void {
  assert.throws(() => decodeImageRequest(body), (error: unknown) => {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.code, 'invalid_request');
    assert.equal(error.param, param);
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
}

test('a full images.generate body decodes to the canonical request', () => {
  assert.deepEqual(decodeImageRequest({ model: 'dall-e-3', prompt: 'A red kite', n: 1, size: '1024x1792', quality: 'hd', style: 'vivid', response_format: 'b64_json', user: 'u-9' }), {
    model: 'dall-e-3', prompt: 'A red kite', n: 1, size: '1024x1792', quality: 'hd', style: 'vivid', responseFormat: 'b64_json', user: 'u-9',
  });
});

test('defaults: one image, delivered as a URL; null fields count as absent', () => {
  assert.deepEqual(decodeImageRequest({ model: 'm', prompt: 'p', size: null, quality: null }), { model: 'm', prompt: 'p', n: 1, responseFormat: 'url' });
});

test('GPT Image qualities and size auto are accepted', () => {
  const request = decodeImageRequest({ model: 'gpt-image-1', prompt: 'p', quality: 'medium', size: 'auto', n: 4 });
  assert.equal(request.quality, 'medium');
  assert.equal(request.size, 'auto');
  assert.equal(request.n, 4);
});

test('each bad field is named in the error', () => {
  rejects('text', 'body');
  rejects({ prompt: 'p' }, 'model');
  rejects({ model: 'm' }, 'prompt');
  rejects({ model: 'm', prompt: '   ' }, 'prompt', /must not be empty/);
  rejects({ model: 'm', prompt: 'p', n: 0 }, 'n', /at least 1/);
  rejects({ model: 'm', prompt: 'p', n: 11 }, 'n', /at most 10/);
  rejects({ model: 'm', prompt: 'p', n: 1.5 }, 'n', /integer/);
  rejects({ model: 'm', prompt: 'p', size: 'huge' }, 'size', /WIDTHxHEIGHT/);
  rejects({ model: 'm', prompt: 'p', size: 1024 }, 'size');
  rejects({ model: 'm', prompt: 'p', quality: 'ultra' }, 'quality', /"standard"/);
  rejects({ model: 'm', prompt: 'p', style: 'noir' }, 'style');
  rejects({ model: 'm', prompt: 'p', response_format: 'png' }, 'response_format', /"url", "b64_json"/);
  rejects({ model: 'm', prompt: 'p', stream: true }, 'stream', /not supported/);
  rejects({ model: 'm', prompt: 'p', user: 5 }, 'user');
});
