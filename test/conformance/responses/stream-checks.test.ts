import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Json } from './event-schema.js';
import { checkStream } from './stream-checks.js';

/** A minimal documented stream: one message with one delta, numbered from 0. */
function validStream(): Json[] {
  const response = (status: string, output: Json[]): Json => ({
    id: 'resp_1', object: 'response', created_at: 1, status, error: null, incomplete_details: null, instructions: null, metadata: {}, model: 'm',
    output, parallel_tool_calls: true, temperature: null, tool_choice: 'auto', tools: [], top_p: null,
    usage: status === 'completed' ? { input_tokens: 1, input_tokens_details: { cached_tokens: 0 }, output_tokens: 1, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2 } : null,
  });
  const part = { type: 'output_text', text: 'Hi', annotations: [] };
  const item = { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [part] };
  const at = { item_id: 'msg_1', output_index: 0, content_index: 0 };
  const events: Json[] = [
    { type: 'response.created', response: response('in_progress', []) },
    { type: 'response.in_progress', response: response('in_progress', []) },
    { type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress', content: [] } },
    { type: 'response.content_part.added', ...at, part: { ...part, text: '' } },
    { type: 'response.output_text.delta', ...at, delta: 'Hi', logprobs: [] },
    { type: 'response.output_text.done', ...at, text: 'Hi', logprobs: [] },
    { type: 'response.content_part.done', ...at, part },
    { type: 'response.output_item.done', output_index: 0, item },
    { type: 'response.completed', response: response('completed', [item]) },
  ];
  return events.map((event, index) => ({ ...event, sequence_number: index }));
}

function rejects(events: Json[], pattern: RegExp): void {
  assert.throws(() => checkStream(events), (error: unknown) => error instanceof Error && pattern.test(error.message));
}

test('a documented stream passes the checks', () => {
  assert.equal(checkStream(validStream()).terminal, 'response.completed');
});

test('a gap in the sequence numbers, a missing logprobs field or an undocumented error code is caught', () => {
  const gap = validStream();
  gap[4] = { ...gap[4], sequence_number: 9 };
  rejects(gap, /sequence numbers/);
  const noLogprobs = validStream();
  delete noLogprobs[4]?.logprobs;
  rejects(noLogprobs, /logprobs/);
  const failed = validStream().slice(0, 5);
  failed.push({ type: 'response.failed', sequence_number: 5, response: { ...(failed[0]?.response as Json), status: 'failed', error: { code: 'upstream_error', message: 'x' } } });
  rejects(failed, /documented code/);
});

test('a delta for a part never added, a done text that differs from the deltas, or a changed item id is caught', () => {
  const unopened = validStream().filter((event) => event.type !== 'response.content_part.added').map((event, index) => ({ ...event, sequence_number: index }));
  rejects(unopened, /was added and is not done/);
  const wrongText = validStream();
  wrongText[5] = { ...wrongText[5], text: 'Hello' };
  rejects(wrongText, /joined deltas/);
  const renamed = validStream();
  renamed[7] = { ...renamed[7], item: { ...(renamed[7]?.item as Json), id: 'msg_2' } };
  rejects(renamed, /open|item id/);
});
