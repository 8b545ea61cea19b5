import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

interface Ledger {
  attempts: Array<{ provider: string; status: number; costUsd: number; shadow: boolean }>;
  costUsd: number;
  status: number;
}

async function inBatches(total: number, concurrency: number, run: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) await run(next++);
  }));
}

describe('routing under injected faults', () => {
  const sims: Record<string, OpenAiSimulator> = {};
  let gateway: TestGateway;

  const chat = (model: string, extra: Record<string, unknown> = {}) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }], ...extra }),
    });

  before(async () => {
    for (const name of ['a', 'b', 'c', 'x', 'y', 'z', 'slow', 'cut', 'private', 'public']) sims[name] = await startOpenAiSimulator();
    const provider = (name: string, extra: Record<string, unknown> = {}) => ({ type: 'openai', baseUrl: (sims[name] as OpenAiSimulator).url, timeouts: { firstByteMs: 400 }, ...extra });
    const price = { input: 1, output: 2 };
    gateway = await startTestGateway({
      resilience: { breaker: { consecutiveFailures: 5, cooldownMs: 60_000 } },
      providers: {
        a: provider('a'), b: provider('b'), c: provider('c'), x: provider('x'), y: provider('y'), z: provider('z'),
        slow: provider('slow'), cut: provider('cut'), private: provider('private', { private: true }), public: provider('public'),
      },
      models: Object.fromEntries(['a', 'b', 'c', 'x', 'y', 'z', 'slow', 'cut', 'private', 'public'].map((name) => [name, { provider: name, model: `${name}-model`, price }])),
      routes: {
        three: { strategy: 'fallback', targets: ['a', 'b', 'c'] },
        dead: { strategy: 'fallback', targets: ['x', 'y', 'z'], retry: { attemptsPerTarget: 2, initialBackoffMs: 20, maxBackoffMs: 100 } },
        faulty: { strategy: 'fallback', targets: ['slow', 'b'], retry: { attemptsPerTarget: 1 } },
        streaming: { strategy: 'fallback', targets: ['cut', 'b'], retry: { attemptsPerTarget: 1 } },
        redacted: { strategy: 'fallback', targets: ['public', 'private'], privacy: 'redact' },
        sealed: { strategy: 'fallback', targets: ['public', 'private'], privacy: 'private-only' },
      },
    });
  });

  after(async () => {
    await gateway.stop();
    await Promise.all(Object.values(sims).map((sim) => sim.close()));
  });

  test('with one of three deployments failing, 1,000 requests all succeed and the breaker shields the failing one', async () => {
    (sims.a as OpenAiSimulator).behave({ kind: 'status', status: 500 });
    const statuses = new Map<number, number>();
    await inBatches(1000, 20, async () => {
      const response = await chat('three');
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    });
    assert.deepEqual([...statuses], [[200, 1000]]);
    const seenByFailing = (sims.a as OpenAiSimulator).received.length;
    assert.ok(seenByFailing <= 30, `the failing deployment saw ${seenByFailing} requests`);
    assert.equal((sims.c as OpenAiSimulator).received.length, 0, 'the third target was never needed');
    const health = (await (await gateway.admin('/admin/health')).json()) as { deployments: Record<string, { state: string; opens: number }> };
    assert.equal(health.deployments.a?.state, 'open');
    assert.equal(health.deployments.b?.state, 'closed');
  });

  test('with every deployment failing, clients get 503 quickly and retries stay within the budget', async () => {
    for (const name of ['x', 'y', 'z']) (sims[name] as OpenAiSimulator).behave({ kind: 'status', status: 503 });
    const first = performance.now();
    const response = await chat('dead');
    assert.equal(response.status, 503);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'upstream_unavailable');
    assert.ok(performance.now() - first < 2_000);
    await inBatches(200, 10, async () => {
      const result = await chat('dead');
      await result.arrayBuffer();
      assert.equal(result.status, 503);
    });
    const received = ['x', 'y', 'z'].reduce((sum, name) => sum + (sims[name] as OpenAiSimulator).received.length, 0);
    // Unprotected, 201 requests would cost 1,206 upstream calls (two tries on each of three targets). A circuit opens
    // after 5 consecutive failures; until then at most 10 requests are in flight, each trying a target at most twice.
    const bound = 3 * (5 + 10) * 2;
    assert.ok(received <= bound, `failing upstreams received ${received} calls, bound ${bound}`);

    // Once every circuit is open, clients are answered without any upstream call (so without waiting on one).
    const later = await chat('dead');
    assert.equal(later.status, 503);
    assert.match(((await later.json()) as { error: { message: string } }).error.message, /circuit open/);
    assert.equal(['x', 'y', 'z'].reduce((sum, name) => sum + (sims[name] as OpenAiSimulator).received.length, 0), received);
  });

  test('a hanging, a reset and a malformed upstream each fall back, with one ledger entry per attempt and nothing billed twice', async () => {
    for (const behaviour of [{ kind: 'hang' }, { kind: 'reset' }, { kind: 'malformed' }] as const) {
      (sims.slow as OpenAiSimulator).behave(behaviour);
      const response = await chat('faulty');
      assert.equal(response.status, 200, behaviour.kind);
      await response.arrayBuffer();
      const record = (await (await gateway.admin(`/admin/requests/${response.headers.get('x-request-id')}`)).json()) as Ledger;
      assert.deepEqual(record.attempts.map((attempt) => [attempt.provider, attempt.status === 200]), [['slow', false], ['b', true]], behaviour.kind);
      assert.equal(record.attempts[0]?.costUsd, 0);
      assert.equal(record.costUsd, record.attempts[1]?.costUsd);
    }
  });

  test('a stream that fails before its first token falls back; one that fails after it ends with an error event', async () => {
    const cut = sims.cut as OpenAiSimulator;
    cut.behave({ kind: 'status', status: 502 });
    const early = await chat('streaming', { stream: true });
    const earlyText = await early.text();
    assert.equal(early.status, 200);
    assert.match(earlyText, /data: \[DONE\]/);
    assert.equal((sims.b as OpenAiSimulator).received.at(-1)?.body.stream, true);

    cut.behave({ kind: 'cut-stream', afterChunks: 3 });
    const late = await chat('streaming', { stream: true });
    const lateText = await late.text();
    assert.equal(late.status, 200);
    assert.match(lateText, /"content":"w0 "/);
    assert.match(lateText, /"error":\{/);
    assert.doesNotMatch(lateText, /\[DONE\]/);
    assert.doesNotMatch(lateText, /"finish_reason":"stop"/);
    const record = (await (await gateway.admin(`/admin/requests/${late.headers.get('x-request-id')}`)).json()) as Ledger;
    assert.deepEqual(record.attempts.map((attempt) => attempt.provider), ['cut']);
    assert.equal(record.status, 502);
  });

  const secretPrompt = 'Contact me at jane.doe@example.com, card 4111 1111 1111 1111.';

  test('under redact, a non-private provider never sees the email or the card number', async () => {
    const response = await chat('redacted', { messages: [{ role: 'user', content: secretPrompt }] });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-switchyard-privacy'), 'email,payment-card');
    const seen = JSON.stringify((sims.public as OpenAiSimulator).received.at(-1)?.body.messages);
    assert.ok(!seen.includes('jane.doe@example.com') && !seen.includes('4111'), seen);
    assert.match(seen, /\[REDACTED_EMAIL\]/);
  });

  test('under private-only, such a prompt goes only to the private provider', async () => {
    const before = (sims.public as OpenAiSimulator).received.length;
    const response = await chat('sealed', { messages: [{ role: 'user', content: secretPrompt }] });
    assert.equal(response.status, 200);
    assert.equal((sims.public as OpenAiSimulator).received.length, before);
    assert.match(JSON.stringify((sims.private as OpenAiSimulator).received.at(-1)?.body.messages), /jane\.doe@example\.com/);
    const clean = await chat('sealed', { messages: [{ role: 'user', content: 'nothing personal here' }] });
    assert.equal(clean.status, 200);
    assert.equal((sims.public as OpenAiSimulator).received.length, before + 1);
  });
});
