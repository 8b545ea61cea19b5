import assert from 'node:assert/strict';
import { answer } from '../canonical-cases.js';
import type { ConformanceRow } from '../rows.js';
import { chunkSizes } from '../stream-harness.js';
import { responseErrorCodes, type Json } from './event-schema.js';
import { encodeAnswer, encodeStream } from './ingress-harness.js';
import { assertEnvelope, assertFunctionCalls, comparable, expectedUsage, messageText, type ResponsesCase } from './responses-case.js';
import { checkStream, readEvents, type StreamOutcome } from './stream-checks.js';

/** Runs the bytes through at every chunk size; every cut must give a conformant stream with the same events. */
export function streamAtEveryChunkSize(row: ConformanceRow, bytes: Uint8Array): StreamOutcome {
  const [first, ...others] = chunkSizes.map((size) => checkStream(readEvents(encodeStream(row, bytes, size))));
  others.forEach((other, index) => assert.deepEqual(other.types, first?.types, `chunks of ${chunkSizes[index + 1]} bytes give the events chunks of 1 give`));
  return first as StreamOutcome;
}

/** Event types with runs of the same delta event folded into one, since providers cut deltas differently. */
export function folded(types: string[]): string[] {
  return types.filter((type, index) => !(type.endsWith('.delta') && types[index - 1] === type));
}

export const messageEvents = [
  'response.output_item.added', 'response.content_part.added', 'response.output_text.delta',
  'response.output_text.done', 'response.content_part.done', 'response.output_item.done',
];
const functionCallEvents = ['response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.done', 'response.output_item.done'];

export function finalOf(outcome: StreamOutcome): Json {
  assert.ok(outcome.final, `the stream ended with ${outcome.terminal}, not a response`);
  return outcome.final;
}

export const streamCases: ResponsesCase[] = [
  {
    id: 'stream/text',
    title: 'a text stream becomes the documented event sequence, ending completed with usage and the text',
    run(row) {
      const outcome = streamAtEveryChunkSize(row, row.kit.streams.text);
      assert.deepEqual(folded(outcome.types), ['response.created', 'response.in_progress', ...messageEvents, 'response.completed']);
      const final = finalOf(outcome);
      assertEnvelope(final, 'completed');
      assert.equal(messageText(final), answer.text);
      assert.deepEqual(final.usage, expectedUsage(answer.textUsage));
      const created = outcome.events[0]?.response as Json;
      assert.equal(created.status, 'in_progress', 'response.created carries an in_progress response');
      assert.deepEqual(created.output, [], 'response.created has no output yet');
    },
  },
  {
    id: 'stream/tool-calls',
    title: 'a tool-call stream becomes the message events, then per call the function_call argument events, ending completed',
    run(row) {
      const outcome = streamAtEveryChunkSize(row, row.kit.streams.toolCalls);
      const expected = ['response.created', 'response.in_progress', ...messageEvents, ...functionCallEvents, ...functionCallEvents, 'response.completed'];
      assert.deepEqual(folded(outcome.types), expected);
      const final = finalOf(outcome);
      assertEnvelope(final, 'completed');
      assert.equal(messageText(final), answer.preamble);
      assertFunctionCalls(final, row.kit);
      assert.deepEqual(final.usage, expectedUsage(answer.toolUsage));
    },
  },
  {
    id: 'stream/same-as-answer',
    title: 'the final streamed response equals the non-streamed response to the same answer, but for ids and timestamps',
    run(row) {
      const streamed = finalOf(checkStream(readEvents(encodeStream(row, row.kit.streams.text))));
      assert.deepEqual(comparable(streamed, row.kit), comparable(encodeAnswer(row, row.kit.responses.text), row.kit), 'text answer');
      const calls = finalOf(checkStream(readEvents(encodeStream(row, row.kit.streams.toolCalls))));
      const plainCalls = encodeAnswer(row, { ...(row.kit.responses.toolCalls as Json) });
      // Usage may differ between a kit's streamed and plain tool answers; the items must not.
      assert.deepEqual(comparable(calls, row.kit).output, comparable(plainCalls, row.kit).output, 'tool-call answer');
    },
  },
  {
    id: 'errors/mid-stream',
    title: 'a stream that fails after its first tokens ends with response.failed or error, after the text already sent',
    sameAs: 'errors/mid-stream',
    run(row) {
      const outcome = streamAtEveryChunkSize(row, row.kit.streams.midStreamError);
      assert.ok(!outcome.types.includes('response.completed'), 'no completion is made up');
      const deltas = outcome.events.filter((event) => event.type === 'response.output_text.delta').map((event) => event.delta as string);
      assert.equal(deltas.join(''), answer.textDeltas.slice(0, 2).join(''), 'the text before the failure is delivered');
      const last = outcome.events.at(-1) as Json;
      const message = outcome.terminal === 'error' ? (last.message as string) : ((last.response as Json).error as Json).message as string;
      if (outcome.terminal === 'response.failed') {
        const error = (last.response as Json).error as Json;
        assert.ok(responseErrorCodes.includes(error.code as string), `error code ${String(error.code)} is documented`);
        assert.equal(messageText(last.response as Json), deltas.join(''), 'the failed response holds the text sent');
        const messages = ((last.response as Json).output as Json[]).filter((item) => item.type === 'message');
        assert.ok(messages.every((item) => item.status === 'incomplete'), 'a message cut by the failure is incomplete');
      } else {
        assert.equal(outcome.terminal, 'error');
      }
      assert.ok(!message.includes(row.kit.endpoint.apiKey ?? '\u0000'), 'the error message does not carry the credential');
    },
  },
];
