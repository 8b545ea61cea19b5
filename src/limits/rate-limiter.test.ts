import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { GatewayError } from '../core/errors.js';
import { writeError } from '../server/error-envelope.js';
import { MemoryCounterStore } from './memory-counter-store.js';
import { formatDuration, RateLimiter, type RateScope } from './rate-limiter.js';

const minute = 60_000;
/** 15 s into a fixed window, so reset times are round numbers. */
const start = Math.floor(Date.UTC(2026, 10, 15, 12) / minute) * minute + 15_000;

function limiter(clock: { now: number }): RateLimiter {
  return new RateLimiter({ store: new MemoryCounterStore(), now: () => clock.now });
}

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail('expected the request to be rate limited');
}

test('a counted request answers OpenAI-style headers for requests and tokens', async () => {
  const rate = limiter({ now: start });
  const scopes: RateScope[] = [{ kind: 'key', id: 'k1', rpm: 3, tpm: 1_000 }];
  const { headers } = await rate.check({ scopes, tokens: 100 });
  assert.deepEqual(headers, {
    'x-ratelimit-limit-requests': '3',
    'x-ratelimit-remaining-requests': '2',
    'x-ratelimit-reset-requests': '1m45s',
    'x-ratelimit-limit-tokens': '1000',
    'x-ratelimit-remaining-tokens': '900',
    'x-ratelimit-reset-tokens': '1m45s',
  });
});

test('the request over the rpm is refused with a retry time after which it passes', async () => {
  const clock = { now: start };
  const rate = limiter(clock);
  const scopes: RateScope[] = [{ kind: 'customer', id: 'acme', rpm: 3 }];
  for (let index = 0; index < 3; index++) await rate.check({ scopes, tokens: 10 });
  const error = await refusal(rate.check({ scopes, tokens: 10 }));
  assert.equal(error.code, 'rate_limited');
  assert.equal(error.status, 429);
  assert.equal(error.retryable, true);
  assert.match(error.message, /customer "acme": 3 requests per minute/);
  // The 3 must move to the previous window (45 s) and decay to 2 (a third of a window, 20 s).
  assert.equal(error.retryAfterMs, 65_000);
  clock.now += (error.retryAfterMs ?? 0) - 1_000;
  await assert.rejects(rate.check({ scopes, tokens: 10 }), GatewayError);
  clock.now += 1_000;
  const { headers } = await rate.check({ scopes, tokens: 10 });
  assert.equal(headers['x-ratelimit-remaining-requests'], '0');
});

test('tokens per minute count the request estimate, and a refused request is not counted anywhere', async () => {
  const rate = limiter({ now: start });
  const scopes: RateScope[] = [{ kind: 'key', id: 'k1', rpm: 10, tpm: 1_000 }];
  await rate.check({ scopes, tokens: 400 });
  await rate.check({ scopes, tokens: 400 });
  const error = await refusal(rate.check({ scopes, tokens: 400 }));
  assert.match(error.message, /1000 tokens per minute/);
  assert.ok((error.retryAfterMs ?? 0) > 0);
  const { headers } = await rate.check({ scopes, tokens: 200 });
  assert.equal(headers['x-ratelimit-remaining-requests'], '7', 'the refused request took no request slot');
  assert.equal(headers['x-ratelimit-remaining-tokens'], '0');
});

test('headers follow the tightest limit, and a refusal by one scope gives the others their room back', async () => {
  const rate = limiter({ now: start });
  const scopes: RateScope[] = [
    { kind: 'key', id: 'k1', rpm: 100, tpm: 50_000 },
    { kind: 'model', id: 'gpt-4o', rpm: 2 },
  ];
  const { headers } = await rate.check({ scopes, tokens: 1_000 });
  assert.equal(headers['x-ratelimit-limit-requests'], '2');
  assert.equal(headers['x-ratelimit-remaining-requests'], '1');
  assert.equal(headers['x-ratelimit-limit-tokens'], '50000');
  await rate.check({ scopes, tokens: 1_000 });
  await assert.rejects(rate.check({ scopes, tokens: 1_000 }), /model "gpt-4o"/);
  const keyOnly = await rate.check({ scopes: [scopes[0] as RateScope], tokens: 1_000 });
  assert.equal(keyOnly.headers['x-ratelimit-remaining-requests'], '97');
  assert.equal(keyOnly.headers['x-ratelimit-remaining-tokens'], '47000');
});

test('a request larger than the whole tpm is refused for good, without a retry time', async () => {
  const rate = limiter({ now: start });
  const error = await refusal(rate.check({ scopes: [{ kind: 'key', id: 'k1', tpm: 1_000 }], tokens: 1_001 }));
  assert.equal(error.code, 'rate_limited');
  assert.equal(error.retryable, false);
  assert.equal(error.retryAfterMs, undefined);
});

test('a rate-limited answer carries Retry-After in whole seconds', async () => {
  const error = new GatewayError('rate_limited', 'slow down', { retryAfterMs: 1_200 });
  const server = createServer((_request, response) => writeError(response, error, 'openai'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('retry-after'), '2');
    assert.equal(((await response.json()) as { error: { type: string } }).error.type, 'rate_limit_error');
  } finally {
    server.close();
  }
});

test('durations are written the way OpenAI writes reset times', () => {
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(12), '12ms');
  assert.equal(formatDuration(1_000), '1s');
  assert.equal(formatDuration(17_586), '17.586s');
  assert.equal(formatDuration(90_500), '1m30.5s');
  assert.equal(formatDuration(360_000), '6m0s');
  assert.equal(formatDuration(3_723_000), '1h2m3s');
});
