import assert from 'node:assert/strict';
import type { RequestRecord } from '../ledger/ledger-record.js';
import type { CaptureFilter } from '../quality/captured-request.js';
import type { CaptureRow, FeedbackRecord, RequestPosition } from './quality-store.js';
import type { Store } from './store.js';

/** Registers one case of the driver contract; the store is fresh and empty. */
export type ContractCase = (name: string, work: (store: Store) => Promise<void>) => void;

const march1 = Date.UTC(2025, 2, 1);
const minute = 60_000;

function capture(requestId: string, overrides: Partial<CaptureRow> = {}): CaptureRow {
  return {
    requestId, createdAt: march1, expiresAt: march1 + 30 * 86_400_000, redacted: false,
    request: JSON.stringify({ model: 'gpt-x', messages: [] }), answer: '{"text":"hi"}',
    requestBytes: 31, answerBytes: 13, requestTruncated: false, answerTruncated: false, ...overrides,
  };
}

/** A row as read back, without the compressed size the store adds. */
function asWritten(row: CaptureRow | null | undefined): CaptureRow | null | undefined {
  if (!row) return row;
  const { storedBytes: _storedBytes, ...rest } = row;
  return rest;
}

function feedback(id: string, requestId: string, metric: string, value: FeedbackRecord['value'], createdAt: number): FeedbackRecord {
  return { id, requestId, metric, value, comment: null, keyId: 'k1', createdAt };
}

/** Walks every page of a filter and returns the ids in the order served. */
async function walk(store: Store, filter: CaptureFilter, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let after: RequestPosition | undefined;
  for (;;) {
    const rows = await store.captures.listRequests({ filter, limit, ...(after ? { after } : {}) });
    ids.push(...rows.map((row) => row.record.id));
    if (rows.length < limit) return ids;
    const last = rows[rows.length - 1]?.record as RequestRecord;
    after = { startedAt: last.startedAt, id: last.id };
  }
}

