import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { emptyUsage } from '../src/core/canonical.js';
import type { CapturedRequest } from '../src/quality/captured-request.js';
import { checkBedrockLine, checkEvalLine, checkOpenAiLine, checkVertexLine } from './support/export-format-rules.js';
import { MemoryCaptureReader } from './support/memory-capture-reader.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const config = { providers: { openai: { type: 'openai', apiKey: 'sk-test', baseUrl: 'http://127.0.0.1:9/v1' } }, models: { mini: { provider: 'openai', model: 'gpt-4o-mini' } } };

const toolLine = {
  messages: [
    { role: 'user', content: 'Where is order 42?' },
    { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"id":"42"}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: '{"status":"shipped"}' },
    { role: 'assistant', content: 'It has shipped.' },
  ],
  tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { id: { type: 'string' } } } } }],
};
const textLine = (index: number) => ({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: `Question ${index}?` }, { role: 'assistant', content: `Answer ${index}.` }] });
const jsonl = (lines: unknown[]) => lines.map((line) => JSON.stringify(line)).join('\n');

interface ErrorBody {
  error: { code: string; param: string | null; message: string };
}

function captured(index: number): CapturedRequest {
  return {
    requestId: `req-${index}`, createdAt: Date.UTC(2025, 5, 1) + index, endpoint: 'chat', requestedModel: 'mini', route: null, provider: 'openai',
    upstreamModel: 'gpt-4o-mini', customer: null, keyId: 'k1', team: null, status: 200, tags: { flow: index % 2 === 0 ? 'even' : 'odd' },
    request: { model: 'mini', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: `captured ${index}` }] }] },
    answer: { text: `recorded ${index}`, toolCalls: [], finishReason: 'stop', usage: emptyUsage() }, redacted: false,
    ...(index === 3 ? { demonstration: { text: 'corrected 3', toolCalls: [], finishReason: 'stop', usage: emptyUsage() } } : {}),
  };
}

