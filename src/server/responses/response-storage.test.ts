import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Logger } from '../../core/logger.js';
import { GatewayError } from '../../core/errors.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { ResponseRepository, StoredResponse } from '../../store/store.js';
import { ResponseStorage } from './response-storage.js';

const owner = { keyId: 'key_1', team: null };
const settings = { store: true, retentionDays: 30, sweepIntervalSeconds: 3600 };

function response(id: string, previousResponseId: string | null = null): StoredResponse {
  return {
    id, owner, previousResponseId, createdAt: Date.now(), carry: null,
    response: { id, output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `answer of ${id}` }] }] },
    inputItems: [{ type: 'message', id: `msg_${id}`, role: 'user', content: [{ type: 'input_text', text: `question of ${id}` }] }],
  };
}

function recordingLogger(): Logger & { errors: Array<[string, Record<string, unknown> | undefined]> } {
  const errors: Array<[string, Record<string, unknown> | undefined]> = [];
  const ignore = () => undefined;
  return { errors, debug: ignore, info: ignore, warn: ignore, error: (message, fields) => errors.push([message, fields]) };
}

test('a failed write is logged with the response id and counted, never thrown at the request', async () => {
  const store = openSqliteStore(':memory:');
  const failing: ResponseRepository = { ...store.responses, insert: async () => { throw new Error('disk full'); } };
  const logger = recordingLogger();
  const storage = new ResponseStorage(failing, settings, logger);
  await storage.keep(response('resp_lost'));
  assert.deepEqual(storage.stats(), { stored: 0, failed: 1, swept: 0, writing: 0 });
  assert.equal(logger.errors[0]?.[0], 'stored response not written');
  assert.equal(logger.errors[0]?.[1]?.responseId, 'resp_lost');
  await store.close();
});

test('a request naming a response still being written waits for that write', async () => {
  const store = openSqliteStore(':memory:');
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const slow: ResponseRepository = { ...store.responses, insert: async (entry) => { await gate; await store.responses.insert(entry); } };
  const storage = new ResponseStorage(slow, settings, recordingLogger());
  void storage.keep(response('resp_slow'));
  const loading = storage.history('resp_slow', owner);
  setTimeout(release, 20);
  const history = await loading;
  assert.deepEqual(history.messages.map((message) => message.role), ['user', 'assistant']);
  assert.equal(storage.stats().stored, 1);
  await store.close();
});

test('a conversation with a deleted earlier response is refused, naming previous_response_id', async () => {
  const store = openSqliteStore(':memory:');
  const storage = new ResponseStorage(store.responses, settings, recordingLogger());
  await storage.keep(response('resp_a'));
  await storage.keep(response('resp_b', 'resp_a'));
  assert.equal((await storage.history('resp_b', owner)).messages.length, 4);
  await storage.delete('resp_a', owner);
  await assert.rejects(storage.history('resp_b', owner), (error: unknown) => {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.status, 404);
    assert.equal(error.param, 'previous_response_id');
    assert.match(error.message, /resp_a/);
    return true;
  });
  await assert.rejects(storage.delete('resp_a', owner), /No response with id 'resp_a'/);
  await store.close();
});
