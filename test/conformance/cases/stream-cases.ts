import assert from 'node:assert/strict';
import { answer, toUsage } from '../canonical-cases.js';
import type { ConformanceRow } from '../rows.js';
import { decodeAtEveryChunkSize, type StreamSummary } from '../stream-harness.js';
import type { ConformanceCase } from './conformance-case.js';
import { assertId, assertToolCalls } from './response-cases.js';

function decode(row: ConformanceRow, bytes: Uint8Array): StreamSummary {
  return decodeAtEveryChunkSize(row.adapter, row.kit.upstreamModel, bytes);
}

function assertStart(summary: StreamSummary, row: ConformanceRow): void {
  assertId(summary.start?.id ?? '', row.kit.expect.streamId, 'stream-start carries the response id');
  assert.equal(summary.start?.model, row.kit.expect.model, 'stream-start carries the model that answered');
}

export const streamCases: ConformanceCase[] = [
  {
    capability: 'stream',
    id: 'stream/text',
    title: 'decodes a text stream, cut into chunks of any size, into the same text and finish',
    run(row) {
      const summary = decode(row, row.kit.streams.text);
      assertStart(summary, row);
      assert.equal(summary.text, answer.text);
      assert.deepEqual(summary.toolCalls, []);
      assert.deepEqual(summary.errors, []);
      assert.deepEqual(summary.finish, { finishReason: 'stop', rawFinishReason: row.kit.expect.rawFinish.stop });
    },
  },
  {
    capability: 'stream-tools',
    id: 'stream-tools/parallel',
    title: 'decodes two parallel tool calls streamed in fragments into the same calls as the plain answer',
    run(row) {
      const summary = decode(row, row.kit.streams.toolCalls);
      assertStart(summary, row);
      assert.equal(summary.text, answer.preamble);
      assertToolCalls(summary.toolCalls, row.kit);
      assert.deepEqual(summary.errors, []);
      assert.deepEqual(summary.finish, { finishReason: 'tool-calls', rawFinishReason: row.kit.expect.rawFinish.toolCalls });
    },
  },
  {
    capability: 'usage',
    id: 'usage/stream',
    title: 'reports the stream usage before the finish',
    run(row) {
      assert.deepEqual(decode(row, row.kit.streams.text).usage, toUsage(answer.textUsage), 'text stream');
      assert.deepEqual(decode(row, row.kit.streams.toolCalls).usage, toUsage(answer.toolUsage), 'tool stream');
    },
  },
  {
    capability: 'errors',
    id: 'errors/mid-stream',
    title: 'ends a stream that fails after its first tokens with an error part and no finish',
    run(row) {
      const summary = decode(row, row.kit.streams.midStreamError);
      assert.equal(summary.text, answer.textDeltas.slice(0, 2).join(''), 'the text before the failure is delivered');
      assert.equal(summary.finish, undefined, 'no finish reason is made up');
      assert.equal(summary.errors.length, 1, 'exactly one error part');
      const error = summary.errors[0];
      assert.ok(error?.retryable !== undefined);
      assert.ok(!error.message.includes(row.kit.endpoint.apiKey ?? '\u0000'), 'the error message does not carry the credential');
    },
  },
];