describe('datasets through the admin API', () => {
  let gateway: TestGateway;
  let bare: TestGateway;

  const send = async (path: string, init: RequestInit = {}) => gateway.admin(path, init);
  const json = async <T>(response: Response, status: number): Promise<T> => {
    const text = await response.text();
    assert.equal(response.status, status, text);
    return JSON.parse(text) as T;
  };
  const refused = async (response: Response, status: number, param: string | null): Promise<ErrorBody['error']> => {
    const body = await json<ErrorBody>(response, status);
    assert.equal(body.error.param, param, body.error.message);
    return body.error;
  };

  before(async () => {
    gateway = await startTestGateway(config, {}, { captures: new MemoryCaptureReader(Array.from({ length: 6 }, (_unused, index) => captured(index))) });
    bare = await startTestGateway(config);
  });
  after(async () => {
    await gateway?.stop();
    await bare?.stop();
  });

  test('import a JSONL body with ?name=, then a JSON body: versions 1 and 2, listed and described', async () => {
    const first = await json<Record<string, unknown>>(await send('/admin/datasets?name=support', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: `${jsonl([textLine(1), toolLine, textLine(2)])}\n` }), 201);
    assert.equal(first.name, 'support');
    assert.equal(first.version, 1);
    assert.equal(first.itemCount, 3);
    assert.equal(first.source, 'import');
    assert.match(first.createdAt as string, /^\d{4}-\d\d-\d\dT/);
    const second = await json<Record<string, unknown>>(await send('/admin/datasets', { method: 'POST', body: JSON.stringify({ name: 'support', jsonl: jsonl([{ input: 'Hi', expected: 'Hello' }]) }) }), 201);
    assert.equal(second.version, 2);
    const listed = await json<{ data: Array<{ name: string; latestVersion: number; itemCount: number; versions: Array<{ version: number }> }> }>(await send('/admin/datasets'), 200);
    const support = listed.data.find((entry) => entry.name === 'support');
    assert.deepEqual([support?.latestVersion, support?.itemCount, support?.versions.map((version) => version.version)], [2, 1, [1, 2]]);
    const described = await json<{ versions: Array<{ version: number; itemCount: number }> }>(await send('/admin/datasets/support'), 200);
    assert.deepEqual(described.versions.map((version) => [version.version, version.itemCount]), [[1, 3], [2, 1]]);
  });

  test('items walk page by page with the cursor, every item once, in the order imported', async () => {
    await json(await send('/admin/datasets?name=paged', { method: 'POST', headers: { 'content-type': 'application/jsonl' }, body: jsonl(Array.from({ length: 25 }, (_unused, index) => textLine(index))) }), 201);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page: { items: Array<{ id: string; reference: { text: string } }>; nextCursor: string | null; version: number } = await json(await send(`/admin/datasets/paged/items?limit=10${query}`), 200);
      assert.equal(page.version, 1);
      seen.push(...page.items.map((item) => item.reference.text));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null);
    assert.equal(pages, 3);
    assert.deepEqual(seen, Array.from({ length: 25 }, (_unused, index) => `Answer ${index}.`));
    await refused(await send('/admin/datasets/paged/items?cursor=abc'), 400, 'cursor');
    await refused(await send('/admin/datasets/paged/items?limit=0'), 400, 'limit');
    await refused(await send('/admin/datasets/paged/items?limit=1001'), 400, 'limit');
    await refused(await send('/admin/datasets/paged/items?version=9'), 404, null);
    await refused(await send('/admin/datasets/nothing/items'), 404, null);
  });

  test('export streams each format as JSONL that follows its rules, with the skipped items counted in headers', async () => {
    const openai = await send('/admin/datasets/support/export?format=openai&version=1');
    assert.equal(openai.status, 200);
    assert.match(openai.headers.get('content-type') ?? '', /application\/x-ndjson/);
    assert.equal(openai.headers.get('x-switchyard-exported'), '3');
    assert.equal(openai.headers.get('x-switchyard-skipped'), '0');
    const openaiLines = (await openai.text()).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    openaiLines.forEach(checkOpenAiLine);
    assert.deepEqual(openaiLines[1], toolLine);
    const bedrock = await send('/admin/datasets/support/export?format=bedrock&version=1');
    assert.equal(bedrock.headers.get('x-switchyard-exported'), '2');
    assert.equal(bedrock.headers.get('x-switchyard-skipped'), '1');
    assert.deepEqual(JSON.parse(bedrock.headers.get('x-switchyard-skipped-reasons') ?? '{}'), { 'tool use (the Bedrock Claude conversation format has none)': 1 });
    const bedrockLines = (await bedrock.text()).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    bedrockLines.forEach(checkBedrockLine);
    assert.deepEqual(bedrockLines[0], { system: 'Be brief.', messages: [{ role: 'user', content: 'Question 1?' }, { role: 'assistant', content: 'Answer 1.' }] });
    const vertex = await send('/admin/datasets/support/export?format=vertex&version=1');
    (await vertex.text()).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>).forEach(checkVertexLine);
    const evaluation = await send('/admin/datasets/support/export?format=eval');
    assert.deepEqual(JSON.parse(await evaluation.text()), { input: 'Hi', expected: 'Hello', metadata: {} });
    const big = await send('/admin/datasets/paged/export?format=eval');
    const bigLines = (await big.text()).trimEnd().split('\n');
    assert.equal(bigLines.length, 25);
    bigLines.map((line) => JSON.parse(line) as Record<string, unknown>).forEach(checkEvalLine);
  });

  test('an export larger than a store page streams every item once, in order', async () => {
    const total = 1234;
    await json(await send('/admin/datasets?name=large', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: jsonl(Array.from({ length: total }, (_unused, index) => textLine(index))) }), 201);
    const response = await send('/admin/datasets/large/export?format=openai');
    assert.equal(response.headers.get('x-switchyard-exported'), String(total));
    assert.match(response.headers.get('content-disposition') ?? '', /filename="large-v1-openai\.jsonl"/);
    const lines = (await response.text()).trimEnd().split('\n').map((line) => JSON.parse(line) as { messages: Array<{ content: string }> });
    assert.deepEqual(lines.map((line) => line.messages.at(-1)?.content), Array.from({ length: total }, (_unused, index) => `Answer ${index}.`));
  });

  test('export refuses an unknown format, and a format that can hold no item of the version, naming format', async () => {
    await refused(await send('/admin/datasets/support/export?format=csv'), 400, 'format');
    await json(await send('/admin/datasets?name=tools-only', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: jsonl([toolLine]) }), 201);
    const error = await refused(await send('/admin/datasets/tools-only/export?format=bedrock'), 400, 'format');
    assert.match(error.message, /tool use/);
    await refused(await send('/admin/datasets/missing/export?format=openai'), 404, null);
  });

  test('a dataset from captured requests: demonstrations replace recorded answers; a filter matching nothing is a 400', async () => {
    const created = await json<Record<string, unknown>>(await send('/admin/datasets', { method: 'POST', body: JSON.stringify({ name: 'odd', filter: { model: 'mini', tags: { flow: 'odd' } } }) }), 201);
    assert.deepEqual([created.version, created.itemCount, created.source, created.filter], [1, 3, 'capture', { model: 'mini', tags: { flow: 'odd' } }]);
    const page = await json<{ items: Array<{ sourceRequestId: string; reference: { text: string } }> }>(await send('/admin/datasets/odd/items'), 200);
    assert.deepEqual(page.items.map((item) => [item.sourceRequestId, item.reference.text]), [['req-5', 'recorded 5'], ['req-3', 'corrected 3'], ['req-1', 'recorded 1']]);
    await refused(await send('/admin/datasets', { method: 'POST', body: JSON.stringify({ name: 'none', filter: { model: 'other' } }) }), 400, 'filter');
    await refused(await send('/admin/datasets', { method: 'POST', body: JSON.stringify({ name: 'bad', filter: { status: 'fine' } }) }), 400, 'filter.status');
    await refused(await send('/admin/datasets/none'), 404, null);
    await refused(await bare.admin('/admin/datasets', { method: 'POST', body: JSON.stringify({ name: 'odd', filter: {} }) }), 400, 'filter');
  });

  test('bad imports are 400s naming the line and field, and store nothing', async () => {
    const before = await json<{ data: unknown[] }>(await send('/admin/datasets'), 200);
    const badLine = await refused(await send('/admin/datasets?name=broken', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: jsonl([textLine(1), { messages: [{ role: 'robot', content: 'x' }, { role: 'assistant', content: 'y' }] }]) }), 400, 'body[2].messages[0].role');
    assert.match(badLine.message, /line 2/);
    await refused(await send('/admin/datasets', { method: 'POST', body: JSON.stringify({ name: 'broken', jsonl: '{"input": 5}\n' }) }), 400, 'jsonl[1].input');
    await refused(await send('/admin/datasets?name=broken', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: '\n\n' }), 400, 'body');
    await refused(await send('/admin/datasets', { method: 'POST', body: JSON.stringify({ name: 'broken', jsonl: '' }) }), 400, 'jsonl');
    await refused(await send('/admin/datasets', { method: 'POST', body: JSON.stringify({ name: 'no spaces please', jsonl: jsonl([textLine(1)]) }) }), 400, 'name');
    await refused(await send('/admin/datasets', { method: 'POST', body: JSON.stringify({ jsonl: jsonl([textLine(1)]) }) }), 400, 'name');
    await refused(await send('/admin/datasets', { method: 'POST', body: JSON.stringify({ name: 'x', jsonl: 'a', filter: {} }) }), 400, 'jsonl');
    await refused(await send('/admin/datasets', { method: 'POST', body: JSON.stringify({ name: 'x' }) }), 400, 'filter');
    await refused(await send('/admin/datasets', { method: 'POST', body: 'not json' }), 400, null);
    await refused(await send('/admin/datasets/%E0%A4%A/items'), 400, 'name');
    const afterwards = await json<{ data: unknown[] }>(await send('/admin/datasets'), 200);
    assert.deepEqual(afterwards, before);
  });

  test('delete one version, then the whole dataset; deleting what is gone is a 404', async () => {
    for (let round = 0; round < 2; round += 1) await json(await send('/admin/datasets?name=doomed', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: jsonl([textLine(round)]) }), 201);
    assert.deepEqual(await json(await send('/admin/datasets/doomed?version=2', { method: 'DELETE' }), 200), { name: 'doomed', version: 2, deletedVersions: 1 });
    await refused(await send('/admin/datasets/doomed?version=2', { method: 'DELETE' }), 404, null);
    await refused(await send('/admin/datasets/doomed?version=two', { method: 'DELETE' }), 400, 'version');
    const left = await json<{ versions: Array<{ version: number }> }>(await send('/admin/datasets/doomed'), 200);
    assert.deepEqual(left.versions.map((version) => version.version), [1]);
    assert.deepEqual(await json(await send('/admin/datasets/doomed', { method: 'DELETE' }), 200), { name: 'doomed', deletedVersions: 1 });
    await refused(await send('/admin/datasets/doomed'), 404, null);
    await refused(await send('/admin/datasets/doomed', { method: 'DELETE' }), 404, null);
  });

  test('the dataset API needs the admin key', async () => {
    const response = await fetch(`${gateway.url}/admin/datasets`, { headers: { authorization: `Bearer ${gateway.clientKey}` } });
    assert.equal(response.status, 403);
  });
});
