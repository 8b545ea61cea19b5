import assert from 'node:assert/strict';
import { answer } from '../canonical-cases.js';
import type { ConformanceRow } from '../rows.js';
import type { WireKit } from '../wire-kit.js';
import { checkResponse, type Json } from './event-schema.js';
import { encodeAnswer } from './ingress-harness.js';
import { assertEnvelope, comparable, expectedUsage, messageText, type ResponsesCase } from './responses-case.js';
import { finalOf, folded, messageEvents, streamAtEveryChunkSize } from './stream-cases.js';

/** Rows whose provider gives no reasoning text, so there is nothing for a reasoning item to carry. */
const noReasoningText: Record<string, string> = {
  openai: 'Chat Completions returns no reasoning text, only a count of reasoning tokens (https://platform.openai.com/docs/guides/reasoning).',
  'azure-openai': 'Azure OpenAI Chat Completions returns no reasoning text, only a count of reasoning tokens.',
  mistral: 'Magistral sends its reasoning as thinking chunks inside content, which the OpenAI-wire adapter does not decode.',
};

function reasoningOf(row: ConformanceRow): NonNullable<WireKit['reasoning']> {
  if (!row.kit.reasoning) throw new Error('the kit has no reasoning answer, and no reason is given');
  return row.kit.reasoning;
}

function truncatedOf(row: ConformanceRow): NonNullable<WireKit['truncated']> {
  if (!row.kit.truncated) throw new Error('the kit has no answer cut at the token limit');
  return row.kit.truncated;
}

function summaryText(response: Json): string {
  return (response.output as Json[])
    .filter((item) => item.type === 'reasoning')
    .flatMap((item) => item.summary as Json[])
    .map((part) => part.text as string)
    .join('');
}

function lastMessage(response: Json): Json {
  const message = (response.output as Json[]).filter((item) => item.type === 'message').at(-1);
  assert.ok(message, 'the response has a message');
  return message;
}

function reasoningUsage(row: ConformanceRow): Json {
  const usage = expectedUsage(answer.reasoningUsage);
  return { ...usage, output_tokens_details: { reasoning_tokens: reasoningOf(row).reasoningTokens } };
}

const reasoningEvents = [
  'response.output_item.added', 'response.reasoning_summary_part.added', 'response.reasoning_summary_text.delta',
  'response.reasoning_summary_text.done', 'response.reasoning_summary_part.done', 'response.output_item.done',
];

const noReasoning = (row: ConformanceRow): string | undefined => (row.kit.reasoning ? undefined : noReasoningText[row.name]);

export const reasoningCases: ResponsesCase[] = [
  {
    id: 'reasoning/response',
    title: 'an answer that reasons first becomes a reasoning item with the reasoning as its summary, then the message',
    notApplicable: noReasoning,
    run(row) {
      const response = checkResponse(encodeAnswer(row, reasoningOf(row).response), 'response');
      assertEnvelope(response, 'completed');
      assert.deepEqual((response.output as Json[]).map((item) => item.type), ['reasoning', 'message']);
      assert.equal(summaryText(response), answer.reasoning);
      assert.equal(messageText(response), answer.text);
      assert.deepEqual(response.usage, reasoningUsage(row));
    },
  },
  {
    id: 'reasoning/stream',
    title: 'a reasoning stream becomes reasoning summary events before the message events, and the same response as plain',
    notApplicable: noReasoning,
    run(row) {
      const outcome = streamAtEveryChunkSize(row, reasoningOf(row).stream);
      assert.deepEqual(folded(outcome.types), ['response.created', 'response.in_progress', ...reasoningEvents, ...messageEvents, 'response.completed']);
      const final = finalOf(outcome);
      assert.equal(summaryText(final), answer.reasoning);
      assert.equal(messageText(final), answer.text);
      assert.deepEqual(final.usage, reasoningUsage(row));
      assert.deepEqual(comparable(final, row.kit), comparable(encodeAnswer(row, reasoningOf(row).response), row.kit), 'the plain answer');
    },
  },
  {
    id: 'length/response',
    title: 'an answer cut at the token limit is an incomplete response with reason max_output_tokens',
    run(row) {
      const response = checkResponse(encodeAnswer(row, truncatedOf(row).response), 'response');
      assertEnvelope(response, 'incomplete');
      assert.deepEqual(response.incomplete_details, { reason: 'max_output_tokens' });
      assert.equal(messageText(response), answer.truncatedText);
      assert.equal(lastMessage(response).status, 'incomplete', 'the cut message is incomplete');
      assert.deepEqual(response.usage, expectedUsage(answer.truncatedUsage));
    },
  },
  {
    id: 'length/stream',
    title: 'a stream cut at the token limit ends with response.incomplete, and the same response as plain',
    run(row) {
      const outcome = streamAtEveryChunkSize(row, truncatedOf(row).stream);
      assert.deepEqual(folded(outcome.types), ['response.created', 'response.in_progress', ...messageEvents, 'response.incomplete']);
      const final = finalOf(outcome);
      assert.deepEqual(final.incomplete_details, { reason: 'max_output_tokens' });
      assert.equal(messageText(final), answer.truncatedText);
      assert.equal(lastMessage(final).status, 'incomplete', 'the cut message is incomplete');
      assert.deepEqual(comparable(final, row.kit), comparable(encodeAnswer(row, truncatedOf(row).response), row.kit), 'the plain answer');
    },
  },
];