/** The capture, request log and feedback cases of the driver contract. */
export function qualityContract(it: ContractCase, record: (id: string, overrides?: Partial<RequestRecord>) => RequestRecord): void {
  it('ledger: tags are stored with the request and a request without tags reads back without them', async (store) => {
    const tagged = record('tagged', { tags: { team: 'support', flow: 'refund' } });
    await store.ledger.insertBatch([tagged, record('plain')]);
    assert.deepEqual(await store.ledger.get('tagged'), tagged);
    assert.equal('tags' in ((await store.ledger.get('plain')) as RequestRecord), false);
  });

  it('captures: insert, get with bodies intact, replace, count', async (store) => {
    const truncated = capture('c2', { request: null, requestBytes: 9_000_000, requestTruncated: true, answer: null, answerBytes: null, redacted: true });
    await store.captures.insertBatch([capture('c1'), truncated]);
    await store.captures.insertBatch([]);
    assert.deepEqual(asWritten(await store.captures.get('c1')), capture('c1'));
    assert.deepEqual(asWritten(await store.captures.get('c2')), truncated);
    assert.equal((await store.captures.get('c2'))?.storedBytes, 0);
    assert.equal(await store.captures.get('missing'), undefined);
    const replaced = capture('c1', { answerBytes: 99 });
    await store.captures.insertBatch([replaced]);
    assert.deepEqual(asWritten(await store.captures.get('c1')), replaced);
    assert.equal(await store.captures.count(), 2);
  });

  it('captures: small bodies are stored as they are, larger ones compressed', async (store) => {
    const small = capture('small');
    await store.captures.insertBatch([small]);
    assert.equal((await store.captures.get('small'))?.storedBytes, Buffer.byteLength(small.request as string) + Buffer.byteLength(small.answer as string));
    const request = JSON.stringify({ model: 'gpt-x', messages: [{ role: 'user', content: [{ type: 'text', text: 'refund my order please. '.repeat(400) }] }] });
    const answer = JSON.stringify({ text: 'é✓ '.repeat(3000) });
    await store.captures.insertBatch([capture('big', { request, answer, requestBytes: Buffer.byteLength(request), answerBytes: Buffer.byteLength(answer) })]);
    const read = await store.captures.get('big');
    assert.equal(read?.request, request);
    assert.equal(read?.answer, answer);
    assert.ok((read?.storedBytes ?? Infinity) < (Buffer.byteLength(request) + Buffer.byteLength(answer)) / 20, `stored ${read?.storedBytes} bytes`);
  });

  it('captures: the retention sweep deletes rows whose time has come, and only those', async (store) => {
    await store.captures.insertBatch([capture('old', { expiresAt: march1 }), capture('edge', { expiresAt: march1 + 1 }), capture('new', { expiresAt: march1 + 2 })]);
    assert.equal(await store.captures.deleteExpired(march1 + 1), 2);
    assert.equal(await store.captures.get('old'), undefined);
    assert.equal(await store.captures.get('edge'), undefined);
    assert.notEqual(await store.captures.get('new'), undefined);
    assert.equal(await store.captures.deleteExpired(march1 + 1), 0);
  });

  it('request log: newest first, joined with captures, every filter, cursor walks all rows once', async (store) => {
    const records: RequestRecord[] = [];
    for (let index = 0; index < 25; index += 1) {
      // Pairs share a start time so that the id breaks the tie.
      records.push(record(`r${String(index).padStart(2, '0')}`, {
        startedAt: march1 + Math.floor(index / 2) * minute, requestedModel: index % 3 === 0 ? 'claude-y' : 'gpt-x', route: index % 2 === 0 ? 'fast' : null,
        customer: index % 5 === 0 ? 'globex' : 'acme', keyId: index % 4 === 0 ? 'k2' : 'k1', status: index % 7 === 0 ? 502 : 200,
        ...(index % 3 === 1 ? { tags: { team: 'support', flow: index % 2 === 0 ? 'refund' : 'login' } } : {}),
      }));
    }
    await store.ledger.insertBatch(records);
    await store.captures.insertBatch([capture('r03'), capture('r04', { request: null, answer: null, requestBytes: null, answerBytes: null })]);
    const expected = [...records].sort((left, right) => right.startedAt - left.startedAt || (right.id < left.id ? -1 : 1));
    const ids = (rows: RequestRecord[]) => rows.map((row) => row.id);
    assert.deepEqual(await walk(store, {}, 7), ids(expected));
    assert.deepEqual(await walk(store, {}, 25), ids(expected));
    const first = await store.captures.listRequests({ filter: {}, limit: 30 });
    const r03 = first.find((row) => row.record.id === 'r03');
    assert.deepEqual(asWritten(r03?.capture), capture('r03'));
    assert.deepEqual(r03?.record, { ...records[3], attempts: [] });
    assert.equal(first.find((row) => row.record.id === 'r05')?.capture, null);
    const cases: Array<[CaptureFilter, (record: RequestRecord) => boolean]> = [
      [{ model: 'claude-y' }, (r) => r.requestedModel === 'claude-y'],
      [{ route: 'fast' }, (r) => r.route === 'fast'],
      [{ customer: 'globex' }, (r) => r.customer === 'globex'],
      [{ keyId: 'k2' }, (r) => r.keyId === 'k2'],
      [{ status: 'error' }, (r) => r.status >= 400],
      [{ status: 'ok' }, (r) => r.status < 400],
      [{ status: 502 }, (r) => r.status === 502],
      [{ from: march1 + 3 * minute, to: march1 + 6 * minute }, (r) => r.startedAt >= march1 + 3 * minute && r.startedAt < march1 + 6 * minute],
      [{ tags: { team: 'support' } }, (r) => r.tags?.team === 'support'],
      [{ tags: { team: 'support', flow: 'refund' } }, (r) => r.tags?.flow === 'refund'],
      [{ withBodies: true }, (r) => r.id === 'r03'],
      [{ model: 'gpt-x', keyId: 'k1', status: 'ok' }, (r) => r.requestedModel === 'gpt-x' && r.keyId === 'k1' && r.status < 400],
    ];
    for (const [filter, keep] of cases) assert.deepEqual(await walk(store, filter, 4), ids(expected.filter(keep)), JSON.stringify(filter));
  });

  it('feedback: several per request, listed oldest first, the latest value per metric wins for filters', async (store) => {
    await store.ledger.insertBatch([record('a', { startedAt: march1 + 2 }), record('b', { startedAt: march1 + 1 }), record('c', { startedAt: march1 })]);
    await store.feedback.insert(feedback('f1', 'a', 'resolved', false, march1 + 10));
    await store.feedback.insert(feedback('f2', 'a', 'resolved', true, march1 + 20));
    // Arrives late but was given earlier: it is kept in the history, not as the value.
    await store.feedback.insert(feedback('f0', 'a', 'resolved', false, march1 + 5));
    await store.feedback.insert(feedback('f3', 'a', 'rating', 4.5, march1 + 30));
    await store.feedback.insert({ ...feedback('f4', 'b', 'fix', { text: 'Use the refund form.', toolCalls: [{ name: 'open_form', arguments: '{"form":"refund"}' }] }, march1 + 40), comment: 'kinder', keyId: null });
    await store.feedback.insert(feedback('f5', 'b', 'resolved', false, march1 + 50));
    await store.feedback.insert(feedback('f6', 'b', 'rating', 2, march1 + 60));
    assert.deepEqual((await store.feedback.listFor('a')).map((item) => item.id), ['f0', 'f1', 'f2', 'f3']);
    assert.deepEqual((await store.feedback.listFor('b'))[0], { ...feedback('f4', 'b', 'fix', { text: 'Use the refund form.', toolCalls: [{ name: 'open_form', arguments: '{"form":"refund"}' }] }, march1 + 40), comment: 'kinder', keyId: null });
    assert.deepEqual((await store.feedback.latestFor(['a', 'c'])).map((item) => [item.metric, item.value]), [['rating', 4.5], ['resolved', true]]);
    assert.deepEqual(await store.feedback.latestFor([]), []);
    const matching = async (filter: CaptureFilter) => (await store.captures.listRequests({ filter, limit: 10 })).map((row) => row.record.id);
    assert.deepEqual(await matching({ feedback: [{ metric: 'resolved', op: 'eq', value: true }] }), ['a']);
    assert.deepEqual(await matching({ feedback: [{ metric: 'resolved', value: false }] }), ['b']);
    assert.deepEqual(await matching({ feedback: [{ metric: 'resolved' }] }), ['a', 'b']);
    assert.deepEqual(await matching({ feedback: [{ metric: 'rating', op: 'gte', value: 3 }] }), ['a']);
    assert.deepEqual(await matching({ feedback: [{ metric: 'rating', op: 'lte', value: 4.5 }, { metric: 'fix' }] }), ['b']);
    assert.deepEqual(await matching({ feedback: [{ metric: 'rating', op: 'ne', value: 2 }] }), ['a']);
  });

  it('feedback: summary per usage group counts requests and averages their latest values', async (store) => {
    await store.ledger.insertBatch([record('a', { requestedModel: 'gpt-x' }), record('b', { requestedModel: 'gpt-x' }), record('c', { requestedModel: 'claude-y', startedAt: march1 + 86_400_000 })]);
    await store.feedback.insert(feedback('f1', 'a', 'resolved', false, march1 + 1));
    await store.feedback.insert(feedback('f2', 'a', 'resolved', true, march1 + 2));
    await store.feedback.insert(feedback('f3', 'b', 'resolved', false, march1 + 3));
    await store.feedback.insert(feedback('f4', 'c', 'resolved', true, march1 + 4));
    await store.feedback.insert(feedback('f5', 'a', 'rating', 5, march1 + 5));
    await store.feedback.insert(feedback('f6', 'b', 'rating', 2, march1 + 6));
    const sorted = (rows: Awaited<ReturnType<Store['feedback']['summary']>>) => [...rows].sort((left, right) => `${left.group}${left.metric}`.localeCompare(`${right.group}${right.metric}`));
    assert.deepEqual(sorted(await store.feedback.summary({ groupBy: 'model' })), [
      { group: 'claude-y', metric: 'resolved', count: 1, mean: 1 },
      { group: 'gpt-x', metric: 'rating', count: 2, mean: 3.5 },
      { group: 'gpt-x', metric: 'resolved', count: 2, mean: 0.5 },
    ]);
    assert.deepEqual(sorted(await store.feedback.summary({ groupBy: 'day', from: march1 + 86_400_000 })), [{ group: '2025-03-02', metric: 'resolved', count: 1, mean: 1 }]);
  });
}
