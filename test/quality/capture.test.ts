import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startOpenAiSimulator, type OpenAiSimulator } from '../simulators/openai-simulator.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { adminJson, chat, createKey, send, storedCapture } from './capture-support.js';

const personal = 'Write to jane.doe@example.com or call +1 415 555 0134 about card 4111 1111 1111 1111.';

describe('capture stores sampled requests and answers, linked to the ledger', () => {
  let simulator: OpenAiSimulator;
  let gateway: TestGateway;

  before(async () => {
    simulator = await startOpenAiSimulator();
    gateway = await startTestGateway({
      providers: { sim: { type: 'openai', baseUrl: simulator.url } },
      models: {
        captured: { provider: 'sim', model: 'house-v1', capture: { sample: 1 } },
        private: { provider: 'sim', model: 'house-v1', capture: { redact: true } },
        plain: { provider: 'sim', model: 'house-v1' },
        half: { provider: 'sim', model: 'house-v1', capture: { sample: 0.5 } },
        meta: { provider: 'sim', model: 'house-v1', capture: { bodies: false, retentionDays: 7 } },
        never: { provider: 'sim', model: 'house-v1', capture: { sample: 0 } },
      },
      routes: {
        support: { strategy: 'fallback', targets: ['plain'], capture: { sample: 1, redact: true } },
        guarded: { strategy: 'fallback', targets: ['plain'], privacy: 'redact', capture: { sample: 1, redact: false } },
      },
      capture: { keys: [{ tags: { team: 'support' } }], maxBodyBytes: 4096 },
    });
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  test('a captured chat request stores the canonical request without its native body and the final answer', async () => {
    const sent = await send(gateway, '/v1/chat/completions', chat('captured', 'hello there', { temperature: 0.3 }));
    assert.equal(sent.status, 200);
    const stored = await storedCapture(gateway, sent.id);
    assert.ok(stored, 'a capture row exists for the request id');
    assert.equal(stored.row.redacted, false);
    assert.equal(stored.request?.model, 'captured');
    assert.equal(stored.request?.temperature, 0.3);
    assert.deepEqual(stored.request?.messages, [{ role: 'user', content: [{ type: 'text', text: 'hello there' }] }]);
    assert.equal('native' in (stored.request ?? {}), false);
    assert.deepEqual(stored.answer, { text: 'Hello from the simulator.', toolCalls: [], finishReason: 'stop', usage: { inputTokens: 10, cacheReadTokens: 2, cacheWriteTokens: 0, outputTokens: 7, reasoningTokens: 0 } });
    assert.equal(stored.row.requestBytes, Buffer.byteLength(JSON.stringify(stored.request)));
    const ledger = await gateway.running.gateway.store.ledger.get(sent.id);
    assert.equal(ledger?.requestedModel, 'captured');
  });

  test('a model without capture, or with sample 0, stores nothing; the ledger still records it', async () => {
    for (const model of ['plain', 'never']) {
      const sent = await send(gateway, '/v1/chat/completions', chat(model, 'hello'));
      assert.equal(sent.status, 200);
      assert.equal(await storedCapture(gateway, sent.id), undefined, model);
      assert.notEqual(await gateway.running.gateway.store.ledger.get(sent.id), undefined);
    }
  });

  test('sample 0.5 captures some requests and not others, and counts each sampled one', async () => {
    const before = gateway.running.gateway.capture.stats();
    const ids: string[] = [];
    for (let index = 0; index < 60; index += 1) ids.push((await send(gateway, '/v1/chat/completions', chat('half', `question ${index}`))).id);
    const captured = (await Promise.all(ids.map((id) => storedCapture(gateway, id)))).filter(Boolean).length;
    assert.ok(captured > 0 && captured < 60, `captured ${captured} of 60`);
    const after = gateway.running.gateway.capture.stats();
    assert.equal(after.sampled - before.sampled, captured);
    assert.equal(after.written - before.written, captured);
  });

  test('redaction runs on what is stored: request, answer text and tool-call arguments', async () => {
    const sent = await send(gateway, '/v1/chat/completions', chat('private', personal));
    assert.equal(sent.status, 200);
    const stored = await storedCapture(gateway, sent.id);
    assert.equal(stored?.row.redacted, true);
    const text = JSON.stringify(stored?.request);
    assert.doesNotMatch(text, /jane\.doe@example\.com|555 0134|4111 1111/);
    assert.match(text, /\[REDACTED_EMAIL\]/);
    assert.match(text, /\[REDACTED_PAYMENT_CARD\]/);
    // The provider itself saw the prompt unredacted: capture redaction changes only what is stored.
    assert.match(JSON.stringify(simulator.received.at(-1)?.body), /jane\.doe@example\.com/);
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }];
    const withTools = await send(gateway, '/v1/chat/completions', chat('support', 'Weather for ops@example.org?', { tools }));
    const toolCapture = await storedCapture(gateway, withTools.id);
    assert.equal(toolCapture?.row.redacted, true);
    assert.doesNotMatch(JSON.stringify(toolCapture?.request), /ops@example\.org/);
    assert.deepEqual((toolCapture?.answer?.toolCalls as Array<{ name: string }>).map((call) => call.name), ['get_weather']);
  });

  test('a route that redacts for providers stores redacted bodies even when its capture policy does not redact', async () => {
    const sent = await send(gateway, '/v1/chat/completions', chat('guarded', personal));
    const stored = await storedCapture(gateway, sent.id);
    assert.equal(stored?.row.redacted, true);
    assert.doesNotMatch(JSON.stringify(stored?.request), /jane\.doe@example\.com/);
  });

  test('a streamed answer is captured as assembled from the stream parts, on every ingress', async () => {
    const streamed = await send(gateway, '/v1/chat/completions', chat('captured', 'stream please', { stream: true, stream_options: { include_usage: true } }));
    assert.equal(streamed.status, 200);
    const stored = await storedCapture(gateway, streamed.id);
    assert.equal(stored?.request?.stream, true);
    assert.equal(stored?.answer?.text, 'w0 w1 w2 w3 w4 ');
    assert.equal(stored?.answer?.finishReason, 'stop');
    assert.equal((stored?.answer?.usage as { outputTokens: number }).outputTokens, 7);
    const messages = await send(gateway, '/v1/messages', { model: 'captured', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'from anthropic clients' }] });
    assert.equal(messages.status, 200);
    const fromMessages = await storedCapture(gateway, messages.id);
    assert.equal(fromMessages?.answer?.text, 'w0 w1 w2 w3 w4 ');
    assert.equal((fromMessages?.request?.maxTokens as number | undefined), 64);
    const responses = await send(gateway, '/v1/responses', { model: 'captured', input: 'from the responses API' });
    assert.equal(responses.status, 200);
    const fromResponses = await storedCapture(gateway, responses.id);
    assert.equal(fromResponses?.answer?.text, 'Hello from the simulator.');
    assert.equal((await gateway.running.gateway.store.ledger.get(responses.id))?.endpoint, 'responses');
  });

  test('a key tag rule captures that key on models without capture; the route policy wins over the key', async () => {
    const support = await createKey(gateway, { name: 'support-bot', tags: { team: 'support' } });
    const sent = await send(gateway, '/v1/chat/completions', chat('plain', personal), { key: support.key });
    const stored = await storedCapture(gateway, sent.id);
    assert.equal(stored?.row.redacted, false, 'the key rule does not redact');
    assert.match(JSON.stringify(stored?.request), /jane\.doe@example\.com/);
    const routed = await send(gateway, '/v1/chat/completions', chat('support', personal), { key: support.key });
    assert.equal((await storedCapture(gateway, routed.id))?.row.redacted, true, 'the route policy applies');
  });

  test('bodies: false keeps only the sampled mark and its retention', async () => {
    const sent = await send(gateway, '/v1/chat/completions', chat('meta', 'hello'));
    const stored = await storedCapture(gateway, sent.id);
    assert.equal(stored?.request, null);
    assert.equal(stored?.answer, null);
    assert.equal(stored?.row.requestBytes, null);
    assert.ok(Math.abs((stored?.row.expiresAt ?? 0) - (stored?.row.createdAt ?? 0) - 7 * 86_400_000) < 1);
  });

  test('a body under the cap is stored compressed', async () => {
    const sent = await send(gateway, '/v1/chat/completions', chat('captured', 'please refund order 1234. '.repeat(100)));
    const stored = await storedCapture(gateway, sent.id);
    assert.equal(stored?.row.requestTruncated, false);
    assert.ok((stored?.row.requestBytes ?? 0) > 2500);
    assert.ok((stored?.row.storedBytes ?? Infinity) < (stored?.row.requestBytes ?? 0) / 4, `stored ${stored?.row.storedBytes} of ${stored?.row.requestBytes}`);
  });

  test('a body over the size cap keeps its size and a truncated mark, and the record says so', async () => {
    const sent = await send(gateway, '/v1/chat/completions', chat('captured', 'x'.repeat(10_000)));
    assert.equal(sent.status, 200);
    const stored = await storedCapture(gateway, sent.id);
    assert.equal(stored?.request, null);
    assert.equal(stored?.row.requestTruncated, true);
    assert.ok((stored?.row.requestBytes ?? 0) > 10_000);
    assert.equal(stored?.answer?.text, 'Hello from the simulator.');
    const detail = await adminJson<{ capture: { truncated: string[]; requestBytes: number; request: unknown } }>(gateway, `/admin/requests/${sent.id}`);
    assert.deepEqual(detail.body.capture.truncated, ['request']);
    assert.equal(detail.body.capture.request, null);
    assert.equal(detail.body.capture.requestBytes, stored?.row.requestBytes);
  });

  test('a failed request is captured with its request and no answer', async () => {
    simulator.behave({ kind: 'status', status: 400, body: { error: { message: 'bad', type: 'invalid_request_error', param: null, code: null } } });
    try {
      const sent = await send(gateway, '/v1/chat/completions', chat('captured', 'this fails'));
      assert.equal(sent.status, 400);
      const stored = await storedCapture(gateway, sent.id);
      assert.equal(stored?.answer, null);
      assert.equal((stored?.request?.messages as unknown[]).length, 1);
    } finally {
      simulator.behave({ kind: 'ok' });
    }
  });

  test('GET /admin/capture counts sampled, written and dropped', async () => {
    const stats = await adminJson<{ sampled: number; written: number; dropped: number; queued: number; stored: number }>(gateway, '/admin/capture');
    assert.equal(stats.status, 200);
    assert.equal(stats.body.dropped, 0);
    assert.equal(stats.body.sampled, stats.body.written + stats.body.queued + stats.body.dropped);
    assert.equal(stats.body.stored, await gateway.running.gateway.store.captures.count());
  });
});

