import assert from 'node:assert/strict';
import type { DatasetItem } from '../quality/dataset.js';
import type { Store } from './store.js';

type Case = (name: string, work: (store: Store) => Promise<void>) => void;

const march1 = Date.UTC(2025, 2, 1);

export function datasetItem(id: string, overrides: Partial<DatasetItem> = {}): DatasetItem {
  return {
    id,
    request: {
      model: 'support-bot',
      stream: false,
      temperature: 0.2,
      messages: [
        { role: 'system', content: 'Be brief.', cache: { ttl: '5m' } },
        { role: 'user', content: [{ type: 'text', text: `question ${id}` }, { type: 'image', url: 'https://example.com/a.png', detail: 'low' }] },
      ],
      tools: [{ name: 'lookup', description: 'Find an order', parameters: { type: 'object', properties: { id: { type: 'string' } } } }],
    },
    reference: {
      text: `answer ${id}`,
      toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"id":"42"}' }],
      finishReason: 'tool-calls',
      usage: { inputTokens: 10, cacheReadTokens: 2, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0 },
    },
    sourceRequestId: `req-${id}`,
    metadata: { route: 'support', 'tag.team': 'blue' },
    ...overrides,
  };
}

/** Dataset repository cases, run by the driver contract suite against every driver. */
export function datasetContract(it: Case): void {
  it('datasets: create numbers versions per name and reads back every field of every item', async (store) => {
    const items = [datasetItem('a'), datasetItem('b', { reference: null, sourceRequestId: null, metadata: {} })];
    const first = await store.datasets.create({ name: 'support', createdAt: march1, source: 'capture', filter: { model: 'gpt-x', status: 'ok', tags: { team: 'blue' } }, items });
    assert.deepEqual(first, { name: 'support', version: 1, createdAt: march1, itemCount: 2, source: 'capture', filter: { model: 'gpt-x', status: 'ok', tags: { team: 'blue' } } });
    const second = await store.datasets.create({ name: 'support', createdAt: march1 + 1, source: 'import', items: [datasetItem('c')] });
    assert.deepEqual(second, { name: 'support', version: 2, createdAt: march1 + 1, itemCount: 1, source: 'import' });
    await store.datasets.create({ name: 'billing', createdAt: march1 + 2, source: 'import', items: [datasetItem('x')] });
    assert.deepEqual(await store.datasets.get('support'), second);
    assert.deepEqual(await store.datasets.get('support', 1), first);
    assert.equal(await store.datasets.get('support', 3), undefined);
    assert.equal(await store.datasets.get('missing'), undefined);
    assert.deepEqual((await store.datasets.list()).map((version) => [version.name, version.version]), [['billing', 1], ['support', 1], ['support', 2]]);
    assert.deepEqual(await store.datasets.items('support', 1, { limit: 10 }), { items, nextCursor: null });
  });

  it('datasets: creates of one name at once take consecutive numbers, none lost', async (store) => {
    const created = await Promise.all(Array.from({ length: 6 }, (_unused, index) => store.datasets.create({ name: 'busy', createdAt: march1 + index, source: 'import', items: [datasetItem(`i${index}`)] })));
    assert.deepEqual(created.map((version) => version.version).sort((left, right) => left - right), [1, 2, 3, 4, 5, 6]);
    assert.equal((await store.datasets.list()).length, 6);
  });

  it('datasets: the native body of a request is never stored', async (store) => {
    const item = datasetItem('a');
    item.request.native = { format: 'openai-chat', body: { model: 'x', secret_field: true } };
    await store.datasets.create({ name: 'n', createdAt: march1, source: 'import', items: [item] });
    const read = (await store.datasets.items('n', 1, { limit: 1 })).items[0];
    assert.equal(read?.request.native, undefined);
    assert.equal(read?.request.messages.length, 2);
  });

  it('datasets: a version with a duplicate item id writes nothing and takes no number', async (store) => {
    await store.datasets.create({ name: 'support', createdAt: march1, source: 'import', items: [datasetItem('a')] });
    await assert.rejects(store.datasets.create({ name: 'support', createdAt: march1, source: 'import', items: [datasetItem('b'), datasetItem('c'), datasetItem('b')] }));
    await assert.rejects(store.datasets.create({ name: 'fresh', createdAt: march1, source: 'import', items: [datasetItem('b'), datasetItem('b')] }));
    assert.deepEqual((await store.datasets.list()).map((version) => [version.name, version.version, version.itemCount]), [['support', 1, 1]]);
    assert.equal((await store.datasets.create({ name: 'support', createdAt: march1, source: 'import', items: [datasetItem('d')] })).version, 2);
  });

  it('datasets: items come in insertion order, page by page, every item once', async (store) => {
    const ids = Array.from({ length: 2345 }, (_unused, index) => `item-${String(2345 - index).padStart(5, '0')}`);
    await store.datasets.create({ name: 'big', createdAt: march1, source: 'import', items: ids.map((id) => datasetItem(id)) });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.datasets.items('big', 1, { limit: 500, ...(cursor === undefined ? {} : { cursor }) });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined);
    assert.equal(pages, 5);
    assert.deepEqual(seen, ids);
    const exact = await store.datasets.items('big', 1, { limit: 2345 });
    assert.equal(exact.items.length, 2345);
    assert.equal(exact.nextCursor, null);
    assert.deepEqual(await store.datasets.items('big', 2, { limit: 10 }), { items: [], nextCursor: null });
    await assert.rejects(store.datasets.items('big', 1, { limit: 10, cursor: 'not-a-cursor' }), (error: unknown) => (error as { param?: string }).param === 'cursor');
  });

  it('datasets: delete one version keeps the others and its number; delete the name removes all', async (store) => {
    for (const id of ['a', 'b', 'c']) await store.datasets.create({ name: 'support', createdAt: march1, source: 'import', items: [datasetItem(id)] });
    await store.datasets.create({ name: 'other', createdAt: march1, source: 'import', items: [datasetItem('z')] });
    assert.equal(await store.datasets.delete('support', 3), 1);
    assert.equal(await store.datasets.delete('support', 3), 0);
    assert.deepEqual((await store.datasets.get('support'))?.version, 2);
    assert.deepEqual(await store.datasets.items('support', 3, { limit: 10 }), { items: [], nextCursor: null });
    assert.equal((await store.datasets.create({ name: 'support', createdAt: march1, source: 'import', items: [datasetItem('d')] })).version, 4);
    assert.equal(await store.datasets.delete('support'), 3);
    assert.equal(await store.datasets.get('support'), undefined);
    assert.deepEqual(await store.datasets.items('support', 1, { limit: 10 }), { items: [], nextCursor: null });
    assert.equal(await store.datasets.delete('missing'), 0);
    assert.deepEqual((await store.datasets.list()).map((version) => version.name), ['other']);
    assert.equal((await store.datasets.create({ name: 'support', createdAt: march1, source: 'import', items: [datasetItem('e')] })).version, 1);
  });
}
