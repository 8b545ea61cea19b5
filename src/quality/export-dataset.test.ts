import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptyUsage, type Message } from '../core/canonical.js';
import { checkBedrockLine, checkEvalLine, checkOpenAiLine, checkVertexLine } from '../../test/support/export-format-rules.js';
import type { DatasetItem } from './dataset.js';
import { emptyTally, exportLines, type ExportFormat } from './export-dataset.js';

const usage = emptyUsage();
const lookup = { name: 'lookup_order', description: 'Find an order', parameters: { type: 'object', additionalProperties: false, properties: { id: { type: 'string' } }, required: ['id'] } };

function item(id: string, messages: Message[], reference: DatasetItem['reference'], extra: Partial<DatasetItem['request']> = {}): DatasetItem {
  return { id, request: { model: 'support', stream: false, messages, ...extra }, reference, sourceRequestId: null, metadata: { case: id } };
}

const say = (text: string) => ({ text, toolCalls: [], finishReason: 'stop' as const, usage });
const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });

const items: Record<string, DatasetItem> = {
  plain: item('plain', [{ role: 'system', content: 'Be brief.' }, user('What is 2+2?')], say('4')),
  toolLoop: item('toolLoop', [
    user('Where is order 42?'),
    { role: 'assistant', content: [], toolCalls: [{ id: 'call_1', name: 'lookup_order', arguments: '{"id":"42"}' }], reasoning: 'I should look it up.' },
    { role: 'tool', toolCallId: 'call_1', content: '{"status":"shipped"}' },
  ], say('It has shipped.'), { tools: [lookup] }),
  callsTool: item('callsTool', [user('Where is order 7?')], { text: '', toolCalls: [{ id: 'call_9', name: 'lookup_order', arguments: '{"id":"7"}' }], finishReason: 'tool-calls', usage }, { tools: [lookup] }),
  imageUrl: item('imageUrl', [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', url: 'https://example.com/cat.png' }] }], say('A cat.')),
  inlineImage: item('inlineImage', [{ role: 'user', content: [{ type: 'text', text: 'And this?' }, { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' }] }], say('A dot.')),
  pdf: item('pdf', [{ role: 'user', content: [{ type: 'text', text: 'Summarise.' }, { type: 'file', data: 'JVBERi0=', mediaType: 'application/pdf', filename: 'a.pdf' }] }], say('A summary.')),
  midSystem: item('midSystem', [user('Hi'), { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] }, { role: 'system', content: 'Now answer in French.' }, user('Bye')], say('Au revoir')),
  noReference: item('noReference', [user('Unanswered')], null),
  twoUsers: item('twoUsers', [user('First part.'), user('Second part.')], say('Both read.')),
  badArguments: item('badArguments', [user('Call it')], { text: '', toolCalls: [{ id: 'call_x', name: 'lookup_order', arguments: '{"id":' }], finishReason: 'tool-calls', usage }, { tools: [lookup] }),
};

function run(format: ExportFormat, only?: string[]) {
  const tally = emptyTally();
  const chosen = Object.values(items).filter((entry) => !only || only.includes(entry.id));
  const lines = [...exportLines(chosen, format, tally)].map((text) => {
    assert.ok(text.endsWith('\n') && !text.slice(0, -1).includes('\n'), 'one JSON object per line');
    return JSON.parse(text) as Record<string, unknown>;
  });
  return { lines, tally };
}

describe('dataset exports', () => {
  test('OpenAI chat fine-tuning: tool loops keep arguments as JSON text; files, bad arguments and missing references are skipped and counted', () => {
    const { lines, tally } = run('openai');
    lines.forEach(checkOpenAiLine);
    assert.equal(tally.exported, 7);
    assert.deepEqual(tally.reasons, {
      'file parts (OpenAI fine-tuning takes text and images only)': 1,
      'no reference answer': 1,
      'tool call arguments are not valid JSON': 1,
    });
    assert.equal(tally.skipped, 3);
    const [plain, loop, calls] = lines;
    assert.deepEqual(plain, { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'What is 2+2?' }, { role: 'assistant', content: '4' }] });
    assert.deepEqual(loop?.messages, [
      { role: 'user', content: 'Where is order 42?' },
      { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"id":"42"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"status":"shipped"}' },
      { role: 'assistant', content: 'It has shipped.' },
    ]);
    assert.deepEqual(loop?.tools, [{ type: 'function', function: lookup }]);
    assert.deepEqual((calls?.messages as unknown[]).at(-1), { role: 'assistant', tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'lookup_order', arguments: '{"id":"7"}' } }] });
    const inline = lines.find((line) => JSON.stringify(line).includes('And this?'));
    assert.deepEqual((inline?.messages as Array<{ content: unknown }>)[0]?.content, [{ type: 'text', text: 'And this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }]);
  });

  test('Bedrock Claude conversation: text turns alternate from user to assistant; tools, images and mid-conversation system prompts are skipped', () => {
    const { lines, tally } = run('bedrock');
    lines.forEach(checkBedrockLine);
    assert.deepEqual(lines, [
      { system: 'Be brief.', messages: [{ role: 'user', content: 'What is 2+2?' }, { role: 'assistant', content: '4' }] },
      { messages: [{ role: 'user', content: 'First part.\n\nSecond part.' }, { role: 'assistant', content: 'Both read.' }] },
    ]);
    assert.deepEqual(tally.reasons, {
      'tool use (the Bedrock Claude conversation format has none)': 3,
      'images (the Bedrock Claude conversation format is text only)': 2,
      'files (the Bedrock Claude conversation format is text only)': 1,
      'system message after the first turn': 1,
      'no reference answer': 1,
    });
    assert.equal(tally.exported + tally.skipped, Object.keys(items).length);
  });

  test('Vertex Gemini tuning: function calls in model turns, responses in user turns, media by URI, schemas in the Gemini subset', () => {
    const { lines, tally } = run('vertex');
    lines.forEach(checkVertexLine);
    assert.deepEqual(tally.reasons, {
      'inline media (Vertex tuning takes media by fileUri only)': 2,
      'system message after the first turn': 1,
      'no reference answer': 1,
      'tool call arguments are not valid JSON': 1,
    });
    assert.equal(tally.exported, 5);
    const loop = lines.find((line) => JSON.stringify(line).includes('order 42'));
    assert.deepEqual(loop, {
      contents: [
        { role: 'user', parts: [{ text: 'Where is order 42?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'lookup_order', args: { id: '42' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'lookup_order', response: { status: 'shipped' } } }] },
        { role: 'model', parts: [{ text: 'It has shipped.' }] },
      ],
      tools: [{ functionDeclarations: [{ name: 'lookup_order', description: 'Find an order', parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } }] }],
    });
    assert.deepEqual(lines[0], { systemInstruction: { parts: [{ text: 'Be brief.' }] }, contents: [{ role: 'user', parts: [{ text: 'What is 2+2?' }] }, { role: 'model', parts: [{ text: '4' }] }] });
    const image = lines.find((line) => JSON.stringify(line).includes('cat.png'));
    assert.deepEqual((image?.contents as Array<{ parts: unknown[] }>)[0]?.parts[1], { fileData: { mimeType: 'image/png', fileUri: 'https://example.com/cat.png' } });
    const merged = lines.find((line) => JSON.stringify(line).includes('First part.'));
    assert.deepEqual((merged?.contents as unknown[])[0], { role: 'user', parts: [{ text: 'First part.' }, { text: 'Second part.' }] });
  });

  test('evaluation lines: every item, a plain string input when it is one user text, expected answer and tool calls when known', () => {
    const { lines, tally } = run('eval');
    lines.forEach(checkEvalLine);
    assert.deepEqual(tally, { exported: Object.keys(items).length, skipped: 0, reasons: {} });
    assert.deepEqual(lines.find((line) => (line.metadata as Record<string, string>).case === 'noReference'), { input: 'Unanswered', metadata: { case: 'noReference' } });
    const calls = lines.find((line) => (line.metadata as Record<string, string>).case === 'callsTool');
    assert.deepEqual(calls?.expected_tool_calls, [{ name: 'lookup_order', arguments: '{"id":"7"}' }]);
    assert.deepEqual(calls?.input, [{ role: 'user', content: 'Where is order 7?' }]);
    const pdf = lines.find((line) => (line.metadata as Record<string, string>).case === 'pdf');
    assert.deepEqual((pdf?.input as Array<{ content: unknown[] }>)[0]?.content[1], { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } });
  });

  test('an item that fits no rule of a format is counted, never dropped silently: exported plus skipped is every item', () => {
    for (const format of ['openai', 'bedrock', 'vertex', 'eval'] as const) {
      const { tally } = run(format);
      assert.equal(tally.exported + tally.skipped, Object.keys(items).length, format);
      assert.equal(Object.values(tally.reasons).reduce((sum, count) => sum + count, 0), tally.skipped, format);
    }
  });
});
