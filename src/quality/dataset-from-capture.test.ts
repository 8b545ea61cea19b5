import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptyUsage } from '../core/canonical.js';
import { GatewayError } from '../core/errors.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { MemoryCaptureReader } from '../../test/support/memory-capture-reader.js';
import type { CapturedAnswer, CapturedRequest } from './captured-request.js';
import { readCaptureFilter } from './dataset-filter.js';
import { collectCaptureItems } from './dataset-from-capture.js';
import { createDatasetFromCapture } from './dataset-service.js';

const start = Date.UTC(2025, 5, 1);
const said = (text: string): CapturedAnswer => ({ text, toolCalls: [], finishReason: 'stop', usage: { ...emptyUsage(), inputTokens: 9, outputTokens: 3 } });

function captured(index: number, overrides: Partial<CapturedRequest> = {}): CapturedRequest {
  return {
    requestId: `req-${index}`, createdAt: start + index * 1000, endpoint: 'chat', requestedModel: 'support', route: 'support', provider: 'openai',
    upstreamModel: 'gpt-x', customer: 'acme', keyId: 'k1', team: null, status: 200, tags: { team: 'blue' },
    request: { model: 'support', stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: `question ${index}` }] }], native: { format: 'openai-chat', body: { model: 'support' } } },
    answer: said(`answer ${index}`), redacted: false, ...overrides,
  };
}

describe('datasets from captured requests', () => {
  const captures = [
    ...Array.from({ length: 450 }, (_unused, index) => captured(index)),
    captured(1000, { request: null, answer: null }),
    captured(1001, { demonstration: said('the corrected answer'), tags: { team: 'blue', channel: 'chat' }, redacted: true }),
    captured(1002, { status: 500, answer: null }),
    captured(1003, { requestedModel: 'other', route: null }),
  ];
  const feedback = { 'req-1001': { resolved: false }, 'req-3': { resolved: true, rating: 5 }, 'req-4': { rating: 2 } };

  test('pages through every match with bodies, newest first; the reference is the demonstration when given, else the recorded answer', async () => {
    const reader = new MemoryCaptureReader(captures, feedback);
    const items = await collectCaptureItems(reader, { model: 'support', status: 'ok' });
    assert.equal(items.length, 451);
    assert.ok(reader.pagesRead >= 3);
    assert.equal(items[0]?.id, 'req-1001');
    assert.equal(items[0]?.reference?.text, 'the corrected answer');
    assert.deepEqual(items[0]?.metadata, {
      model: 'support', status: '200', route: 'support', provider: 'openai', upstreamModel: 'gpt-x', customer: 'acme', keyId: 'k1',
      'tag.team': 'blue', 'tag.channel': 'chat', redacted: 'true', reference: 'demonstration',
    });
    assert.equal(items[1]?.reference?.text, 'answer 449');
    assert.equal(items[1]?.metadata.reference, 'recorded');
    assert.equal(items[1]?.sourceRequestId, 'req-449');
    assert.ok(items.every((item) => item.request.native === undefined));
    assert.ok(!items.some((item) => item.id === 'req-1000'));
  });

  test('feedback conditions narrow the requests', async () => {
    const reader = new MemoryCaptureReader(captures, feedback);
    const resolved = await collectCaptureItems(reader, readCaptureFilter({ feedback: [{ metric: 'resolved', op: 'eq', value: true }] }));
    assert.deepEqual(resolved.map((item) => item.id), ['req-3']);
    const rated = await collectCaptureItems(reader, readCaptureFilter({ feedback: [{ metric: 'rating' }] }));
    assert.deepEqual(rated.map((item) => item.id), ['req-4', 'req-3']);
  });

  test('a filter that matches nothing is a 400 naming the filter, and nothing is stored', async () => {
    const store = openSqliteStore(':memory:');
    try {
      const reader = new MemoryCaptureReader(captures, feedback);
      await assert.rejects(createDatasetFromCapture(store.datasets, reader, { name: 'none', filter: { model: 'missing' } }), (error: unknown) => {
        assert.ok(error instanceof GatewayError);
        assert.equal(error.code, 'invalid_request');
        assert.equal(error.param, 'filter');
        return true;
      });
      assert.deepEqual(await store.datasets.list(), []);
      const version = await createDatasetFromCapture(store.datasets, reader, { name: 'errors', filter: { status: 'error' }, now: start });
      assert.deepEqual(version, { name: 'errors', version: 1, createdAt: start, itemCount: 1, source: 'capture', filter: { status: 'error' } });
      const page = await store.datasets.items('errors', 1, { limit: 10 });
      assert.equal(page.items[0]?.reference, null);
      assert.equal(page.items[0]?.metadata.reference, 'none');
    } finally {
      await store.close();
    }
  });

  test('filter bodies are read with every bad field named', () => {
    assert.deepEqual(readCaptureFilter({ from: '2025-06-01T00:00:00Z', to: start + 5, model: 'm', status: 'ok', tags: { team: 'blue' }, feedback: [{ metric: 'rating', op: 'gte', value: 4 }] }), {
      from: start, to: start + 5, model: 'm', status: 'ok', tags: { team: 'blue' }, feedback: [{ metric: 'rating', op: 'gte', value: 4 }],
    });
    const cases: Array<[unknown, string]> = [
      ['everything', 'filter'],
      [{ from: 'yesterday' }, 'filter.from'],
      [{ from: start + 10, to: start }, 'filter.to'],
      [{ status: 'fine' }, 'filter.status'],
      [{ tags: { team: 3 } }, 'filter.tags.team'],
      [{ feedback: [{ metric: 'rating', op: 'gt', value: 3 }] }, 'filter.feedback[0].op'],
      [{ feedback: [{ metric: 'rating', op: 'eq' }] }, 'filter.feedback[0].value'],
      [{ feedback: [{ op: 'eq', value: 1 }] }, 'filter.feedback[0].metric'],
      [{ modle: 'typo' }, 'filter.modle'],
    ];
    for (const [value, param] of cases) {
      assert.throws(() => readCaptureFilter(value), (error: unknown) => error instanceof GatewayError && error.param === param, JSON.stringify(value));
    }
  });
});