describe('capture under pressure and over time', () => {
  let simulator: OpenAiSimulator;

  before(async () => {
    simulator = await startOpenAiSimulator();
  });

  after(async () => {
    await simulator.close();
  });

  test('a full queue drops the capture, counts it, and never fails or delays the request', async () => {
    const gateway = await startTestGateway({
      providers: { sim: { type: 'openai', baseUrl: simulator.url } },
      models: { captured: { provider: 'sim', capture: {} } },
      capture: { maxQueued: 2, batchSize: 1000, flushIntervalMs: 3_600_000 },
    });
    try {
      const ids: string[] = [];
      for (let index = 0; index < 6; index += 1) {
        const sent = await send(gateway, '/v1/chat/completions', chat('captured', `q${index}`));
        assert.equal(sent.status, 200);
        ids.push(sent.id);
      }
      const stats = await adminJson<{ sampled: number; dropped: number; queued: number; written: number }>(gateway, '/admin/capture');
      assert.deepEqual([stats.body.sampled, stats.body.queued, stats.body.dropped, stats.body.written], [6, 2, 4, 0]);
      const stored = await Promise.all(ids.map((id) => storedCapture(gateway, id)));
      assert.deepEqual(stored.map(Boolean), [true, true, false, false, false, false]);
      const after = gateway.running.gateway.capture.stats();
      assert.equal(after.written + after.dropped, after.sampled);
      await gateway.running.gateway.ledger.flush();
      assert.equal((await gateway.running.gateway.store.ledger.count()).requests, 6);
    } finally {
      await gateway.stop();
    }
  });

  test('the retention sweep deletes expired captures and keeps their ledger records', async () => {
    // 0.000002 days is about 173 ms.
    const gateway = await startTestGateway({
      providers: { sim: { type: 'openai', baseUrl: simulator.url } },
      models: { brief: { provider: 'sim', capture: { retentionDays: 0.000002 } }, kept: { provider: 'sim', capture: {} } },
    });
    try {
      const brief = await send(gateway, '/v1/chat/completions', chat('brief', 'gone soon'));
      const kept = await send(gateway, '/v1/chat/completions', chat('kept', 'stays'));
      assert.ok(await storedCapture(gateway, brief.id));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const swept = await adminJson<{ deleted: number }>(gateway, '/admin/capture/sweep', { method: 'POST' });
      assert.equal(swept.body.deleted, 1);
      assert.equal(await storedCapture(gateway, brief.id), undefined);
      assert.ok(await storedCapture(gateway, kept.id));
      assert.equal((await gateway.running.gateway.store.ledger.get(brief.id))?.requestedModel, 'brief');
      assert.equal((await adminJson<{ swept: number }>(gateway, '/admin/capture')).body.swept, 1);
    } finally {
      await gateway.stop();
    }
  });

  test('the periodic sweep runs by itself', async () => {
    const gateway = await startTestGateway({
      providers: { sim: { type: 'openai', baseUrl: simulator.url } },
      models: { brief: { provider: 'sim', capture: { retentionDays: 0.000001 } } },
      capture: { sweepIntervalMs: 100, flushIntervalMs: 20 },
    });
    try {
      const brief = await send(gateway, '/v1/chat/completions', chat('brief', 'gone soon'));
      const deadline = Date.now() + 5_000;
      while (gateway.running.gateway.capture.stats().swept === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(await storedCapture(gateway, brief.id), undefined);
      assert.ok(gateway.running.gateway.capture.stats().swept >= 1);
    } finally {
      await gateway.stop();
    }
  });
});
