import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../core/errors.js';
import { parseDatasetJsonl, readDatasetJsonl } from './dataset-import.js';
import { emptyTally, exportLines } from './export-dataset.js';

const chatLine = {
  messages: [
    { role: 'system', content: 'You track orders.' },
    { role: 'user', content: 'Where is order 42?' },
    { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"id":"42"}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: '{"status":"shipped"}' },
    { role: 'assistant', content: 'It has shipped.' },
  ],
  tools: [{ type: 'function', function: { name: 'lookup', description: 'Find an order', parameters: { type: 'object', properties: { id: { type: 'string' } } } } }],
};

function rejection(text: string): GatewayError {
  try {
    readDatasetJsonl(text, 'jsonl');
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail('the import was accepted');
}

describe('dataset import', () => {
  test('an OpenAI chat fine-tuning line: the last assistant message is the reference, the rest is the request', () => {
    const [item] = readDatasetJsonl(`${JSON.stringify(chatLine)}\n`, 'jsonl');
    assert.equal(item?.id, 'item-1');
    assert.deepEqual(item?.reference, { text: 'It has shipped.', toolCalls: [], finishReason: 'stop', usage: { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 } });
    assert.equal(item?.request.messages.length, 4);
    assert.deepEqual(item?.request.messages[2], { role: 'assistant', content: [], toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"id":"42"}' }] });
    assert.deepEqual(item?.request.tools, [{ name: 'lookup', description: 'Find an order', parameters: { type: 'object', properties: { id: { type: 'string' } } } }]);
    assert.equal(item?.request.native, undefined);
    assert.equal(item?.sourceRequestId, null);
  });

  test('a reference that calls a tool keeps the call', () => {
    const line = { messages: [{ role: 'user', content: 'Order 7?' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'lookup', arguments: '{"id":"7"}' } }] }] };
    const [item] = readDatasetJsonl(JSON.stringify(line), 'jsonl');
    assert.deepEqual(item?.reference?.toolCalls, [{ id: 'c', name: 'lookup', arguments: '{"id":"7"}' }]);
    assert.equal(item?.reference?.finishReason, 'tool-calls');
  });

  test('evaluation lines: a string or messages as input, optional expected answer, metadata as strings', () => {
    const text = [
      JSON.stringify({ input: 'What is 2+2?', expected: '4', metadata: { topic: 'math', difficulty: 1, checked: true } }),
      '',
      JSON.stringify({ input: [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'Hi' }] }),
      JSON.stringify({ input: 'Find 9', expected_tool_calls: [{ name: 'lookup', arguments: { id: '9' } }], tools: chatLine.tools, model: 'support' }),
    ].join('\r\n');
    const items = readDatasetJsonl(text, 'jsonl');
    assert.deepEqual(items.map((item) => item.id), ['item-1', 'item-2', 'item-3']);
    assert.deepEqual(items[0]?.request.messages, [{ role: 'user', content: [{ type: 'text', text: 'What is 2+2?' }] }]);
    assert.equal(items[0]?.reference?.text, '4');
    assert.deepEqual(items[0]?.metadata, { topic: 'math', difficulty: '1', checked: 'true' });
    assert.equal(items[1]?.reference, null);
    assert.equal(items[1]?.request.messages[0]?.role, 'system');
    assert.deepEqual(items[2]?.reference?.toolCalls, [{ id: 'call_1', name: 'lookup', arguments: '{"id":"9"}' }]);
    assert.equal(items[2]?.request.model, 'support');
    assert.equal(items[0]?.request.model, '');
  });

  test('evaluation lines survive an export and a second import unchanged', () => {
    const text = [
      JSON.stringify({ input: 'What is 2+2?', expected: '4', metadata: { topic: 'math' } }),
      JSON.stringify({ input: [{ role: 'user', content: 'Find 9' }], tools: chatLine.tools, expected: '', expected_tool_calls: [{ name: 'lookup', arguments: '{"id":"9"}' }], metadata: {} }),
    ];
    const exported = [...exportLines(readDatasetJsonl(text.join('\n'), 'jsonl'), 'eval', emptyTally())].map((line) => line.trim());
    assert.deepEqual(exported.map((line) => JSON.parse(line)), text.map((line) => JSON.parse(line)));
  });

  test('bad lines: nothing is imported, and the error names every bad line with its field', () => {
    const text = [
      JSON.stringify(chatLine),
      '{"messages": [',
      JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }, { role: 'wizard', content: 'Hello' }] }),
      JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }] }),
      JSON.stringify({ prompt: 'old style', completion: 'no' }),
      JSON.stringify({ input: [{ role: 'user', content: 7 }] }),
      JSON.stringify({ input: 'x', metadata: { nested: { no: 1 } } }),
      '[1, 2]',
    ].join('\n');
    const { items, problems } = parseDatasetJsonl(text);
    assert.equal(items.length, 1);
    assert.deepEqual(problems.map((problem) => [problem.line, problem.field]), [
      [2, ''], [3, 'messages[1].role'], [4, 'messages[0].role'], [5, 'messages'], [6, 'input[0].content'], [7, 'metadata.nested'], [8, ''],
    ]);
    const error = rejection(text);
    assert.equal(error.code, 'invalid_request');
    assert.equal(error.param, 'jsonl[2]');
    assert.match(error.message, /^Nothing imported\. line 2: not valid JSON/);
    assert.match(error.message, /line 3 \(messages\[1\]\.role\): expected "system", "developer", "user", "assistant" or "tool", got "wizard"/);
    assert.match(error.message, /line 4 \(messages\[0\]\.role\): the last message must be the assistant's reference answer/);
    assert.equal(rejection(text.split('\n').slice(2).join('\n')).param, 'jsonl[1].messages[1].role');
  });

  test('an empty file is refused naming the field, not stored as an empty dataset', () => {
    const error = rejection('\n  \n');
    assert.equal(error.param, 'jsonl');
    assert.match(error.message, /no lines/);
    assert.equal(rejection('').param, 'jsonl');
  });
});
